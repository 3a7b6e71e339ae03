from odoo import _, models
from odoo.exceptions import UserError


class AftersalesDispatch(models.Model):
    _inherit = "aftersales.dispatch"

    def action_fill_survey_on_site(self):
        """Open the satisfaction survey in this browser so the customer fills it on site.

        The answer is taken in the technician's session (the survey pages only accept
        an answer of the logged-in person) and linked to the ticket."""
        self.ensure_one()
        self.check_access("write")
        if self.state == "cancel":
            raise UserError(_("Field form %(form)s is cancelled.", form=self.name))
        return self.ticket_id._open_evaluation("on_site")
