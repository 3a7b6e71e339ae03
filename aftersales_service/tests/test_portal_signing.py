import json

from odoo.tests import HttpCase, tagged

from .common import PNG_PIXEL, portal_customer

SIGNATURE = PNG_PIXEL.decode()


@tagged("post_install", "-at_install")
class TestPortalSigning(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_a = portal_customer(cls.env, "signer_a", {"name": "Signer A", "email": "sa@example.com"})
        cls.customer_b = cls.env["res.partner"].create({"name": "Signer B", "email": "sb@example.com"})
        cls.form_a = cls._form_for(cls.customer_a)
        cls.form_b = cls._form_for(cls.customer_b)

    @classmethod
    def _form_for(cls, partner):
        ticket = cls.env["aftersales.ticket"].create({"partner_id": partner.id, "title": f"Visit {partner.name}"})
        form = cls.env["aftersales.dispatch"].create(
            {"ticket_id": ticket.id, "work_summary": "<p>Replaced the fuse</p>"}
        )
        form.action_start()
        return form

    def _sign(self, form, signature=SIGNATURE, name="Mr. Sun", token=None):
        url = f"/my/aftersales/forms/{form.id}/sign" + (f"?access_token={token}" if token else "")
        response = self.url_open(
            url,
            data=json.dumps({"params": {"name": name, "signature": signature}}),
            headers={"Content-Type": "application/json"},
        )
        return response.json()["result"]

    def test_customer_signs_own_form_once(self):
        self.authenticate("signer_a", "signer_a_pw")
        page = self.url_open(f"/my/aftersales/forms/{self.form_a.id}")
        self.assertIn("Replaced the fuse", page.text)
        self.assertIn("portal.signature_form", page.text)
        self.assertTrue(self._sign(self.form_a).get("force_refresh"))
        self.assertEqual(self.form_a.signed_by, "Mr. Sun")
        self.assertTrue(self.form_a.signature)
        self.assertIn("error", self._sign(self.form_a, name="Someone else"))
        self.assertEqual(self.form_a.signed_by, "Mr. Sun")

    def test_garbage_empty_and_foreign_signatures_are_refused(self):
        self.authenticate("signer_a", "signer_a_pw")
        self.assertIn("error", self._sign(self.form_a, signature="not-base64!!"))
        self.assertIn("error", self._sign(self.form_a, signature=""))
        self.assertIn("error", self._sign(self.form_a, name=""))
        self.assertIn("error", self._sign(self.form_b))
        self.assertFalse(self.form_a.signature or self.form_b.signature)

    def test_token_grants_access_to_one_form_only(self):
        token = self.form_b._portal_ensure_token()
        self.assertIn(
            "Replaced the fuse", self.url_open(f"/my/aftersales/forms/{self.form_b.id}?access_token={token}").text
        )
        foreign = self.url_open(f"/my/aftersales/forms/{self.form_a.id}?access_token={token}", allow_redirects=False)
        self.assertIn(foreign.status_code, (302, 303))
        self.assertIn("error", self._sign(self.form_a, token=token))
        self.assertTrue(self._sign(self.form_b, token=token).get("force_refresh"))

    def test_pdf_download_of_another_customers_form_is_refused(self):
        self.authenticate("signer_a", "signer_a_pw")
        own = self.url_open(f"/my/aftersales/forms/{self.form_a.id}?report_type=pdf")
        self.assertEqual(own.headers["Content-Type"], "application/pdf")
        foreign = self.url_open(f"/my/aftersales/forms/{self.form_b.id}?report_type=pdf", allow_redirects=False)
        self.assertIn(foreign.status_code, (302, 303))
