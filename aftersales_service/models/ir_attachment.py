from odoo import _, api, models
from odoo.exceptions import AccessError

from .aftersales_guard_mixin import _SERVER_DECIDES


class IrAttachment(models.Model):
    """The files behind the image fields of an after-sales document (a signature, a stamp)
    are written through the document, where the field guard and the image checks apply;
    the ORM stores them as superuser. Written directly as attachments, they would skip both."""

    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._aftersales_check_field_file(vals.get("res_model"), vals.get("res_field"))
        return super().create(vals_list)

    def write(self, vals):
        for attachment in self.sudo():
            self._aftersales_check_field_file(attachment.res_model, attachment.res_field)
        self._aftersales_check_field_file(vals.get("res_model"), vals.get("res_field"))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_aftersales_field_file(self):
        for attachment in self.sudo():
            self._aftersales_check_field_file(attachment.res_model, attachment.res_field)

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
