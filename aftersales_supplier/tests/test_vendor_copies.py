from freezegun import freeze_time

from odoo.tests import tagged

from .test_supplier_claim import TestSupplierClaim

CLAIM = "aftersales_supplier.action_report_supplier_claim"

# Our customer's ticket and our own follow-up of the claim: the vendor needs none of it.
STAFF_ONLY = {
    "end customer": ("SECRET-CUSTOMER-ltd",),
    "end customer's phone": ("+86 10 5555 0199",),
    "ticket subject": ("TICKET-SUBJECT-xyz",),
    "ticket description": ("TICKET-DESCRIPTION-abc",),
    "quality review note": ("INTERNAL-NOTE-abc",),
    "recovered amount": ("55.55",),
    "claim resolution": ("CLAIM-RESOLUTION-def",),
    "vendor warranty analysis": ("Under vendor warranty", "Vendor Warranty"),
    "internal note on the claim": ("LOGNOTE-CLAIM-jkl",),
}
VENDOR_VALUES = ("Precision Bearings Co.", "Bearing 6204", "BRG-0001", "42.00", "FAILURE-DESCRIPTION-ok")


@tagged("post_install", "-at_install")
class TestClaimVendorCopy(TestSupplierClaim):
    """The claim PDF is the vendor's document: the part, the purchase, the claim amount and the
    failure; not our customer, their ticket or our internal follow-up."""

    allow_inherited_tests_method = False

    def _claim(self):
        self.customer.write({"name": "SECRET-CUSTOMER-ltd", "phone": "+86 10 5555 0199"})
        self.ticket.write(
            {
                "title": "TICKET-SUBJECT-xyz",
                "description": "<p>TICKET-DESCRIPTION-abc</p>",
                "review_note": "<p>INTERNAL-NOTE-abc</p>",
            }
        )
        with freeze_time("2026-03-01 10:00:00"):
            claim = self._claim_from_ticket()
        claim.write({"description": "<p>Bearing seized after 300 hours. FAILURE-DESCRIPTION-ok</p>"})
        claim.message_post(body="LOGNOTE-CLAIM-jkl", subtype_xmlid="mail.mt_note")
        self.assertTrue(claim.is_claimable)
        self.assertEqual(claim.ticket_id, self.ticket)
        return claim

    def assertVendorCopy(self, text, where):
        leaks = [f"{field} ({value})" for field, shown_as in STAFF_ONLY.items() for value in shown_as if value in text]
        self.assertFalse(leaks, f"{where} shows our internal data")
        missing = [value for value in VENDOR_VALUES if value not in text]
        self.assertFalse(missing, f"{where} lacks what the vendor needs")
        self.assertNotIn(self.ticket.name, text, f"{where} shows our ticket reference")

    def test_claim_rendered_as_superuser_shows_only_what_the_vendor_needs(self):
        claim = self._claim()
        # Later in the claim's life: what we recovered and how it ended stay ours.
        claim.write({"recovered_amount": 55.55, "resolution": "CLAIM-RESOLUTION-def"})
        report = self.env["ir.actions.report"].sudo()
        self.assertVendorCopy(report._render_qweb_html(CLAIM, claim.ids)[0].decode(), "the claim (HTML)")
        # In test mode the PDF renderer returns the HTML wkhtmltopdf would print.
        self.assertVendorCopy(report._render_qweb_pdf(CLAIM, claim.ids)[0].decode(), "the claim (PDF)")

    def test_claim_mailed_to_the_vendor(self):
        claim = self._claim()
        with freeze_time("2026-03-01 10:00:00"):
            claim.with_user(self.buyer).action_send()
        mail = claim.message_ids.filtered(lambda message: self.vendor in message.partner_ids)
        self.assertEqual(len(mail), 1)
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertVendorCopy(mail.attachment_ids.raw.decode(), "the mailed claim")
        for field, shown_as in STAFF_ONLY.items():
            for value in shown_as:
                self.assertNotIn(value, str(mail.body), f"the claim's email shows the {field}")
