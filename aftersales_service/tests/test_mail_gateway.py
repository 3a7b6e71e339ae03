from odoo.tests import tagged

from .common import AftersalesCommon

MAIL = """Return-Path: <{email}>
From: Customer <{email}>
To: aftersales@example.com
Subject: {subject}
Message-ID: <{msgid}@example.com>
Content-Type: text/plain; charset=utf-8

The pump makes a grinding noise since Monday.
"""


@tagged("post_install", "-at_install")
class TestMailGateway(AftersalesCommon):
    def _receive(self, email, subject, msgid):
        return self.env["mail.thread"].message_process(
            "aftersales.ticket", MAIL.format(email=email, subject=subject, msgid=msgid)
        )

    def test_email_creates_a_ticket_for_the_known_customer(self):
        ticket_id = self._receive("service@huabei.example", "Grinding noise", "gw-1")
        ticket = self.env["aftersales.ticket"].browse(ticket_id)
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual((ticket.channel, ticket.title, ticket.state), ("email", "Grinding noise", "draft"))
        self.assertIn("grinding noise", ticket.description)

    def test_unknown_sender_becomes_a_customer(self):
        ticket = self.env["aftersales.ticket"].browse(self._receive("new@stranger.example", "Hello", "gw-2"))
        self.assertEqual(ticket.partner_id.email, "new@stranger.example")

    def test_same_message_twice_makes_one_ticket(self):
        first = self._receive("service@huabei.example", "Twice", "gw-3")
        second = self._receive("service@huabei.example", "Twice", "gw-3")
        self.assertTrue(first)
        self.assertFalse(second, "a duplicate Message-Id is ignored")
        self.assertEqual(self.env["aftersales.ticket"].search_count([("title", "=", "Twice")]), 1)
