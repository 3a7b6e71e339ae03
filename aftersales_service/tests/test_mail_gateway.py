from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CUSTOMER_MAIL, AftersalesCommon


@tagged("post_install", "-at_install")
class TestMailGateway(AftersalesCommon):
    def _receive(self, email, subject, msgid):
        return self.env["mail.thread"].message_process(
            "aftersales.ticket",
            CUSTOMER_MAIL.format(email=email, to="aftersales@example.com", subject=subject, msgid=msgid),
        )

    def test_email_creates_a_ticket_for_the_known_customer(self):
        ticket_id = self._receive("service@huabei.example", "Grinding noise", "gw-1")
        ticket = self.env["aftersales.ticket"].browse(ticket_id)
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual((ticket.channel, ticket.title, ticket.state), ("email", "Grinding noise", "draft"))
        self.assertIn("grinding noise", ticket.description)

    def test_unknown_sender_is_registered_unverified(self):
        # No partner is created from a From header any more (test_input_limits): the address
        # is kept on the ticket, which waits for staff to link the right customer.
        ticket = self.env["aftersales.ticket"].browse(self._receive("new@stranger.example", "Hello", "gw-2"))
        self.assertEqual(ticket.email, '"Customer" <new@stranger.example>')
        self.assertTrue(ticket.sender_unverified)

    def test_same_message_twice_makes_one_ticket(self):
        first = self._receive("service@huabei.example", "Twice", "gw-3")
        second = self._receive("service@huabei.example", "Twice", "gw-3")
        self.assertTrue(first)
        self.assertFalse(second, "a duplicate Message-Id is ignored")
        self.assertEqual(self.env["aftersales.ticket"].search_count([("title", "=", "Twice")]), 1)

    def test_the_sender_chooses_neither_the_reference_nor_the_assignee(self):
        ticket = self.env["aftersales.ticket"].browse(self._receive("service@huabei.example", "AS2026/00001", "gw-4"))
        self.assertTrue(ticket.name.startswith("AS"))
        self.assertNotEqual(ticket.name, "AS2026/00001", "the subject is the title, not the reference")
        self.assertEqual(ticket.title, "AS2026/00001")
        self.assertFalse(ticket.user_id, "nobody is assigned by mail")
        self.assertFalse(ticket.billing_override)
        self.assertEqual(ticket.state, "draft")

    def test_a_reply_lands_on_its_ticket(self):
        ticket = self.env["aftersales.ticket"].browse(self._receive("service@huabei.example", "Noise", "gw-5"))
        first = ticket.message_ids[-1].message_id
        reply = (
            "From: Customer <service@huabei.example>\nTo: aftersales@example.com\nSubject: Re: Noise\n"
            f"Message-ID: <gw-6@example.com>\nIn-Reply-To: {first}\nReferences: {first}\n\nIt got worse.\n"
        )
        count = self.env["aftersales.ticket"].search_count([])
        self.assertEqual(self.env["mail.thread"].message_process("aftersales.ticket", reply), ticket.id)
        self.assertEqual(self.env["aftersales.ticket"].search_count([]), count, "no second ticket")
        self.assertIn("It got worse", ticket.message_ids[0].body)

    def test_mail_without_a_sender_is_refused_cleanly(self):
        count = self.env["aftersales.ticket"].search_count([])
        for raw in ("", "garbage without any header", "Subject: who am I\n\nhello\n"):
            with self.subTest(raw=raw), self.assertRaisesRegex(UserError, "without a sender address"):
                self.env["mail.thread"].message_process("aftersales.ticket", raw)
        self.assertEqual(self.env["aftersales.ticket"].search_count([]), count)

    def test_malformed_body_still_registers_the_request(self):
        raw = (
            "From: a@malformed.example\nSubject: b64\nMessage-ID: <gw-7@example.com>\n"
            "Content-Transfer-Encoding: base64\nContent-Type: text/plain\n\n!!!not base64***\n"
        )
        ticket = self.env["aftersales.ticket"].browse(self.env["mail.thread"].message_process("aftersales.ticket", raw))
        self.assertEqual(ticket.email, "a@malformed.example")

    def test_script_in_an_html_mail_is_removed(self):
        raw = (
            "From: a@html.example\nSubject: html\nMessage-ID: <gw-8@example.com>\nContent-Type: text/html\n\n"
            "<p onclick=alert(1)>x<script>alert(2)</script><img src=x onerror=alert(3)></p>\n"
        )
        ticket = self.env["aftersales.ticket"].browse(self.env["mail.thread"].message_process("aftersales.ticket", raw))
        for dangerous in ("<script", "onerror", "onclick", "alert("):
            self.assertNotIn(dangerous, ticket.description)
