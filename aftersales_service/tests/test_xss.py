from odoo.tests import HttpCase, tagged

from .common import PNG_PIXEL, portal_customer

SCRIPT = "<script>alert('x')</script>"
IMG = '<img src="x" onerror="alert(1)">'


@tagged("post_install", "-at_install")
class TestNoScriptReachesTheCustomer(HttpCase):
    """Text typed by customers or staff is shown, never executed: portal, PDF and chatter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = portal_customer(cls.env, "xss_portal", {"name": "XSS Customer", "email": "x@example.com"})
        cls.ticket = cls.env["aftersales.ticket"].create(
            {
                "partner_id": cls.customer.id,
                "title": SCRIPT,
                "description": f"<p>Broken {IMG}</p>",
            }
        )
        cls.form = cls.env["aftersales.dispatch"].create(
            {
                "ticket_id": cls.ticket.id,
                "work_summary": f"<p>Done {IMG}</p>",
                "findings": SCRIPT,
            }
        )
        cls.form.action_start()
        cls.form.write({"signature": PNG_PIXEL, "signed_by": SCRIPT})

    def assertInert(self, html):
        # Odoo's own asset tags carry onerror handlers: look for ours only.
        self.assertNotIn("<script>alert", html)
        self.assertNotIn('onerror="alert', html)

    def test_portal_pages_escape_titles_and_sanitize_descriptions(self):
        self.authenticate("xss_portal", "xss_portal_pw")
        for url in ("/my/aftersales", f"/my/aftersales/{self.ticket.id}", f"/my/aftersales/forms/{self.form.id}"):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200, url)
            self.assertInert(page.text)
        self.assertIn("&lt;script&gt;", self.url_open(f"/my/aftersales/{self.ticket.id}").text)

    def test_field_form_pdf_escapes_signer_and_findings(self):
        # The customer copy prints the signer; the internal copy the findings for quality too.
        for report_ref in (
            "aftersales_service.action_report_aftersales_dispatch",
            "aftersales_service.action_report_aftersales_dispatch_internal",
        ):
            html = self.env["ir.actions.report"]._render_qweb_html(report_ref, self.form.ids)[0].decode()
            self.assertInert(html)
            self.assertIn("&lt;script&gt;", html)

    def test_chatter_notes_escape_findings(self):
        self.form.action_done()
        follow_ups = self.ticket.activity_ids.filtered(lambda a: a.summary == "Field findings")
        self.assertTrue(follow_ups, "the quality department got the findings")
        for follow_up in follow_ups:
            self.assertInert(str(follow_up.note))
            self.assertIn("&lt;script&gt;", str(follow_up.note))
