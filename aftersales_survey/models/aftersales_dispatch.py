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
        ticket = self.ticket_id
        answer = ticket._get_survey_answer(self.env.user.partner_id)
        if not answer:
            raise UserError(
                _("No active satisfaction survey is configured for %(company)s.", company=ticket.company_id.name)
            )
        if not answer.nickname or answer.nickname == self.env.user.name:
            answer.nickname = ticket.partner_id.name
        return {
            "type": "ir.actions.act_url",
            "name": _("Satisfaction Survey"),
            "target": "new",
            "url": answer.get_start_url(),
        }
