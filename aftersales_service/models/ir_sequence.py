from odoo import api, models
from odoo.tools import SQL


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    @api.model
    def _assign_names(self, vals_list, code):
        """Give the records about to be created without a name their references, in one query."""
        unnamed = [vals for vals in vals_list if vals.get("name", "New") == "New"]
        for vals, name in zip(unnamed, self._next_many_by_code(code, len(unnamed)), strict=True):
            vals["name"] = name or "New"

    @api.model
    def _aftersales_company_sequence(self, code, company):
        """``company``'s own sequence for ``code``, copied from the template ``<code>.template``
        (a sequence without company) the first time the company numbers such a document."""
        sequence = self.sudo().search([("code", "=", code), ("company_id", "=", company.id)], limit=1)
        if not sequence:
            template = self.sudo().search([("code", "=", f"{code}.template"), ("company_id", "=", False)], limit=1)
            sequence = template.copy({"company_id": company.id, "code": code, "number_next": 1})
        return sequence

    @api.model
    def _next_many_by_code(self, code, count):
        """Like ``next_by_code`` (the company's sequence, else the shared one), ``count`` times."""
        self.check_access("read")
        company_id = self.env.company.id
        sequence = self.sudo().search(
            [("code", "=", code), ("company_id", "in", [company_id, False])], order="company_id", limit=1
        )
        return sequence._next_many(count) if sequence else [False] * count

    def _next_many(self, count):
        """``count`` references in one query: batch creates must not cost a query per record.
        Falls back to one number at a time for no-gap or date-range sequences."""
        self.ensure_one()
        if count <= 0:
            return []
        if self.implementation != "standard" or self.use_date_range:
            return [self._next() for _index in range(count)]
        self.env.cr.execute(SQL("SELECT nextval(%s) FROM generate_series(1, %s)", f"ir_sequence_{self.id:03d}", count))
        prefix, suffix = self.sudo()._get_prefix_suffix()
        return [f"{prefix}{number:0{self.padding}d}{suffix}" for (number,) in self.env.cr.fetchall()]
