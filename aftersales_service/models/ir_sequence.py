from collections import defaultdict

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    @api.model
    def _assign_names(self, vals_list, code, company_of=None):
        """Number the records about to be created without a name in their company's own sequence
        of ``code``, one query per company. ``company_of(vals)`` is the record's company (by default
        its ``company_id`` value, else the current company, as the field's default)."""
        companies = self.env["res.company"]
        unnamed = defaultdict(list)
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                company = company_of(vals) if company_of else companies.browse(vals.get("company_id"))
                unnamed[company or self.env.company].append(vals)
        for company, company_vals in unnamed.items():
            sequence = self._aftersales_company_sequence(code, company)
            for vals, name in zip(company_vals, sequence._next_many(len(company_vals)), strict=True):
                vals["name"] = name

    @api.model
    def _aftersales_company_sequence(self, code, company):
        """``company``'s own sequence for ``code``, copied the first time the company numbers such a
        document from the template ``<code>.template``, or from the sequence the documents shared
        before they were numbered per company (continuing its numbers: no reference is reused)."""
        sequence = self.sudo().search([("code", "=", code), ("company_id", "=", company.id)], limit=1)
        if sequence:
            return sequence
        template = self.sudo().search(
            [("code", "in", (f"{code}.template", code)), ("company_id", "=", False)], order="code desc", limit=1
        )
        if not template:
            raise UserError(_("The numbering of %(code)s is missing: update the after-sales addons.", code=code))
        shared = template.code == code
        return template.copy(
            {"company_id": company.id, "code": code, "number_next": template.number_next_actual if shared else 1}
        )

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
