"""Photos taken on site, the card's call and map links, and the photo annex of the field form."""

import base64
import io
import random

from PIL import Image

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PNG_PIXEL, AftersalesCommon
from .test_input_limits import BOMB, quiet_bomb


def _camera_photo(width, height):
    """A phone photo: a JPEG of random colours, which does not compress."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), random.Random(7).randbytes(width * height * 3)).save(
        buffer, format="JPEG", quality=85
    )
    return base64.b64encode(buffer.getvalue())


@tagged("post_install", "-at_install")
class TestFieldPhotos(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write({"phone": "+86 10 6666 0001", "street": "1 Chang'an Avenue", "city": "Beijing"})
        cls.ticket = cls.new_ticket()
        cls.form = cls.env["aftersales.dispatch"].create({"ticket_id": cls.ticket.id})
        cls.tech_form = cls.form.with_user(cls.user_tech)

    def test_photos_are_taken_on_site_only(self):
        with self.assertRaisesRegex(UserError, "Photo of the Fault cannot be changed while"):
            self.tech_form.write({"fault_photo": PNG_PIXEL})
        self.form.action_start()
        self.tech_form.write({"fault_photo": PNG_PIXEL, "work_photo": _camera_photo(1600, 1200)})
        self.assertTrue(self.form.fault_photo)
        # Stored shrunk, as the camera's photo is larger than the form needs.
        stored = Image.open(io.BytesIO(base64.b64decode(self.form.work_photo)))
        self.assertEqual(stored.size, (1024, 768))
        self.form.write({"signature": PNG_PIXEL, "signed_by": "Mr. Zhao"})
        self.form.action_done()
        with self.assertRaisesRegex(UserError, "Photo of the Finished Work cannot be changed while"):
            self.tech_form.write({"work_photo": PNG_PIXEL})
        self.assertEqual(Image.open(io.BytesIO(base64.b64decode(self.form.work_photo))).size, (1024, 768))

    def test_oversized_or_false_photos_are_refused(self):
        self.form.action_start()
        for value, message in (
            (BOMB, "Photo of the Fault is too large: 30000 × 30000 pixels, at most 25 megapixels"),
            (base64.b64encode(b"GIF89a not a photo"), "Photo of the Fault must be a PNG or JPEG image"),
            (b"A" * (12 * 1024 * 1024), "Photo of the Fault is too large: .* KB, at most 8192 KB"),
        ):
            with self.subTest(message=message), self.assertRaisesRegex(ValidationError, message):
                self.tech_form.write({"fault_photo": value})
        # 5000 × 5000 pixels is a photo a phone may take: it is kept, shrunk.
        self.tech_form.write({"work_photo": quiet_bomb()})
        self.assertEqual(Image.open(io.BytesIO(base64.b64decode(self.form.work_photo))).size, (1024, 1024))
        self.assertFalse(self.form.fault_photo, "nothing refused was written")

    def test_card_calls_and_maps_the_site(self):
        self.assertEqual(self.form.site_phone, "+86 10 6666 0001")
        self.assertIn("1 Chang'an Avenue", self.form.site_address)
        self.assertTrue(self.form.map_url.startswith("https://www.openstreetmap.org/search?query=1%20Chang"))
        self.env["ir.config_parameter"].sudo().set_param(
            "aftersales_service.map_url", "https://uri.amap.com/search?keyword={address}"
        )
        self.form.invalidate_recordset(["map_url"])
        self.assertIn("keyword=1%20Chang%27an%20Avenue", self.form.with_user(self.user_tech).map_url)
        self.ticket.address = False
        self.assertFalse(self.form.map_url, "no address, no map link")

    def test_photos_are_the_annex_of_both_copies(self):
        report = self.env["ir.actions.report"]
        for xmlid in ("action_report_aftersales_dispatch", "action_report_aftersales_dispatch_internal"):
            html = report._render_qweb_html(f"aftersales_service.{xmlid}", self.form.ids)[0].decode()
            self.assertNotIn("Annex: Photos", html, "no photo, no annex")
        self.form.action_start()
        self.tech_form.write({"fault_photo": PNG_PIXEL, "work_photo": PNG_PIXEL})
        for xmlid in ("action_report_aftersales_dispatch", "action_report_aftersales_dispatch_internal"):
            with self.subTest(report=xmlid):
                html = report._render_qweb_html(f"aftersales_service.{xmlid}", self.form.ids)[0].decode()
                annex = html[html.index("Annex: Photos") :]
                self.assertIn("Photo of the Fault", annex)
                self.assertIn("Photo of the Finished Work", annex)
                self.assertEqual(annex.count("data:image/png;base64"), 2)
