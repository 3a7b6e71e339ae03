from odoo import _, api, models
from odoo.exceptions import UserError


class AftersalesStateMixin(models.AbstractModel):
    """Refuse an illegal move of an after-sales document with one clear message,
    the same from a button and from XML-RPC.

    RPC can write any stored field, ``state`` included: a state may only change
    through the document's actions, which check where it comes from."""

    _name = "aftersales.state.mixin"
    _description = "After-Sales Document State Guard"

    @api.model_create_multi
    def create(self, vals_list):
        default = self.default_get(["state"]).get("state")
        self._guard_state_writes([vals for vals in vals_list if vals.get("state", default) != default])
        return super().create(vals_list)

    def write(self, vals):
        self._guard_state_writes([vals])
        return super().write(vals)

    def _guard_state_writes(self, vals_list):
        if self.env.su or self.env.context.get("aftersales_transition"):
            return
        if any("state" in vals for vals in vals_list):
            raise UserError(
                _(
                    "The status of a %(document)s changes only through its actions (its buttons), "
                    "not by writing it.",
                    document=self._document_label(),
                )
            )

    def _write_transition(self, vals):
        """Write a new state decided by one of the document's actions."""
        return self.with_context(aftersales_transition=True).write(vals)

    def _document_label(self):
        return self.env["ir.model"].sudo()._get(self._name).name

    def _check_state(self, allowed, action_label):
        labels = dict(self._fields["state"]._description_selection(self.env))
        document = self._document_label()
        for record in self:
            if record.state not in allowed:
                raise UserError(
                    _(
                        "You cannot %(action)s %(document)s %(name)s while it is %(state)s.",
                        action=action_label,
                        document=document,
                        name=record.display_name,
                        state=labels[record.state],
                    )
                )
