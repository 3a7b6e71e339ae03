from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import PNG_PIXEL, AftersalesCommon


@tagged("post_install", "-at_install")
class TestReports(AftersalesCommon):
    """Figures checked against a small data set computed by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"aftersales_labour_cost_rate": 50.0, "aftersales_response_hours": 24})
        cls.tech_a = cls.user_tech
        cls.tech_b = cls.user_quality
        cls.part = cls.env["product.product"].create({"name": "Gasket", "type": "consu", "standard_price": 10.0})

    def _visit(self, ticket, technicians, arrival, hours, travel, parts_qty=0, requested=None):
        ticket.write({"review_note": "<p>Go</p>", "requested_arrival": requested})
        ticket.action_submit_review()
        ticket.action_approve()
        if ticket.state == "quotation":
            ticket.action_approve_quotation()
            ticket.quotation_id.action_confirm()
        ticket.action_dispatch()
        form = ticket.dispatch_ids
        form.write({"technician_ids": [(6, 0, technicians.ids)], "labour_hours": hours, "travel_cost": travel})
        if parts_qty:
            form.part_line_ids = [(0, 0, {"product_id": self.part.id, "quantity": parts_qty})]
        with freeze_time(arrival):
            form.action_start()
        form.write({"signature": PNG_PIXEL, "signed_by": "X"})
        form.action_done()
        return form

    def test_cost_report_by_technician_and_billing(self):
        with freeze_time("2026-02-02 08:00:00"):
            free = self.new_ticket(request_type="consultation")
            paid = self.new_ticket(product_id=self.pump.id, travel_required=False, planned_labour_hours=1)
        # free: 2 h labour (100) + 2 gaskets (20) + travel 30 = 150, shared by two technicians
        self._visit(
            free, self.tech_a | self.tech_b, "2026-02-03 09:00:00", 2, 30, parts_qty=2, requested="2026-02-03 10:00:00"
        )
        # paid: 1 h labour (50) + travel 40 = 90, one technician, arrived late
        self._visit(paid, self.tech_a, "2026-02-04 11:00:00", 1, 40, requested="2026-02-04 09:00:00")
        self.env.flush_all()  # the SQL views read the tables
        Analysis = self.env["aftersales.dispatch.analysis"]
        domain = [("ticket_id", "in", (free | paid).ids)]
        by_tech = dict(Analysis._read_group(domain, ["technician_id"], ["total_cost:sum"]))
        self.assertAlmostEqual(by_tech[self.tech_a], 75 + 90)
        self.assertAlmostEqual(by_tech[self.tech_b], 75)
        [(free_cost, billable_cost, parts, labour, visits)] = Analysis._read_group(
            domain, [], ["free_cost:sum", "billable_cost:sum", "parts_cost:sum", "labour_cost:sum", "visit_count:sum"]
        )
        self.assertAlmostEqual(free_cost, 150)
        self.assertAlmostEqual(billable_cost, 90)
        self.assertAlmostEqual(parts, 20)
        self.assertAlmostEqual(labour, 150)
        self.assertAlmostEqual(visits, 2, msg="two visits, whatever the crew size")
        # Income set against cost (成本报表): the paid repair's confirmed order, not the free visit.
        paid_form = paid.dispatch_ids
        self.assertTrue(paid_form.sale_order_id, "the paid work is billed on its order")
        by_ticket = dict(Analysis._read_group(domain, ["ticket_id"], ["revenue:sum"]))
        self.assertAlmostEqual(by_ticket[paid], paid_form.sale_order_id.amount_untaxed)
        self.assertGreater(by_ticket[paid], 0)
        self.assertAlmostEqual(by_ticket[free], 0)
        [(margin,)] = Analysis._read_group([("ticket_id", "=", paid.id)], [], ["margin:sum"])
        self.assertAlmostEqual(margin, paid_form.sale_order_id.amount_untaxed - 90)
        [(on_time,)] = Analysis._read_group(domain, [], ["arrived_on_time_pct:avg"])
        # Rows are technician visits: on time for both technicians of the first, late for the second.
        self.assertAlmostEqual(on_time, 200 / 3)

    def test_problem_and_sla_figures_per_quarter(self):
        with freeze_time("2026-01-10 09:00:00"):
            first = self.new_ticket(
                product_id=self.pump.id, fault_category_id=self.fault.id, request_type="consultation"
            )
        with freeze_time("2026-01-10 20:00:00"):
            first.message_post(
                body="We come tomorrow", message_type="comment", subtype_xmlid="mail.mt_comment"
            )  # answered in 11 h: in time
        first.write({"state": "done", "done_date": "2026-01-12 10:00:00"})
        with freeze_time("2026-02-01 09:00:00"):
            repeat = self.new_ticket(product_id=self.pump.id, fault_category_id=self.fault.id, is_major=True)
        with freeze_time("2026-02-03 09:00:00"):
            repeat.message_post(
                body="We come tomorrow", message_type="comment", subtype_xmlid="mail.mt_comment"
            )  # answered in 48 h: late
        with freeze_time("2026-04-01 09:00:00"):
            self.new_ticket(product_id=self.seal.id)  # next quarter
        self.assertTrue(repeat.is_repeat)
        self.env.flush_all()
        Analysis = self.env["aftersales.ticket.analysis"]
        q1 = [
            ("company_id", "=", self.company.id),
            ("request_date", ">=", "2026-01-01"),
            ("request_date", "<", "2026-04-01"),
            ("partner_id", "=", self.customer.id),
        ]
        [(tickets, repeats, majors, repeat_rate, on_time, hours)] = Analysis._read_group(
            q1,
            [],
            [
                "ticket_count:sum",
                "repeat_count:sum",
                "major_count:sum",
                "repeat_rate:avg",
                "response_on_time_pct:avg",
                "response_hours:avg",
            ],
        )
        self.assertEqual((tickets, repeats, majors), (2, 1, 1))
        self.assertAlmostEqual(repeat_rate, 50)
        self.assertAlmostEqual(on_time, 50)
        self.assertAlmostEqual(hours, (11 + 48) / 2)
        by_product = dict(Analysis._read_group(q1, ["product_id"], ["ticket_count:sum"]))
        self.assertEqual(by_product, {self.pump: 2})

        wizard = Form(self.env["aftersales.quarter.summary"])
        wizard.year = 2026
        wizard.quarter = "1"
        wizard = wizard.save()
        self.assertEqual((str(wizard.date_from), str(wizard.date_to)), ("2026-01-01", "2026-03-31"))
        summary = wizard._summary()
        self.assertIn(repeat, summary["flagged"])
        self.assertNotIn(first, summary["flagged"])
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("aftersales_service.action_report_quarter_summary", wizard.ids)[0]
            .decode()
        )
        self.assertIn(repeat.name, html)
        self.assertIn(self.pump.display_name, html)

    def test_reports_read_in_constant_queries(self):
        partner = self.customer
        # Made without acknowledgements (200 emails): the counts below are the report's reads.
        self.company.aftersales_notify_registered = False
        self.env["aftersales.ticket"].create(
            [{"partner_id": partner.id, "product_id": self.pump.id, "title": f"T{i}"} for i in range(200)]
        )
        self.env.flush_all()
        Analysis = self.env["aftersales.ticket.analysis"]
        # The pivot's grouped read is one query, however many tickets.
        with self.assertQueryCount(1):
            Analysis._read_group(
                [("partner_id", "=", partner.id)],
                ["product_id", "request_date:month"],
                ["ticket_count:sum", "repeat_rate:avg", "response_on_time_pct:avg"],
            )
        with self.assertQueryCount(2):
            Analysis.search_read(
                [("partner_id", "=", partner.id)], ["ticket_id", "product_id", "ticket_count"], limit=200
            )
