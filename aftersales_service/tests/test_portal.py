import ast
import base64
import re
from pathlib import Path

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, tagged

from odoo.addons.aftersales_service.controllers import main as controllers_main

from .common import PNG_PIXEL, portal_customer


@tagged("post_install", "-at_install")
class TestPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_a = portal_customer(cls.env, "portal_a", {"name": "Customer A", "email": "a@example.com"})
        cls.customer_b = cls.env["res.partner"].create({"name": "Customer B", "email": "b@example.com"})
        product = cls.env["product.product"].create({"name": "Portal Pump", "type": "consu"})
        cls.ticket_a = cls.env["aftersales.ticket"].create(
            {"partner_id": cls.customer_a.id, "title": "A's pump", "product_id": product.id}
        )
        cls.ticket_b = cls.env["aftersales.ticket"].create(
            {"partner_id": cls.customer_b.id, "title": "B's secret pump"}
        )
        cls.order_b = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer_b.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        cls.order_b.action_confirm()
        cls.order_a = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer_a.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        cls.order_a.action_confirm()

    def test_customer_sees_own_requests_not_others(self):
        self.authenticate("portal_a", "portal_a_pw")
        listing = self.url_open("/my/aftersales")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("A&#39;s pump", listing.text)
        self.assertIn("Portal Pump", listing.text)  # the product, which a portal user cannot read himself
        self.assertNotIn("secret", listing.text)
        own = self.url_open(f"/my/aftersales/{self.ticket_a.id}")
        self.assertIn(self.ticket_a.name, own.text)
        foreign = self.url_open(f"/my/aftersales/{self.ticket_b.id}", allow_redirects=False)
        self.assertIn(foreign.status_code, (302, 303))
        self.assertNotIn("secret", foreign.text)
        missing = self.url_open("/my/aftersales/999999", allow_redirects=False)
        self.assertIn(missing.status_code, (302, 303))

    def test_access_token_opens_the_ticket_and_a_wrong_one_does_not(self):
        token = self.ticket_b._portal_ensure_token()
        page = self.url_open(f"/my/aftersales/{self.ticket_b.id}?access_token={token}")
        self.assertIn("secret", page.text)
        wrong = self.url_open(f"/my/aftersales/{self.ticket_b.id}?access_token=wrong", allow_redirects=False)
        self.assertIn(wrong.status_code, (302, 303))

    def _submit(self, **fields):
        self.authenticate("portal_a", "portal_a_pw")
        page = self.url_open("/my/aftersales/new")
        self.assertEqual(page.status_code, 200)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        data = {"csrf_token": token, **fields}
        return self.url_open("/my/aftersales/new", data=data)

    def test_customer_submits_a_request(self):
        response = self._submit(
            title="Pump leaks",
            request_type="repair",
            sale_line_id=str(self.order_a.order_line.id),
            description="Water under the pump",
        )
        self.assertEqual(response.status_code, 200)
        ticket = self.env["aftersales.ticket"].search([("title", "=", "Pump leaks")])
        self.assertEqual((ticket.partner_id, ticket.channel), (self.customer_a, "portal"))
        self.assertEqual(ticket.sale_line_id, self.order_a.order_line)

    def test_customer_sends_photos_with_the_request(self):
        self.authenticate("portal_a", "portal_a_pw")
        page = self.url_open("/my/aftersales/new")
        self.assertIn('enctype="multipart/form-data"', page.text)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        photo = base64.b64decode(PNG_PIXEL)
        response = self.url_open(
            "/my/aftersales/new",
            data={"csrf_token": token, "title": "Cracked housing", "request_type": "repair"},
            files=[
                ("attachments", ("crack.png", photo, "image/png")),
                ("attachments", ("crack2.png", photo, "image/png")),
            ],
        )
        self.assertEqual(response.status_code, 200)
        ticket = self.env["aftersales.ticket"].search([("title", "=", "Cracked housing")])
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "aftersales.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(sorted(attachments.mapped("name")), ["crack.png", "crack2.png"])
        self.assertEqual(set(attachments.mapped("mimetype")), {"image/png"})
        message = ticket.message_ids.filtered("attachment_ids")
        self.assertEqual(message.author_id, self.customer_a, "the customer's own message, seen on the portal")
        self.assertFalse(message.subtype_id.internal)
        self.assertFalse(ticket.first_response_date, "the customer's photos are not our answer")

    def test_what_is_not_a_photo_is_refused_and_nothing_is_registered(self):
        self.authenticate("portal_a", "portal_a_pw")
        page = self.url_open("/my/aftersales/new")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            "/my/aftersales/new",
            data={"csrf_token": token, "title": "Script", "request_type": "repair"},
            files=[("attachments", ("photo.jpg", b"<script>alert(1)</script>", "image/jpeg"))],
        )
        self.assertIn("is not a photo", response.text)
        self.assertFalse(self.env["aftersales.ticket"].search([("title", "=", "Script")]))
        too_many = [("attachments", (f"p{i}.png", base64.b64decode(PNG_PIXEL), "image/png")) for i in range(6)]
        response = self.url_open(
            "/my/aftersales/new",
            data={"csrf_token": token, "title": "Many", "request_type": "repair"},
            files=too_many,
        )
        self.assertIn("Send at most 5 files", response.text)
        self.assertFalse(self.env["aftersales.ticket"].search([("title", "=", "Many")]))

    def test_customer_searches_and_filters_the_request_list(self):
        closed = self.env["aftersales.ticket"].create({"partner_id": self.customer_a.id, "title": "Old valve"})
        closed.sudo().write({"state": "closed"})
        self.authenticate("portal_a", "portal_a_pw")
        page = self.url_open("/my/aftersales?search=valve&search_in=title")
        self.assertIn("Old valve", page.text)
        self.assertNotIn("A&#39;s pump", page.text)
        page = self.url_open("/my/aftersales?search=Portal Pump&search_in=product")
        self.assertIn("A&#39;s pump", page.text, "found by its product, which the customer cannot read himself")
        self.assertNotIn("Old valve", page.text)
        page = self.url_open("/my/aftersales?filterby=open")
        self.assertIn("A&#39;s pump", page.text)
        self.assertNotIn("Old valve", page.text)
        page = self.url_open("/my/aftersales?filterby=done&sortby=name")
        self.assertIn("Old valve", page.text)
        self.assertNotIn("A&#39;s pump", page.text)
        page = self.url_open("/my/aftersales?search=secret&search_in=all")
        self.assertNotIn("B&#39;s secret pump", page.text, "another customer's stays hidden")
        self.assertIn("No service request matches your search", page.text)

    def test_customer_cannot_claim_another_customers_purchase(self):
        response = self._submit(title="Not mine", request_type="repair", sale_line_id=str(self.order_b.order_line.id))
        self.assertIn("Choose one of your own purchases", response.text)
        self.assertFalse(self.env["aftersales.ticket"].search([("title", "=", "Not mine")]))

    def test_missing_subject_and_unknown_type_are_refused(self):
        response = self._submit(title="", request_type="teleport")
        self.assertIn("Tell us briefly", response.text)
        self.assertIn("Choose a request type", response.text)

    def test_another_tickets_token_or_none_is_refused(self):
        token_a = self.ticket_a._portal_ensure_token()
        for url in (
            f"/my/aftersales/{self.ticket_b.id}?access_token={token_a}",
            f"/my/aftersales/{self.ticket_b.id}",
            f"/my/aftersales/{self.ticket_b.id}?access_token=",
        ):
            with self.subTest(url=url):
                page = self.url_open(url, allow_redirects=False)
                self.assertIn(page.status_code, (302, 303))
                self.assertNotIn("secret", page.text)

    def test_unknown_form_redirects_instead_of_failing(self):
        self.authenticate("portal_a", "portal_a_pw")
        for url in ("/my/aftersales/forms/999999", "/my/aftersales/forms/999999?report_type=pdf"):
            with self.subTest(url=url):
                self.assertIn(self.url_open(url, allow_redirects=False).status_code, (302, 303))


@tagged("post_install", "-at_install")
class TestControllersCheckAccess(TransactionCase):
    """A route that takes a record id and reads it with sudo() must check the caller's
    access to that record first (_document_check_access or check_access)."""

    def test_every_route_with_a_record_id_checks_access_before_sudo(self):
        tree = ast.parse(Path(controllers_main.__file__).read_text())
        routes = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef)
            and any("route" in ast.unparse(decorator) for decorator in node.decorator_list)
        ]
        self.assertGreaterEqual(len(routes), 5)
        for route in routes:
            source = ast.unparse(route)
            takes_id = any(arg.arg.endswith("_id") for arg in route.args.args)
            with self.subTest(route=route.name):
                if takes_id and "sudo" in source:
                    self.assertTrue(
                        "_document_check_access" in source or "check_access" in source,
                        f"{route.name} reads a record id with sudo() without checking access",
                    )
