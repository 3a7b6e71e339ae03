"""Installing the suite into a fresh database is clean and shows the product's menus."""

import re

BAD_LINE = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ")
# Odoo retries serialization failures and logs each retry: the only line allowed.
ALLOWED = re.compile(r"bad query.*could not serialize access")


def test_install_logs_no_warning_error_or_critical(installed_db):
    _db, log = installed_db
    text = log.read_text(errors="replace")
    assert "Modules loaded." in text, "the installation did not finish"
    bad = [line for line in text.splitlines() if BAD_LINE.match(line) and not ALLOWED.search(line)]
    assert bad == [], "\n".join(bad[:20])


def test_three_addons_installed(admin):
    modules = admin(
        "ir.module.module",
        "search_read",
        [("name", "in", ["aftersales_service", "aftersales_survey", "aftersales_supplier"])],
        ["name", "state"],
    )
    assert {m["name"]: m["state"] for m in modules} == {
        "aftersales_service": "installed",
        "aftersales_survey": "installed",
        "aftersales_supplier": "installed",
    }


def test_menus_visible_to_admin(admin):
    # ir.ui.menu's search only returns the menus this user may see.
    menus = admin("ir.ui.menu", "search_read", [], ["name"], context={"lang": "en_US"})
    names = {menu["name"] for menu in menus}
    assert {"After-Sales", "Tickets", "Field Forms", "Supplier Claims", "Revisit Tiers"} <= names
