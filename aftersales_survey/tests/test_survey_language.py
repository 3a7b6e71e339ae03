from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSurveyOnSiteLanguage(HttpCase):
    """On site the customer fills the survey on the technician's device, in the customer's language."""

    def test_the_survey_opened_on_site_speaks_the_customers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["aftersales_survey"], ["zh_CN"], overwrite=True)
        self.env.company.aftersales_survey_id = False
        tech = new_test_user(
            self.env,
            "as_lang_tech",
            password="as_lang_tech_pw",
            groups="aftersales_service.group_aftersales_technician",
            lang="en_US",
        )
        customer = self.env["res.partner"].create({"name": "Beijing Pumps", "lang": "zh_CN"})
        ticket = self.env["aftersales.ticket"].create(
            {
                "partner_id": customer.id,
                "title": "Noise",
                "request_type": "consultation",
                "review_note": "<p>Visit</p>",
                "technician_ids": [(6, 0, tech.ids)],
            }
        )
        ticket.action_submit_review()
        ticket.action_approve()
        ticket.action_dispatch()
        form = ticket.dispatch_ids.with_user(tech)
        form.action_start()
        url = form.action_fill_survey_on_site()["url"]
        self.authenticate("as_lang_tech", "as_lang_tech_pw")
        page = self.url_open(url).text
        self.assertIn("售后服务满意度调查表", page, "the customer's language, not the technician's")
        answer = ticket.sudo().survey_user_input_ids
        self.assertEqual((answer.aftersales_channel, answer.partner_id), ("on_site", tech.partner_id))
