from odoo import _, api, models
from odoo.exceptions import AccessError, UserError

from .aftersales_guard_mixin import _SERVER_DECIDES


class IrAttachment(models.Model):
    """The files behind the image fields of an after-sales document (a signature, a stamp)
    are written through the document, where the field guard and the image checks apply;
    the ORM stores them as superuser. Written directly as attachments, they would skip both."""

    _inherit = "ir.attachment"

    # What makes an attachment the file it is; its sharing token may still change.
    _AFTERSALES_CONTENT_FIELDS = frozenset(
        ("datas", "raw", "db_datas", "store_fname", "url", "type", "name", "res_model", "res_id", "res_field")
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._aftersales_check_field_file(vals.get("res_model"), vals.get("res_field"))
        return super().create(vals_list)

    def write(self, vals):
        for attachment in self.sudo():
            self._aftersales_check_field_file(attachment.res_model, attachment.res_field)
        self._aftersales_check_field_file(vals.get("res_model"), vals.get("res_field"))
        if self._AFTERSALES_CONTENT_FIELDS.intersection(vals):
            self._aftersales_check_decided_minutes()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_aftersales_field_file(self):
        for attachment in self.sudo():
            self._aftersales_check_field_file(attachment.res_model, attachment.res_field)
        self._aftersales_check_decided_minutes()

    def _aftersales_check_decided_minutes(self):
        """The minutes of the general manager's office meeting are what a return, exchange or
        compensation above the limit was decided on (报总经理办公会批准, P5 三.4(7)): once decided,
        the file stays as it was, whoever uploaded it."""
        if self.env.su or _SERVER_DECIDES.get() or not self.ids:
            return
        # ``decision`` is written once, when the settlement is approved or rejected, and kept after.
        decided = (
            self.env["aftersales.settlement"]
            .sudo()
            .search([("meeting_minutes_ids", "in", self.ids), ("decision", "!=", False)], limit=1)
        )
        if decided:
            minutes = self.sudo().filtered(lambda attachment: attachment in decided.meeting_minutes_ids)[:1]
            raise UserError(
                _(
                    "%(file)s is the minutes %(settlement)s was decided on: it can be neither changed nor deleted.",
                    file=minutes.name,
                    settlement=decided.name,
                )
            )

    def _aftersales_check_field_file(self, res_model, res_field):
        if not res_field or not res_model or self.env.su or _SERVER_DECIDES.get() or res_model not in self.env:
            return
        if isinstance(self.env[res_model], self.pool["aftersales.guard.mixin"]):
            field = self.env[res_model]._fields.get(res_field)
            raise AccessError(
                _(
                    "%(field)s of a %(document)s is written on the document itself, not as an attachment.",
                    field=field._description_string(self.env) if field else res_field,
                    document=self.env[res_model]._document_label(),
                )
            )
