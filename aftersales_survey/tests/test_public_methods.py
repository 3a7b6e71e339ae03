from odoo.tests import tagged

from odoo.addons.aftersales_service.tests.public_methods import PublicMethodsMixin

from .common import AftersalesSurveyCommon


@tagged("post_install", "-at_install")
class TestSurveyPublicMethods(PublicMethodsMixin, AftersalesSurveyCommon):
    def probe_records(self):
        order = self.confirmed_order(self.key_customer)
        revisit = (
            self.env["aftersales.revisit"]
            ._cron_generate_revisits()
            .filtered(lambda revisit: revisit.partner_id == self.key_customer)
        )
        feedback = self.env["aftersales.feedback"].create(
            {"partner_id": self.key_customer.id, "description": "The pump is loud"}
        )
        plan = self.env["aftersales.care.plan"].create({"name": "Key care", "partner_id": self.key_customer.id})
        ticket = self.done_ticket(partner_id=self.key_customer.id)
        return [revisit, feedback, plan, self.tier_key, ticket, order, self.key_customer]
