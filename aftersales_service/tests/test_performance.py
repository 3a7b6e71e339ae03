"""Query-count guards of the hot paths measured by the benchmark (tests/benchmarks).

The counts are those of a database with the three after-sales addons (and CRM) installed,
as ``make test`` builds it. A count that grows means a query per record crept in."""

import xml.etree.ElementTree as ET

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, HttpCase, get_db_name, tagged, users, warmup
from odoo.tools import mute_logger

from .common import AftersalesCommon, portal_customer

LIST_VIEW = "aftersales_service.aftersales_ticket_view_list"
# What the list_activity widget reads besides activity_ids (its fieldDependencies).
ACTIVITY_WIDGET_FIELDS = (
    "activity_exception_decoration",
    "activity_exception_icon",
    "activity_state",
    "activity_summary",
    "activity_type_icon",
)


def list_specification(model, view_xmlid):
    """The specification the web client gives web_search_read for a list view (getFieldsSpec)."""
    view = model.env.ref(view_xmlid)
    arch = model.get_views([(view.id, "list")])["views"]["list"]["arch"]
    spec = {}
    for node in ET.fromstring(arch).iter("field"):
        name = node.get("name")
        field = model._fields[name]
        invisible = "True" in (node.get("invisible"), node.get("column_invisible"))
        if field.type == "many2one":
            if not invisible or name not in spec:
                spec[name] = {"fields": {} if invisible else {"display_name": {}}}
        elif field.type in ("one2many", "many2many"):
            spec[name] = {"fields": {}}
            if node.get("widget") == "list_activity":
                spec.update({dependency: {} for dependency in ACTIVITY_WIDGET_FIELDS})
                spec["activity_type_id"] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


@tagged("post_install", "-at_install")
class TestTicketQueryGuards(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.aftersales_manager_id = cls.user_manager
        # An acknowledgement is one email per ticket, as any email; the guards measure the ticket.
        cls.company.aftersales_notify_registered = False
        # More tickets than a list page, so that the page also counts the rows.
        cls.page_customer = cls.env["res.partner"].create({"name": "Paged Customer"})
        cls.other_page_customer = cls.env["res.partner"].create({"name": "Other Paged Customer"})
        cls.env["aftersales.ticket"].create(
            [
                {
                    "partner_id": customer.id,
                    "title": f"Paged {index}",
                    "product_id": cls.seal.id,
                    "user_id": cls.user_tech.id,
                }
                for customer in (cls.page_customer, cls.other_page_customer)
                for index in range(90)
            ]
        )

    def intake_values(self, count):
        return [
            {
                "partner_id": self.customer.id,
                "product_id": self.seal.id,
                "request_type": "repair",
                "channel": "phone",
                "title": f"Pump leaking {index}",
                "description": "<p>The pump leaks at the seal.</p>",
            }
            for index in range(count)
        ]

    def create_with_tracking(self, count):
        self.env.invalidate_all()  # cold records, warm caches: as a new request
        self.env["aftersales.ticket"].create(self.intake_values(count))
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values and followers are written before commit

    @users("as_manager")
    @warmup
    def test_create_batch_of_50_costs_what_1_costs(self):
        # 20: with the one search of the finished tickets on the same units (repeat repairs).
        with self.assertQueryCount(as_manager=20):
            self.create_with_tracking(1)
        with self.assertQueryCount(as_manager=20):
            self.create_with_tracking(50)

    def new_overdue(self, count, prefix):
        return self.env["aftersales.ticket"].create(
            [
                {"partner_id": self.customer.id, "title": f"{prefix} {index}", "request_date": "2026-01-10 09:00:00"}
                for index in range(count)
            ]
        )

    def assertOneActivityEach(self, tickets):
        self.env.invalidate_all()
        self.assertTrue(all(tickets.mapped("response_breached")))
        for ticket in tickets:
            overdue = ticket.activity_ids.filtered(lambda activity: activity.summary == "Response overdue")
            self.assertEqual(len(overdue), 1, ticket.title)

    @warmup
    @freeze_time("2026-01-15 09:00:00")
    def test_sla_cron_costs_a_constant_per_batch(self):
        Ticket = self.env["aftersales.ticket"]
        Ticket._cron_flag_response_breaches()  # whatever the database holds
        one_batch = self.new_overdue(6, "Late")
        with self.assertQueryCount(14):
            Ticket._cron_flag_response_breaches(batch_size=6)  # 1 batch, then nothing left
        three_batches = self.new_overdue(6, "Later")
        with self.assertQueryCount(30):
            Ticket._cron_flag_response_breaches(batch_size=2)  # 3 batches, then nothing left
        self.assertOneActivityEach(one_batch | three_batches)
        with self.assertQueryCount(1):
            Ticket._cron_flag_response_breaches()  # nothing new: one query

    @freeze_time("2026-01-15 09:00:00")
    def test_sla_cron_reports_progress_one_batch_per_call(self):
        Ticket = self.env["aftersales.ticket"]
        Ticket._cron_flag_response_breaches()
        late = self.new_overdue(5, "Late")
        cron = self.env.ref("aftersales_service.ir_cron_aftersales_response_breach")
        calls = [self.scheduler_call(cron, "_cron_flag_response_breaches", batch_size=2) for _call in range(4)]
        # The scheduler calls again while something remains; the last call finds nothing.
        self.assertEqual(calls, [(2, 3), (2, 1), (1, 0), (0, 0)])
        self.assertOneActivityEach(late)

    @users("as_manager")
    @warmup
    def test_list_page_reads_a_constant_number_of_queries(self):
        """First page of the list view, as the web client asks it: ticket rows, the page
        count, activities, customers, users and their names; not one query per row, and
        not more on a smaller slice of the table."""
        Ticket = self.env["aftersales.ticket"]
        spec = list_specification(Ticket, LIST_VIEW)
        self.assertNotIn("display_name", spec["company_id"]["fields"], "single company: company_id only")
        paged = [("title", "=like", "Paged %")]
        for domain in (paged, paged + [("partner_id", "=", self.page_customer.id)]):  # 180 rows, then 90
            self.env.invalidate_all()
            # 7: the page's tags are one more query (the relation table), whatever the rows.
            with self.assertQueryCount(as_manager=7):
                page = Ticket.web_search_read(domain, spec, limit=80, count_limit=10001)
            self.assertEqual(len(page["records"]), 80)
            self.assertEqual({row["product_name"] for row in page["records"]}, {"Seal"}, "without reading products")

    def test_product_name_follows_the_product(self):
        ticket = self.new_ticket(product_id=self.seal.id)
        self.assertEqual(ticket.product_name, "Seal")
        self.seal.default_code = "SEAL-01"
        self.assertEqual(ticket.product_name, "[SEAL-01] Seal")
        self.seal.name = "Shaft Seal"
        self.assertEqual(ticket.product_name, "[SEAL-01] Shaft Seal")
        ticket.product_id = self.pump
        self.assertEqual(ticket.product_name, "Test Pump")


@tagged("post_install", "-at_install")
class TestSlaCronConcurrency(BaseCase):
    """Two runs of the SLA cron at the same time, on committed tickets (own cursors)."""

    def test_concurrent_runs_flag_each_ticket_once(self):
        registry = Registry(get_db_name())
        with freeze_time("2000-01-03 09:00:00"):  # only this test's tickets are overdue then
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                partner = env["res.partner"].create({"name": "Concurrent Customer"})
                tickets = env["aftersales.ticket"].create(
                    [
                        {"partner_id": partner.id, "title": f"Concurrent {index}", "request_date": "2000-01-01"}
                        for index in range(3)
                    ]
                )
                ids, partner_id = tickets.ids, partner.id
            try:
                with registry.cursor() as cr1, registry.cursor() as cr2, registry.cursor() as cr3:
                    cr3.execute("SELECT 1")  # cr3's snapshot: before cr1 commits
                    env1 = api.Environment(cr1, SUPERUSER_ID, {})
                    env1["aftersales.ticket"]._cron_flag_response_breaches()
                    env1.flush_all()
                    # cr1 holds the tickets: a run at the same time skips them.
                    env2 = api.Environment(cr2, SUPERUSER_ID, {})
                    env2["aftersales.ticket"]._cron_flag_response_breaches()
                    env2.flush_all()
                    self.assertFalse(
                        env2["mail.activity"].search_count(
                            [("res_model", "=", "aftersales.ticket"), ("res_id", "in", ids)]
                        )
                    )
                    cr1.commit()
                    # A run that read before cr1 committed cannot lock them: it fails, it does not repeat them.
                    env3 = api.Environment(cr3, SUPERUSER_ID, {})
                    with mute_logger("odoo.sql_db"), self.assertRaises(Exception) as caught:
                        env3["aftersales.ticket"]._cron_flag_response_breaches()
                    self.assertEqual(type(caught.exception).__name__, "SerializationFailure")
                    cr3.rollback()
                with registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    counts = dict(
                        env["mail.activity"]._read_group(
                            [("res_model", "=", "aftersales.ticket"), ("res_id", "in", ids)], ["res_id"], ["__count"]
                        )
                    )
                    # One to-do per ticket for each person the escalation reaches: never twice.
                    managers = env.company._aftersales_escalation_users("manager")
                    self.assertTrue(managers)
                    self.assertEqual(counts, dict.fromkeys(ids, len(managers)))
            finally:
                with registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    env["mail.activity"].search(
                        [("res_model", "=", "aftersales.ticket"), ("res_id", "in", ids)]
                    ).unlink()
                    env["aftersales.ticket"].browse(ids).unlink()
                    env["res.partner"].browse(partner_id).unlink()


@tagged("post_install", "-at_install")
class TestPortalListQueries(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customer = portal_customer(
            cls.env, "portal_paged", {"name": "Portal Paged Customer", "email": "paged@example.com"}
        )
        other = cls.env["res.partner"].create({"name": "Someone Else"})
        cls.env["aftersales.ticket"].create(
            [{"partner_id": customer.id, "title": f"Mine {index}"} for index in range(90)]
            + [{"partner_id": other.id, "title": f"Theirs {index}"} for index in range(30)]
        )

    @warmup
    def test_my_tickets_page_costs_a_constant_number_of_queries(self):
        self.authenticate("portal_paged", "portal_paged_pw")
        self.url_open("/my/aftersales")  # the session's first page: menus, assets, translations
        with self.assertQueryCount(11):
            page = self.url_open("/my/aftersales")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Mine 89", page.text)
        self.assertNotIn("Theirs", page.text)
