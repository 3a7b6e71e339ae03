import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

ADDONS = ["aftersales_service", "aftersales_survey", "aftersales_supplier"]
# Shown the same in both languages: a technical label and a symbol.
SAME_IN_CHINESE = {"ID", "<span>@</span>"}


@tagged("post_install", "-at_install")
class TestChineseTranslation(TransactionCase):
    """Users in Chinese read the policy's own words (售后服务单, 保修期, 有费服务 …)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(ADDONS, ["zh_CN"], overwrite=True)

    def _installed_addons(self):
        return [addon for addon in ADDONS if self.env["ir.module.module"]._get(addon).state == "installed"]

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
        # 来电来函 (售后管理制度 P3 std 5); a visit either way: the customer's (来访) or ours (走访).
        self.assertEqual(self._selection_label("aftersales.ticket", "channel", "letter"), "来函")
        self.assertEqual(self._selection_label("aftersales.ticket", "channel", "visit"), "来访或走访")
        self.assertEqual(self._selection_label("aftersales.dispatch", "state", "filed"), "已备案")
        self.assertEqual(self._selection_label("aftersales.ticket", "state", "draft", lang="en_US"), "Registered")

    def test_service_staff_and_spare_parts_in_the_policys_words(self):
        # 服务人员 for installation and repair alike (P4 §5.3), 备件 for the parts (P3 §1).
        fields = self.env["aftersales.dispatch"].with_context(lang="zh_CN").fields_get(["technician_ids"])
        self.assertEqual(fields["technician_ids"]["string"], "服务人员")
        part = self.env["aftersales.ticket.part"].with_context(lang="zh_CN").fields_get(["product_id"])
        self.assertEqual(part["product_id"]["string"], "备件")

    def test_returns_exchanges_and_compensations_in_the_policys_words(self):
        """退货、换货、赔偿 … 报总经理办公会或总经理批准 (P5 三.4(7))."""
        description = self.env["ir.model"].with_context(lang="zh_CN")._get("aftersales.settlement").name
        self.assertEqual(description, "退换货及赔偿单")
        self.assertEqual(self._selection_label("aftersales.settlement", "authority", "office_meeting"), "总经理办公会")
        self.assertEqual(self._selection_label("aftersales.settlement", "authority", "general_manager"), "总经理")
        self.assertEqual(self._selection_label("aftersales.settlement", "kind", "compensation"), "赔偿")

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

    def test_every_term_our_addons_show_is_translated(self):
        """Labels, menus, messages, reports and templates: nothing a user sees stays in English."""
        for addon in self._installed_addons():
            reader = TranslationModuleReader(self.env.cr, modules=[addon], lang="zh_CN")
            shown = {source for module, _type, _name, _id, source, _value, _comments in reader if module == addon}
            catalog = polib.pofile(f"{get_module_path(addon)}/i18n/zh_CN.po")
            translated = {entry.msgid for entry in catalog if entry.msgstr.strip() and not entry.obsolete}
            with self.subTest(addon=addon):
                self.assertGreater(len(shown), 20, "the reader found the addon's terms")
                self.assertFalse(sorted(term for term in shown - translated if term.strip()))

    def test_every_place_a_term_is_shown_is_translated(self):
        """A term translated for one field or view is not yet translated for another: each
        label, view and report that shows it needs its own entry (its occurrence in the po)."""
        for addon in self._installed_addons():
            reader = TranslationModuleReader(self.env.cr, modules=[addon], lang="zh_CN")
            untranslated = sorted(
                {
                    f"{name} {xmlid}: {source}"
                    for module, kind, name, xmlid, source, value, _comments in reader
                    if module == addon
                    and kind in ("model", "model_terms")
                    and name != "ir.actions.report,print_report_name"  # a Python expression
                    and source.strip()
                    and source not in SAME_IN_CHINESE
                    and (not (value or "").strip() or value == source)
                }
            )
            with self.subTest(addon=addon):
                self.assertFalse(untranslated)

    def test_each_addon_ships_a_current_template(self):
        """``i18n/<addon>.pot`` holds exactly the terms the addon shows (``make pot`` rewrites it)."""
        for addon in self._installed_addons():
            # lang=None is how Odoo's own export reads the terms of a template.
            reader = TranslationModuleReader(self.env.cr, modules=[addon])
            shown = {source for module, _type, _name, _id, source, _value, _comments in reader if module == addon}
            template = polib.pofile(f"{get_module_path(addon)}/i18n/{addon}.pot")
            listed = {entry.msgid for entry in template if not entry.obsolete}
            with self.subTest(addon=addon):
                self.assertGreater(len(shown), 20, "the reader found the addon's terms")
                self.assertFalse(sorted(shown - listed), f"shown but missing from {addon}.pot: run make pot")
                self.assertFalse(sorted(listed - shown), f"in {addon}.pot but no longer shown: run make pot")
                self.assertFalse([entry.msgid for entry in template if entry.msgstr], "a template has no translations")
