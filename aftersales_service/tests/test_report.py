import logging

from odoo.tests import HttpCase, tagged
from odoo.tools import config

from .common import PNG_PIXEL

REPORT_LOGGER = "odoo.addons.base.models.ir_actions_report"


@tagged("post_install", "-at_install")
class TestFieldFormReport(HttpCase):
    """wkhtmltopdf fetches the report's assets from this test server, hence an HttpCase."""

    def test_pdf_renders_chinese_text_signature_and_parts(self):
        partner = self.env["res.partner"].create({"name": "华北水务公司", "lang": "en_US"})
        ticket = self.env["aftersales.ticket"].create({"partner_id": partner.id, "title": "水泵异响"})
        form = self.env["aftersales.dispatch"].create(
            {
                "ticket_id": ticket.id,
                "work_summary": "<p>更换密封件，试运行正常</p>",
                "part_line_ids": [(0, 0, {"product_id": self.env["product.product"].create({"name": "密封件"}).id})],
            }
        )
        form.action_start()
        form.write({"signature": PNG_PIXEL, "signed_by": "张先生", "stamp": PNG_PIXEL})
        self.env["ir.config_parameter"].sudo().set_param("report.url", f"http://127.0.0.1:{config['http_port']}")
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        # Debian's wkhtmltopdf is built without patched Qt and says so on every run:
        # that notice is the only warning accepted here.
        with self.assertLogs(REPORT_LOGGER, logging.WARNING) as logs:
            logging.getLogger(REPORT_LOGGER).warning("rendering the field form")
            pdf, report_type = report._render_qweb_pdf("aftersales_service.action_report_aftersales_dispatch", form.ids)
        for line in logs.output[1:]:
            self.assertIn("unpatched qt", line)
            self.assertNotIn("error", line.lower())
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        html = report._render_qweb_html("aftersales_service.action_report_aftersales_dispatch", form.ids)[0].decode()
        for text in ("更换密封件", "密封件", "张先生", form.name, ticket.name, "data:image/png;base64"):
            self.assertIn(text, html)
