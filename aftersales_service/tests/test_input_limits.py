"""Input limits that hold for every client: the images of a field form, mail from strangers."""

import base64
import functools
import io
import json
import random
import struct
import zlib

from PIL import Image

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import PNG_PIXEL, AftersalesCommon, portal_customer


def _png(width, height, rows=1):
    """A grey PNG declaring ``width`` × ``height`` pixels; only ``rows`` rows of zeros are
    really there (a decompression bomb declares far more pixels than its few bytes hold)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * (width + 1) * rows, 9)
    raw = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return base64.b64encode(raw)


def _noise(width, height, image_format="PNG"):
    """A real image of random grey pixels: it does not compress."""
    noise = random.Random(42).randbytes(width * height)
    buffer = io.BytesIO()
    Image.frombytes("L", (width, height), noise).save(buffer, format=image_format)
    return base64.b64encode(buffer.getvalue())


# 30000 × 30000 pixels in a few hundred bytes: PIL raises its DecompressionBombError on it.
BOMB = _png(30000, 30000)


@functools.cache
def quiet_bomb():
    """5000 × 5000 pixels of zeros in 25 KB: below the limits of PIL and of Odoo (50
    megapixels), which would decode and resize all of them."""
    return _png(5000, 5000, rows=5000)


@functools.cache
def heavy_signature():
    """800 × 800 pixels, few enough, but some 640 KB: more than a signature needs."""
    return _noise(800, 800)


GIF = base64.b64encode(b"GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x00;")
SVG = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
TEXT = base64.b64encode(b"Signed: Mr. Sun")


def _on_site_form(env, partner, technician=None):
    ticket = env["aftersales.ticket"].create({"partner_id": partner.id, "title": f"Visit {partner.name}"})
    form = env["aftersales.dispatch"].create(
        {"ticket_id": ticket.id, "technician_ids": [(6, 0, (technician or env.user).ids)]}
    )
    form.action_start()
    return form


@tagged("post_install", "-at_install")
class TestSignatureLimitsOnThePortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = portal_customer(cls.env, "limit_signer", {"name": "Limit Signer", "email": "ls@example.com"})
        cls.form = _on_site_form(cls.env, cls.customer)

    def _sign(self, signature):
        """The JSON-RPC answer of the signing route; a traceback would be a JSON-RPC error."""
        self.authenticate("limit_signer", "limit_signer_pw")
        response = self.url_open(
            f"/my/aftersales/forms/{self.form.id}/sign",
            data=json.dumps({"params": {"name": "Mr. Sun", "signature": signature.decode()}}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        payload = response.json()
        self.assertNotIn("error", payload, "no server error, a message for the customer")
        return payload["result"]

    def _assert_refused(self, signature, message):
        result = self._sign(signature)
        self.assertRegex(result.get("error", ""), message)
        self.form.invalidate_recordset()
        self.assertFalse(self.form.signature or self.form.signed_by, "nothing is written")

    def test_oversized_signature_is_refused(self):
        self._assert_refused(heavy_signature(), r"Signature is too large: \d+ KB, at most 512 KB")

    def test_decompression_bombs_are_refused(self):
        self._assert_refused(BOMB, r"Signature is too large: 30000 × 30000 pixels, at most 4 megapixels")
        self._assert_refused(quiet_bomb(), r"Signature is too large: 5000 × 5000 pixels")

    def test_only_png_or_jpeg_is_a_signature(self):
        for data in (GIF, SVG, TEXT):
            with self.subTest(data=data[:12]):
                self._assert_refused(data, "Signature must be a PNG or JPEG image")
        # A real signature still signs.
        self.assertTrue(self._sign(_noise(300, 100, "JPEG")).get("force_refresh"))
        self.assertEqual(self.form.signed_by, "Mr. Sun")


@tagged("post_install", "-at_install")
class TestImageLimitsOverRpc(AftersalesCommon):
    """What a technician's RPC client writes is checked as the portal's upload is."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.form = _on_site_form(cls.env, cls.customer, cls.user_tech)

    def _assert_refused(self, vals, message, user=None):
        form = self.form.with_user(user or self.user_tech)
        with self.assertRaisesRegex(ValidationError, message):
            form.write(vals)
        self.form.invalidate_recordset()
        self.assertFalse(self.form.signature or self.form.stamp, "nothing is written")

    def test_oversized_signature_is_refused(self):
        self._assert_refused({"signature": heavy_signature()}, r"Signature is too large: \d+ KB, at most 512 KB")

    def test_decompression_bombs_are_refused_before_odoo_decodes_them(self):
        self._assert_refused({"signature": BOMB}, "Signature is too large: 30000 × 30000 pixels")
        self._assert_refused({"signature": quiet_bomb()}, "Signature is too large: 5000 × 5000 pixels")
        self._assert_refused({"stamp": quiet_bomb()}, "Customer Stamp is too large: 5000 × 5000 pixels")
        # The server's own writes and new forms are no exception.
        self._assert_refused({"stamp": BOMB}, "Customer Stamp is too large", user=self.env.user)
        with self.assertRaisesRegex(ValidationError, "Signature is too large"):
            self.env["aftersales.dispatch"].create({"ticket_id": self.form.ticket_id.id, "signature": BOMB})

    def test_only_png_or_jpeg_is_an_image(self):
        for data in (SVG, TEXT, b"not base64 at all!"):
            with self.subTest(data=data[:12]):
                self._assert_refused({"signature": data}, "Signature must be a PNG or JPEG image")
        # Images within the limits are kept, and Odoo shrinks them as before.
        self.form.with_user(self.user_tech).write(
            {"signature": PNG_PIXEL, "stamp": _noise(1200, 900, "JPEG"), "signed_by": "Mr. Sun"}
        )
        self.assertTrue(self.form.signature)
        self.assertEqual(Image.open(io.BytesIO(base64.b64decode(self.form.stamp))).size, (512, 384))


@tagged("post_install", "-at_install")
class TestMailFromUnknownSenders(AftersalesCommon):
    MAIL = (
        "From: {sender}\nTo: aftersales@example.com\nSubject: Pump broken\nMessage-ID: <{msgid}@example.com>\n"
        "Content-Type: text/plain; charset=utf-8\n\nPlease send someone today.\n"
    )

    def _receive(self, sender, msgid):
        ticket_id = self.env["mail.thread"].message_process(
            "aftersales.ticket", self.MAIL.format(sender=sender, msgid=msgid)
        )
        return self.env["aftersales.ticket"].browse(ticket_id)

    def _partners(self, domain):
        return self.env["res.partner"].with_context(active_test=False).search_count(domain)

    def test_unknown_sender_creates_no_partner_and_is_flagged(self):
        partners = self._partners([])
        # A stranger writing in the name of a real customer.
        ticket = self._receive('"Huabei Water Works" <boss@huabei-water.example>', "lim-1")
        self.assertEqual(self._partners([]), partners, "no partner is created from a From header")
        self.assertEqual(self._partners([("name", "ilike", "Huabei Water Works")]), 1, "only the real customer")
        self.assertTrue(ticket.sender_unverified)
        self.assertEqual(ticket.partner_id, self.env.ref("aftersales_service.partner_unverified_sender"))
        self.assertNotEqual(ticket.commercial_partner_id, self.customer)
        self.assertEqual(ticket.contact_name, "Huabei Water Works")
        self.assertEqual(ticket.email, '"Huabei Water Works" <boss@huabei-water.example>', "the raw From")
        self.assertEqual(ticket.channel, "email")
        self.assertIn(ticket, self.env["aftersales.ticket"].search([("sender_unverified", "=", True)]))

    def test_staff_link_the_customer_which_clears_the_flag(self):
        ticket = self._receive("stranger@nowhere.example", "lim-2").with_user(self.user_sales)
        with self.assertRaisesRegex(UserError, "email sender is unverified"):
            ticket.action_submit_review()
        with self.assertRaises(AccessError):
            ticket.write({"sender_unverified": False})
        ticket.write({"partner_id": self.customer.id})
        self.assertFalse(ticket.sender_unverified)
        self.assertEqual(ticket.email, "service@huabei.example")
        ticket.action_submit_review()
        self.assertEqual(ticket.state, "review")

    def test_known_sender_is_linked_as_before(self):
        partners = self._partners([])
        ticket = self._receive("Whoever <service@huabei.example>", "lim-3")
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertFalse(ticket.sender_unverified)
        self.assertEqual(self._partners([]), partners)
