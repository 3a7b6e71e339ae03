from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestChineseTranslation(TransactionCase):
    """Users in Chinese read the policy's own words (售后服务单, 保修期, 有费服务 …)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["aftersales_service"], ["zh_CN"], overwrite=True)

    def _selection_label(self, model, field, value, lang="zh_CN"):
        labels = dict(
            self.env[model]
            .with_context(lang=lang)
            ._fields[field]
            ._description_selection(self.env(context={"lang": lang}))
        )
        return labels[value]

    def test_model_and_field_labels(self):
        Ticket = self.env["aftersales.ticket"].with_context(lang="zh_CN")
        description = self.env["ir.model"].with_context(lang="zh_CN")._get("aftersales.ticket").name
        self.assertEqual(description, "售后服务单")
        self.assertIn("保修", Ticket.fields_get(["warranty_state"])["warranty_state"]["string"])
        self.assertIn("有费服务", Ticket.fields_get(["is_billable"])["is_billable"]["string"])

    def test_states_and_channels(self):
        self.assertEqual(self._selection_label("aftersales.ticket", "channel", "phone"), "电话")
        self.assertEqual(self._selection_label("aftersales.ticket", "channel", "letter"), "信件")
        self.assertEqual(self._selection_label("aftersales.dispatch", "state", "filed"), "已备案")
        self.assertEqual(self._selection_label("aftersales.ticket", "state", "draft", lang="en_US"), "Registered")

    def test_error_messages_are_translated(self):
        ticket = self.env["aftersales.ticket"].create({"partner_id": self.env.user.partner_id.id})
        with self.assertRaisesRegex(Exception, "[\u4e00-\u9fff]"):
            ticket.with_context(lang="zh_CN").action_close()

    def test_field_form_report_title(self):
        menu = self.env.ref("aftersales_service.aftersales_menu_root").with_context(lang="zh_CN")
        self.assertEqual(menu.name, "售后服务")
        report = self.env.ref("aftersales_service.action_report_aftersales_dispatch").with_context(lang="zh_CN")
        self.assertEqual(report.name, "外出调试、维修跟踪报告单")

    def test_management_reports_open_from_chinese_menus(self):
        for xmlid, name in (
            ("aftersales_dispatch_analysis_menu_register", "售后服务派遣记录"),
            ("aftersales_dispatch_analysis_menu_cost", "售后服务费用报表"),
            ("aftersales_quarter_summary_menu", "季度维护内容总结（PDF）"),
        ):
            self.assertEqual(self.env.ref(f"aftersales_service.{xmlid}").with_context(lang="zh_CN").name, name)
