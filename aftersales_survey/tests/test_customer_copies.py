from odoo.tests import tagged

from .common import AftersalesSurveyCommon

LETTER = "aftersales_survey.action_report_aftersales_feedback"

# Staff-only values around a complaint: none of them belongs in the result letter.
STAFF_ONLY = {
    "quality review note of the linked ticket": ("INTERNAL-NOTE-abc",),
    "quality outcome of the linked ticket": ("MAJOR-OUTCOME-ghi",),
    "billing override reason of the linked ticket": ("OVERRIDE-REASON-def",),
    "interest notes of the revisit": ("INTEREST-NOTE-stu",),
    "internal note on the complaint": ("LOGNOTE-FEEDBACK-jkl",),
    "internal note on the linked ticket": ("LOGNOTE-TICKET-mno",),
    "severity": ("Major", "Severity"),
}
CUSTOMER_VALUES = ("CUSTOMER-WORDS-ok", "RESULT-FOR-CUSTOMER-ok", "Key Pumps Ltd")


@tagged("post_install", "-at_install")
class TestResultLetterCopy(AftersalesSurveyCommon):
    """The result letter (函告该客户) is mailed to the customer and rendered with sudo() by the
    mail template: it carries what the customer told us and our result, nothing internal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls.new_ticket(
            partner_id=cls.key_customer.id,
            title="Complaint about the pump",
            review_note="<p>INTERNAL-NOTE-abc</p>",
            billing_override="billable",
            billing_override_reason="OVERRIDE-REASON-def",
            is_major=True,
            major_outcome="MAJOR-OUTCOME-ghi",
        )
        cls.ticket.message_post(body="LOGNOTE-TICKET-mno", subtype_xmlid="mail.mt_note")
        cls.revisit = cls.env["aftersales.revisit"].create(
            {
                "partner_id": cls.key_customer.id,
                "due_date": "2026-01-15",
                "channel": "phone",
                "user_id": cls.user_sales.id,
                "note": "CUSTOMER-WORDS-ok",
                "interest_note": "INTEREST-NOTE-stu",
            }
        )
        cls.feedback = cls.env["aftersales.feedback"].create(
            {
                "partner_id": cls.key_customer.id,
                "kind": "complaint",
                "severity": "major",
                "description": "The pump is loud. CUSTOMER-WORDS-ok",
                "resolution": "We replaced the bearing. RESULT-FOR-CUSTOMER-ok",
                "ticket_id": cls.ticket.id,
                "revisit_id": cls.revisit.id,
                "user_id": cls.user_sales.id,
            }
        )
        cls.feedback.message_post(body="LOGNOTE-FEEDBACK-jkl", subtype_xmlid="mail.mt_note")

    def assertCustomerCopy(self, text, where):
        leaks = [f"{field} ({value})" for field, shown_as in STAFF_ONLY.items() for value in shown_as if value in text]
        self.assertFalse(leaks, f"{where} shows staff-only fields")
        missing = [value for value in CUSTOMER_VALUES if value not in text]
        self.assertFalse(missing, f"{where} lacks customer values")

    def test_result_letter_rendered_as_superuser(self):
        report = self.env["ir.actions.report"].sudo()
        html = report._render_qweb_html(LETTER, self.feedback.ids)[0].decode()
        self.assertCustomerCopy(html, "the result letter (HTML)")
        # In test mode the PDF renderer returns the HTML wkhtmltopdf would print.
        pdf_source = report._render_qweb_pdf(LETTER, self.feedback.ids)[0].decode()
        self.assertCustomerCopy(pdf_source, "the result letter (PDF)")

    def test_result_letter_mailed_on_closing(self):
        self.feedback.action_start()
        self.feedback.with_user(self.user_quality).action_close()
        letter = self.feedback.message_ids.filtered(lambda message: self.key_customer in message.partner_ids)
        self.assertEqual(len(letter), 1)
        self.assertEqual(len(letter.attachment_ids), 1)
        self.assertCustomerCopy(letter.attachment_ids.raw.decode(), "the mailed result letter")
        for field, shown_as in STAFF_ONLY.items():
            for value in shown_as:
                self.assertNotIn(value, str(letter.body), f"the letter's email shows the {field}")
