from odoo.http import request

from odoo.addons.survey.controllers.main import Survey


class AftersalesSurvey(Survey):
    def _get_access_data(self, survey_token, answer_token, ensure_token=True, check_partner=True):
        """A survey answered on site, on the technician's device, speaks the customer's language
        (the pages would otherwise follow the technician's own preferences)."""
        access_data = super()._get_access_data(
            survey_token, answer_token, ensure_token=ensure_token, check_partner=check_partner
        )
        answer = access_data.get("answer_sudo")
        if answer and answer.aftersales_ticket_id and answer.aftersales_channel == "on_site":
            lang = answer.aftersales_ticket_id.partner_id.lang
            if lang and lang != request.env.lang:
                request.update_context(lang=lang)
                access_data["survey_sudo"] = access_data["survey_sudo"].with_context(lang=lang)
                access_data["answer_sudo"] = answer.with_context(lang=lang)
        return access_data
