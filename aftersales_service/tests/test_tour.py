from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestFieldVisitTour(HttpCase):
    def test_technician_runs_a_visit_in_the_browser(self):
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
        self.assertEqual(form.state, "done")
        self.assertEqual(form.signed_by, "Li Lei")
        self.assertTrue(form.signature)
        self.assertTrue(form.arrival_date)
        self.assertEqual(form.labour_hours, 1.5)
        self.assertEqual(ticket.state, "done")
