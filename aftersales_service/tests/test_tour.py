from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import portal_customer


@tagged("post_install", "-at_install")
class TestFieldVisitTour(HttpCase):
    def test_technician_runs_a_visit_in_the_browser(self):
        technician = new_test_user(
            self.env, "tour_tech", name="Tour Technician", groups="aftersales_service.group_aftersales_technician"
        )
        customer = self.env["res.partner"].create({"name": "Tour Customer"})
        ticket = self.env["aftersales.ticket"].create(
            {
                "partner_id": customer.id,
                "title": "Pump stops",
                "request_type": "consultation",
                "review_note": "<p>Check the pressure switch.</p>",
            }
        )
        ticket.action_submit_review()
        ticket.action_approve()
        self.start_tour(
            f"/odoo/action-aftersales_service.aftersales_ticket_action/{ticket.id}",
            "aftersales_field_visit_tour",
            login="admin",
        )
        form = ticket.dispatch_ids
        self.assertEqual(form.technician_ids, technician, "the office chose who went, not the dispatcher")
        self.assertEqual(form.state, "done")
        self.assertEqual(form.signed_by, "Li Lei")
        self.assertTrue(form.signature)
        self.assertTrue(form.arrival_date)
        self.assertEqual(form.labour_hours, 1.5)
        self.assertEqual(ticket.state, "done")

    def test_sales_registers_a_phone_call(self):
        new_test_user(
            self.env,
            "tour_sales",
            password="tour_sales_pw",
            groups="aftersales_service.group_aftersales_user,sales_team.group_sale_salesman",
        )
        self.env["res.partner"].create({"name": "Tour Caller Ltd", "phone": "+86 10 5555 0100"})
        self.start_tour(
            "/odoo/action-aftersales_service.aftersales_ticket_action",
            "aftersales_phone_intake_tour",
            login="tour_sales",
        )
        ticket = self.env["aftersales.ticket"].search([("title", "=", "Compressor trips after ten minutes")])
        self.assertEqual((ticket.state, ticket.channel, ticket.partner_id.name), ("review", "phone", "Tour Caller Ltd"))
        self.assertEqual(ticket.user_id.login, "tour_sales")
        self.assertFalse(ticket.first_response_date, "registering the call is not yet the answer")

    def test_customer_submits_a_request_on_the_portal(self):
        partner = portal_customer(self.env, "tour_portal", {"name": "Tour Portal Customer", "email": "tp@example.com"})
        self.start_tour("/my/aftersales/new", "aftersales_portal_request_tour", login="tour_portal")
        ticket = self.env["aftersales.ticket"].search([("title", "=", "Leaking valve")])
        self.assertEqual((ticket.partner_id, ticket.channel, ticket.request_type), (partner, "portal", "maintenance"))
        self.assertIn("Water under the valve", ticket.description)

    def test_quality_reviewer_approves_in_the_browser(self):
        new_test_user(
            self.env,
            "tour_quality",
            name="Quality Tour",
            password="tour_quality_pw",
            groups="aftersales_service.group_aftersales_quality",
        )
        ticket = self.env["aftersales.ticket"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "Review Customer"}).id,
                "title": "Pressure drops",
                "request_type": "consultation",
            }
        )
        ticket.action_submit_review()
        self.start_tour(
            f"/odoo/action-aftersales_service.aftersales_ticket_action/{ticket.id}",
            "aftersales_quality_review_tour",
            login="tour_quality",
        )
        self.assertEqual((ticket.state, ticket.reviewer_id.login), ("ready", "tour_quality"))
        self.assertIn("Replace the pressure switch", ticket.review_note)

    def test_customer_accepts_the_paid_service_quotation_on_the_portal(self):
        partner = portal_customer(self.env, "tour_quote", {"name": "Quote Customer", "email": "q@example.com"})
        ticket = self.env["aftersales.ticket"].create(
            {
                "partner_id": partner.id,
                "title": "Out of warranty",
                "planned_labour_hours": 2,
                "review_note": "<p>Rewind the motor</p>",
            }
        )
        ticket.action_submit_review()
        ticket.action_approve()
        order = ticket.quotation_id
        order.write({"require_signature": True, "require_payment": False})
        ticket.action_approve_quotation()  # the department head, before the customer sees it
        order.action_quotation_sent()
        self.start_tour(order.get_portal_url(), "aftersales_portal_quotation_tour", login="tour_quote")
        self.assertEqual(order.state, "sale")
        self.assertEqual(ticket.state, "ready", "the customer's acceptance releases the dispatch")


@tagged("post_install", "-at_install")
class TestPhoneVisitTour(HttpCase):
    """The technician's day on a phone: 390 × 844 pixels, a touch screen."""

    browser_size = "390x844"
    touch_enabled = True

    def _dispatch(self, customer, technician, when):
        ticket = self.env["aftersales.ticket"].create(
            {
                "partner_id": customer.id,
                "title": "Valve leaks",
                "request_type": "consultation",
                "review_note": "<p>Replace the valve.</p>",
            }
        )
        ticket.action_submit_review()
        ticket.action_approve()
        ticket.technician_ids = technician
        ticket.action_dispatch()
        ticket.dispatch_ids.planned_start = when
        return ticket.dispatch_ids

    def test_technician_runs_a_visit_on_a_phone(self):
        technician = new_test_user(
            self.env,
            "phone_tech",
            name="Phone Technician",
            password="phone_tech_pw",
            groups="aftersales_service.group_aftersales_technician",
        )
        customer = self.env["res.partner"].create(
            {"name": "Phone Customer", "phone": "+86 21 5555 0199", "street": "88 Century Avenue", "city": "Shanghai"}
        )
        # A consumable part: what leaves stock is the lead's business, not this tour's.
        part = self.env["product.product"].create(
            {"name": "Phone Valve", "type": "consu", "barcode": "PH-VALVE-01", "aftersales_spare_part": True}
        )
        # Two visits well inside today (the day's filter is by date: a visit planned minutes ago
        # is yesterday's when the test runs just after midnight).
        now = fields.Datetime.now().replace(hour=10, minute=0, second=0, microsecond=0)
        form = self._dispatch(customer, technician, now)
        self.assertFalse(form.is_billable, "a consultation: the card shows a free service")
        # Another visit later today, and one in two days that is not on today's list.
        self._dispatch(self.env["res.partner"].create({"name": "Next Customer"}), technician, now + timedelta(hours=1))
        self._dispatch(
            self.env["res.partner"].create({"name": "Tomorrow Customer"}), technician, now + timedelta(days=2)
        )
        self.start_tour(
            "/odoo/action-aftersales_service.aftersales_dispatch_action_my_today",
            "aftersales_phone_visit_tour",
            login="phone_tech",
        )
        self.assertEqual(form.state, "done")
        self.assertEqual((form.part_line_ids.product_id, form.part_line_ids.quantity), (part, 2.0))
        self.assertEqual((form.signed_by, form.labour_hours), ("Wang Fang", 1.5))
        self.assertTrue(form.signature and form.stamp, "signed with a finger and stamped")
        self.assertTrue(form.fault_photo and form.work_photo, "both photos came from the camera")
