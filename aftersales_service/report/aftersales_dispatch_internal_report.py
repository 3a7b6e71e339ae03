from odoo import _, api, models
from odoo.exceptions import AccessError

STAFF_GROUP = "aftersales_service.group_aftersales_user"


class ReportAftersalesDispatchInternal(models.AbstractModel):
    """The internal field form (costs, findings for quality, sales interest) is for
    after-sales staff only. The check looks at the real user, not at sudo(): a portal
    route that renders reports as superuser still gets a refusal for a customer."""

    _name = "report.aftersales_service.report_aftersales_dispatch_internal"
    _description = "Field Form (internal) Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        user = self.env.user
        if not (user._is_superuser() or user.has_group(STAFF_GROUP)):
            raise AccessError(_("Only after-sales staff may print the internal copy of a field form."))
        docs = self.env["aftersales.dispatch"].browse(docids)
        docs.check_access("read")
        return {"doc_ids": docids, "doc_model": "aftersales.dispatch", "docs": docs}
