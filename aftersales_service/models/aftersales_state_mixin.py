from odoo import _, models
from odoo.exceptions import UserError


class AftersalesStateMixin(models.AbstractModel):
    """Refuse an illegal move of an after-sales document with one clear message,
    the same from a button and from XML-RPC."""

    _name = "aftersales.state.mixin"
    _description = "After-Sales Document State Guard"

    def _check_state(self, allowed, action_label):
        labels = dict(self._fields["state"]._description_selection(self.env))
        document = self.env["ir.model"].sudo()._get(self._name).name
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
