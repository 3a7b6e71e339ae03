from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import AftersalesSurveyCommon


@tagged("post_install", "-at_install")
class TestOpinionCampaign(AftersalesSurveyCommon):
    def test_campaign_invites_a_tier(self):
        marketer = new_test_user(
            self.env, "as_campaign", groups="aftersales_service.group_aftersales_user,survey.group_survey_user"
        )
        form = Form(self.env["aftersales.survey.campaign.wizard"].with_user(marketer))
        form.survey_id = self.survey
        form.tier_ids.add(self.tier_key)
        wizard = form.save()
        self.assertEqual(wizard.partner_ids, self.key_customer, "every customer of the tier with an email")
        action = wizard.action_send()
        self.assertEqual(action["tag"], "display_notification")
        answers = self.env["survey.user_input"].search(
            [("survey_id", "=", self.survey.id), ("partner_id", "=", self.key_customer.id)]
        )
        self.assertEqual(len(answers), 1, "one invitation per customer")
        self.assertFalse(answers.aftersales_ticket_id)

    def test_campaign_needs_recipients(self):
        wizard = self.env["aftersales.survey.campaign.wizard"].create({"survey_id": self.survey.id})
        with self.assertRaisesRegex(UserError, "at least one customer"):
            wizard.action_send()
