import json
import logging
import shutil
import subprocess
import tempfile
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import config

from .common import PNG_PIXEL, portal_customer

REPORT_LOGGER = "odoo.addons.base.models.ir_actions_report"
CUSTOMER_REPORT = "aftersales_service.action_report_aftersales_dispatch"
INTERNAL_REPORT = "aftersales_service.action_report_aftersales_dispatch_internal"

# Staff-only values, each with the ways a page may print it. None of them may reach the customer.
STAFF_ONLY = {
    "travel cost": ("987.65",),
    "lodging": ("135.79",),
    "travel allowance": ("24.68",),
    "other expenses": ("246.81",),
    "reimbursable amount": ("1,394.93", "1394.93"),
    "part unit cost": ("4,321.50", "4321.5"),
    "part total cost": ("12,964.50", "12964.5"),
    "findings for quality": ("SECRET-FINDING-xyz",),
    "interest notes": ("INTEREST-NOTE-stu",),
    "interest products": ("INTEREST-PRODUCT-vw",),
    "recommended checks": ("SECRET-SYMPTOM-kb", "SECRET-SOLUTION-kb"),
    "quality review note": ("INTERNAL-NOTE-abc",),
    "billing override reason": ("OVERRIDE-REASON-def",),
    "major quality outcome": ("MAJOR-OUTCOME-ghi", "Major Quality Issue"),
    "internal note on the ticket": ("LOGNOTE-TICKET-jkl",),
    "internal note on the form": ("LOGNOTE-FORM-pqr",),
    "arrival delay": ("late by", "Arrival Delay"),
}
# What the customer signs for: it must stay on every copy of the form.
CUSTOMER_VALUES = ("Mr Signer Wang", "WORK-DONE-ok", "Gasket KX-42", "3.00", "CUSTOMER-DESC-ok", "Cash")


@tagged("post_install", "-at_install")
class TestCustomerCopies(HttpCase):
    """Portal pages and the field form PDF are rendered as superuser (QWeb groups= hide
    nothing then): they must not contain staff-only fields at all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = portal_customer(
            cls.env, "copy_portal", {"name": "Copy Customer Ltd", "email": "copy@example.com", "lang": "en_US"}
        )
        cls.portal_user = cls.customer.user_ids
        cls.staff = new_test_user(cls.env, "copy_staff", groups="aftersales_service.group_aftersales_user")
        cls.tech = new_test_user(cls.env, "copy_tech", groups="aftersales_service.group_aftersales_technician")
        fault = cls.env["aftersales.fault.category"].create({"name": "Copy fault"})
        cls.env["aftersales.fault.solution"].create(
            {
                "fault_category_id": fault.id,
                "symptom": "SECRET-SYMPTOM-kb",
                "solution": "SECRET-SOLUTION-kb",
                "state": "approved",
            }
        )
        gasket = cls.env["product.product"].create({"name": "Gasket KX-42", "type": "consu", "standard_price": 4321.5})
        interest = cls.env["product.product"].create({"name": "INTEREST-PRODUCT-vw", "type": "consu"})
        now = fields.Datetime.now()
        cls.ticket = cls.env["aftersales.ticket"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.staff.id,
                "title": "Pump leaks at the seal",
                "description": "<p>Water under the pump CUSTOMER-DESC-ok</p>",
                "fault_category_id": fault.id,
                "review_note": "<p>INTERNAL-NOTE-abc</p>",
                "billing_override": "billable",
                "billing_override_reason": "OVERRIDE-REASON-def",
                "is_major": True,
                "major_outcome": "MAJOR-OUTCOME-ghi",
                "requested_arrival": now - timedelta(hours=5),
            }
        )
        # The paid repair the customer accepted: the gasket fitted is delivered and billed on it.
        quotation = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [Command.create({"product_id": gasket.id, "product_uom_qty": 3.0})],
            }
        )
        quotation.action_confirm()
        cls.ticket.quotation_id = quotation
        cls.ticket.message_post(body="LOGNOTE-TICKET-jkl", subtype_xmlid="mail.mt_note")
        cls.ticket.message_post(body="PUBLIC-REPLY-ticket", subtype_xmlid="mail.mt_comment", message_type="comment")
        cls.form = cls.env["aftersales.dispatch"].create(
            {
                "ticket_id": cls.ticket.id,
                "technician_ids": [Command.set(cls.tech.ids)],
                "work_summary": "<p>Replaced the seal WORK-DONE-ok</p>",
                "findings": "SECRET-FINDING-xyz",
                "labour_hours": 2.0,
                "travel_cost": 987.65,
                "lodging_cost": 135.79,
                "allowance_amount": 24.68,
                "expense_amount": 246.81,
                "travel_start": now - timedelta(hours=6),
                "fee_collected": 50.0,
                "payment_method": "cash",
                "interest_product_ids": [Command.set(interest.ids)],
                "interest_note": "INTEREST-NOTE-stu",
                "part_line_ids": [Command.create({"product_id": gasket.id, "quantity": 3.0})],
            }
        )
        cls.form.message_post(body="LOGNOTE-FORM-pqr", subtype_xmlid="mail.mt_note")
        cls.form.message_post(body="PUBLIC-REPLY-form", subtype_xmlid="mail.mt_comment", message_type="comment")
        cls.form.action_start()
        cls.form.write({"signature": PNG_PIXEL, "signed_by": "Mr Signer Wang", "stamp": PNG_PIXEL})
        cls.form.action_done()
        cls.form.travel_return = fields.Datetime.now() + timedelta(hours=2)
        cls.form.action_file()

    def assertCustomerCopy(self, text, where, customer_values=CUSTOMER_VALUES):
        # assertTrue/False: the message names the field without dumping the whole page.
        leaks = [f"{field} ({value})" for field, shown_as in STAFF_ONLY.items() for value in shown_as if value in text]
        self.assertFalse(leaks, f"{where} shows staff-only fields")
        missing = [value for value in customer_values if value not in text]
        self.assertFalse(missing, f"{where} lacks customer values")

    def test_setup_has_the_staff_values(self):
        """The values the other tests look for are really on the records."""
        self.assertTrue(self.form.is_reimbursable)
        self.assertAlmostEqual(self.form.reimbursable_amount, 1394.93)
        self.assertAlmostEqual(self.form.part_line_ids.cost, 4321.5)
        self.assertTrue(self.form.arrived_late)
        self.assertTrue(self.form.known_solution_ids)

    def test_portal_pages_show_only_customer_fields(self):
        self.authenticate("copy_portal", "copy_portal_pw")
        pages = {
            "/my/aftersales": ("Pump leaks at the seal",),
            f"/my/aftersales/{self.ticket.id}": ("Pump leaks at the seal", "CUSTOMER-DESC-ok", self.form.name),
            f"/my/aftersales/forms/{self.form.id}": ("Mr Signer Wang", "WORK-DONE-ok", "Gasket KX-42", "3.00"),
        }
        for url, customer_values in pages.items():
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200, url)
            self.assertCustomerCopy(page.text, url, customer_values)

    def test_portal_chatter_shows_no_internal_notes(self):
        self.authenticate("copy_portal", "copy_portal_pw")
        for record, public in ((self.ticket, "PUBLIC-REPLY-ticket"), (self.form, "PUBLIC-REPLY-form")):
            result = self.make_jsonrpc_request(
                "/mail/chatter_fetch", {"thread_model": record._name, "thread_id": record.id, "limit": 50}
            )
            text = json.dumps(result)
            self.assertIn(public, text, "the chatter is really fetched")
            self.assertCustomerCopy(text, f"the portal chatter of {record.display_name}", customer_values=())

    def test_portal_report_html_and_pdf_are_the_customer_copy(self):
        """In test mode the PDF route returns the HTML wkhtmltopdf would print."""
        self.authenticate("copy_portal", "copy_portal_pw")
        for query in ("report_type=html", "report_type=pdf", "report_type=pdf&download=1"):
            url = f"/my/aftersales/forms/{self.form.id}?{query}"
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertCustomerCopy(response.text, url)

    def test_customer_report_rendered_as_superuser_shows_only_customer_fields(self):
        report = self.env["ir.actions.report"].sudo()
        html = report._render_qweb_html(CUSTOMER_REPORT, self.form.ids)[0].decode()
        self.assertCustomerCopy(html, "the field form rendered with sudo()")
        # Same as the portal does it: the portal user's environment in sudo mode.
        html = report.with_user(self.portal_user).sudo()._render_qweb_html(CUSTOMER_REPORT, self.form.ids)[0].decode()
        self.assertCustomerCopy(html, "the field form rendered for the portal user")

    def test_customer_pdf_text(self):
        """The printed PDF too, read back with pdftotext (poppler-utils)."""
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext is not installed")
        self.env["ir.config_parameter"].sudo().set_param("report.url", f"http://127.0.0.1:{config['http_port']}")
        report = self.env["ir.actions.report"].sudo().with_context(force_report_rendering=True)
        # Debian's wkhtmltopdf is built without patched Qt and says so on every run.
        with self.assertLogs(REPORT_LOGGER, logging.WARNING) as logs:
            logging.getLogger(REPORT_LOGGER).warning("rendering the customer copy")
            pdf, report_type = report._render_qweb_pdf(CUSTOMER_REPORT, self.form.ids)
        for line in logs.output[1:]:
            self.assertIn("unpatched qt", line)
        self.assertEqual(report_type, "pdf")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf_file:
            pdf_file.write(pdf)
            pdf_file.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", pdf_file.name, "-"], capture_output=True, check=True, text=True
            ).stdout
        self.assertCustomerCopy(text, "the field form PDF")

    def test_internal_copy_is_for_staff_only(self):
        html = (
            self.env["ir.actions.report"]
            .with_user(self.staff)
            ._render_qweb_html(INTERNAL_REPORT, self.form.ids)[0]
            .decode()
        )
        for value in ("987.65", "135.79", "24.68", "246.81", "1,394.93", "4,321.50", "SECRET-FINDING-xyz"):
            self.assertIn(value, html)
        # The handling plan (quality's review), who issued and filed the form, the trip's times.
        for value in ("INTEREST-NOTE-stu", "INTERNAL-NOTE-abc", "Handling Plan", "Left the Company", "Filed By"):
            self.assertIn(value, html)
        for value in ("SECRET-SOLUTION-kb", "INTEREST-PRODUCT-vw", "Mr Signer Wang", "Gasket KX-42"):
            self.assertIn(value, html)
        # A customer never gets it, not even through a route that renders reports with sudo().
        for report in (
            self.env["ir.actions.report"].with_user(self.portal_user),
            self.env["ir.actions.report"].with_user(self.portal_user).sudo(),
        ):
            with self.assertRaises(AccessError):
                report._render_qweb_html(INTERNAL_REPORT, self.form.ids)
        internal = self.env.ref(INTERNAL_REPORT)
        self.assertEqual(internal.groups_id, self.env.ref("aftersales_service.group_aftersales_user"))
        self.assertEqual(internal.binding_model_id.model, "aftersales.dispatch")
