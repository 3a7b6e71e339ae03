import logging

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import config

from .common import PNG_PIXEL

REPORT_LOGGER = "odoo.addons.base.models.ir_actions_report"


@tagged("post_install", "-at_install")
class TestTicketReports(HttpCase):
    """The 售后服务单 and the register of calls and letters (售后管理制度 P3 std 3 and 5,
    P6 三.7 and 三.10) as printed, in the policy's words."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["aftersales_service"], ["zh_CN"], overwrite=True)
        cls.clerk = new_test_user(
            cls.env,
            "as_register_clerk",
            name="王登记",
            groups="base.group_user,aftersales_service.group_aftersales_user",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "华北水务公司", "lang": "zh_CN", "phone": "010-12345678", "street": "北京市海淀区"}
        )
        cls.ticket = (
            cls.env["aftersales.ticket"]
            .with_user(cls.clerk)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "title": "水泵异响",
                    "channel": "letter",
                    "contact_name": "张先生",
                    "product_grade": "一等品",
                }
            )
            .sudo()
        )
        form = cls.env["aftersales.dispatch"].create(
            {"ticket_id": cls.ticket.id, "work_summary": "<p>更换密封件，试运行正常</p>"}
        )
        form.action_start()
        form.write(
            {"resolved_on_site": True, "signature": PNG_PIXEL, "signed_by": "张先生", "findings": "密封圈批次缺陷"}
        )
        cls.form = form

    def _render(self, xmlid, records, lang="en_US"):
        report = self.env["ir.actions.report"].with_context(lang=lang)
        return report._render_qweb_html(xmlid, records.ids)[0].decode()

    def test_service_ticket_prints_in_the_customers_language(self):
        html = self._render("aftersales_service.action_report_aftersales_ticket", self.ticket)
        for text in ("售后服务单", self.ticket.name, "华北水务公司", "张先生", "水泵异响", "一等品", "更换密封件"):
            self.assertIn(text, html)
        # The form says the job was finished on site, and leaves the owner room to evaluate it.
        for text in ("是否当场处理完妥", "业主对服务的评估", "满意", "不满意", "客户签字"):
            self.assertIn(text, html)
        self.assertNotIn("Customer Signature", html, "the customer's language, not the printing user's")
        self.assertNotIn("密封圈批次缺陷", html, "findings for quality stay off the customer's copy")

    def test_register_lists_each_call_and_letter_in_the_users_language(self):
        other = self.env["aftersales.ticket"].create({"partner_id": self.customer.id, "title": "来电咨询保养"})
        tickets = self.ticket | other
        html = self._render("aftersales_service.action_report_aftersales_register", tickets, lang="zh_CN")
        for text in ("来电来函登记", "登记人", "来函", "电话", "王登记", "010-12345678", "水泵异响", "来电咨询保养"):
            self.assertIn(text, html)
        english = self._render("aftersales_service.action_report_aftersales_register", tickets)
        self.assertIn("Register of Calls and Letters", english)

    def test_ticket_and_field_form_render_as_pdf(self):
        self.env["ir.config_parameter"].sudo().set_param("report.url", f"http://127.0.0.1:{config['http_port']}")
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        for xmlid, records in (
            ("aftersales_service.action_report_aftersales_ticket", self.ticket),
            ("aftersales_service.action_report_aftersales_register", self.ticket),
            ("aftersales_service.action_report_aftersales_dispatch", self.form),
        ):
            # Debian's wkhtmltopdf is built without patched Qt and says so on every run:
            # that notice is the only warning accepted here.
            with self.assertLogs(REPORT_LOGGER, logging.WARNING) as logs:
                logging.getLogger(REPORT_LOGGER).warning("rendering %s", xmlid)
                pdf, report_type = report._render_qweb_pdf(xmlid, records.ids)
            for line in logs.output[1:]:
                self.assertIn("unpatched qt", line)
                self.assertNotIn("error", line.lower())
            self.assertEqual(report_type, "pdf")
            self.assertTrue(pdf.startswith(b"%PDF"))
        # Both copies of the field form say whether the job was finished on site.
        for xmlid in ("action_report_aftersales_dispatch", "action_report_aftersales_dispatch_internal"):
            html = self._render(f"aftersales_service.{xmlid}", self.form, lang="zh_CN")
            self.assertIn("是否当场处理完妥", html)
