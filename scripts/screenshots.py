"""Every screenshot of the README, in English and in Chinese, from a running server in one command.

    python scripts/screenshots.py [--base http://localhost:8069] [--db aftersales] [--out docs/screenshots]
                                  [--lang en_US,zh_CN] [--only ticket-form,portal-form ...]

Needs the three addons with their demo data (``make run`` makes such a database), Chromium,
and ``pdftoppm`` (poppler-utils) for the PDFs. Back-office screens are taken as ``admin``, portal
pages as the demo customer ``portal``; PDFs are Odoo's own reports (wkhtmltopdf) turned into PNG.
English images are ``<name>.png``, Chinese ones ``zh-<name>.png``. The users' language (and the
language of the customers and vendor whose PDFs are printed) is switched for the Chinese run and
restored at the end.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import xmlrpc.client

import requests
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from screenshot import Browser

WIDTH, HEIGHT = 1400, 900
# A phone held upright (the technician's screens): CSS pixels of a 6.1-inch phone.
PHONE = {"width": 390, "height": 844, "mobile": True}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Records the screens show, by xml id (the demo data of the three addons).
RECORDS = {
    "ticket": "aftersales_service.ticket_paid_demo",
    "ticket_on_site": "aftersales_service.ticket_on_site_demo",
    "ticket_done": "aftersales_service.ticket_done_demo",
    "ticket_planned": "aftersales_service.ticket_planned_demo",
    "claim": "aftersales_supplier.supplier_claim_draft_demo",
    "feedback": "aftersales_survey.feedback_complaint_demo",
    "portal_ticket": "aftersales_service.ticket_portal_demo",
    "settlement": "aftersales_service.settlement_return_demo",
    "portal_user": "base.demo_user0",
    "admin": "base.user_admin",
}

ACTION = "/odoo/action-{}".format
TICKETS = ACTION("aftersales_service.aftersales_ticket_action")
FORMS = ACTION("aftersales_service.aftersales_dispatch_action")
TODAY = ACTION("aftersales_service.aftersales_dispatch_action_my_today")
CLAIMS = ACTION("aftersales_supplier.aftersales_supplier_claim_action")
SETTLEMENTS = ACTION("aftersales_service.aftersales_settlement_action")
REVISITS = ACTION("aftersales_survey.aftersales_revisit_action")

# name, who, path (formatted with the ids), options: width of the window, JavaScript run before the shot.
SCREENS = [
    ("tickets-kanban", "admin", TICKETS, {"width": 1920}),
    ("ticket-form", "admin", TICKETS + "/{ticket}", {}),
    ("field-form", "admin", FORMS + "/{form_done}", {}),
    ("field-form-on-site", "admin", FORMS + "/{form_on_site}", {}),
    ("settlement-form", "admin", SETTLEMENTS + "/{settlement}", {}),
    ("revisits", "admin", REVISITS, {}),
    ("revisit-calendar", "admin", REVISITS + "?view_type=calendar", {}),
    ("supplier-claims", "admin", CLAIMS, {}),
    ("supplier-claim-form", "admin", CLAIMS + "/{claim}", {}),
    (
        "dispatch-register",
        "admin",
        ACTION("aftersales_service.aftersales_dispatch_analysis_action_register"),
        {"width": 1920},
    ),
    ("service-costs", "admin", ACTION("aftersales_service.aftersales_dispatch_analysis_action_cost"), {}),
    ("problem-analysis", "admin", ACTION("aftersales_service.aftersales_ticket_analysis_action_problems"), {}),
    ("sla-compliance", "admin", ACTION("aftersales_service.aftersales_ticket_analysis_action_sla"), {}),
    (
        "ticket-analysis-graph",
        "admin",
        ACTION("aftersales_service.aftersales_ticket_action_report") + "?view_type=graph",
        {},
    ),
    # The technician's visit on a phone, step by step.
    ("phone-today", "admin", TODAY, PHONE),
    ("phone-arrive", "admin", FORMS + "/{form_planned}", PHONE),
    ("phone-on-site", "admin", FORMS + "/{form_on_site}", PHONE),
    (
        "phone-parts-photos",
        "admin",
        FORMS + "/{portal_form}",
        {**PHONE, "script": "document.querySelector('.o_field_widget[name=part_line_ids]').scrollIntoView()"},
    ),
    (
        "phone-add-part",
        "admin",
        FORMS + "/{form_on_site}",
        {
            **PHONE,
            "script": "document.querySelector('.o_field_widget[name=part_line_ids] .o_cp_buttons button').click()",
        },
    ),
    (
        "phone-sign",
        "admin",
        FORMS + "/{form_on_site}",
        {
            **PHONE,
            "script": "document.querySelector('.o_notebook a[name=signature]').click();"
            "setTimeout(() => document.querySelector('.o_field_widget[name=signature] .o_signature').click(), 500)",
        },
    ),
    (
        "phone-signed",
        "admin",
        FORMS + "/{form_done}",
        {
            **PHONE,
            "script": "document.querySelector('.o_notebook a[name=signature]').click();"
            "setTimeout(() => document.querySelector('.o_notebook').scrollIntoView(), 300)",
        },
    ),
    ("portal-tickets", "portal", "/my/aftersales", {}),
    ("portal-ticket", "portal", "/my/aftersales/{portal_ticket}", {}),
    ("portal-new-request", "portal", "/my/aftersales/new", {}),
    ("portal-form", "portal", "/my/aftersales/forms/{portal_form}", {}),
    (
        "portal-form-sign",
        "portal",
        "/my/aftersales/forms/{portal_form}",
        {"script": "document.querySelector('[data-bs-target=\"#modal_sign_form\"]').click()"},
    ),
]

# name, report, record key; the PDF's first page becomes the image.
PDFS = [
    ("field-form-pdf", "aftersales_service.report_aftersales_dispatch", "form_done"),
    ("supplier-claim-pdf", "aftersales_supplier.report_supplier_claim", "claim"),
    ("quarter-summary-pdf", "aftersales_service.report_quarter_summary", "quarter_summary"),
    ("result-letter-pdf", "aftersales_survey.report_aftersales_feedback", "feedback"),
]


class Server:
    """XML-RPC as the administrator: look records up, switch languages."""

    def __init__(self, base, db, login, password):
        self.db, self.password = db, password
        self.uid = xmlrpc.client.ServerProxy(f"{base}/xmlrpc/2/common").authenticate(db, login, password, {})
        if not self.uid:
            raise SystemExit(f"cannot log in to {db} as {login}")
        self.models = xmlrpc.client.ServerProxy(f"{base}/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, *args, **kw):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method, list(args), kw)

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self("ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)], fields=["res_id"])
        if not rows:
            raise SystemExit(f"{xmlid} is missing: the database needs the after-sales demo data")
        return rows[0]["res_id"]

    def lang_prefix(self, code):
        url_code = self("res.lang", "search_read", [("code", "=", code)], fields=["url_code"])[0]["url_code"]
        return f"/{url_code}"

    def ensure_lang(self, code):
        if not self("res.lang", "search", [("code", "=", code), ("active", "=", True)]):
            lang_id = self("res.lang", "search", [("code", "=", code), ("active", "=", False)])
            wizard = self("base.language.install", "create", {"lang_ids": [(6, 0, lang_id)], "overwrite": False})
            self("base.language.install", "lang_install", [wizard])


def record_ids(server):
    ids = {key: server.ref(xmlid) for key, xmlid in RECORDS.items()}
    for key in ("ticket_on_site", "ticket_done", "ticket_planned", "portal_ticket"):
        dispatch = server("aftersales.ticket", "read", [ids[key]], ["dispatch_ids"])[0]["dispatch_ids"]
        ids[key.replace("ticket", "form")] = dispatch[0]
    # The quarterly summary is a wizard: one for the current quarter.
    today = time.localtime()
    ids["quarter_summary"] = server(
        "aftersales.quarter.summary", "create", {"year": today.tm_year, "quarter": str((today.tm_mon - 1) // 3 + 1)}
    )
    return ids


def pdf_partners(server, ids):
    """Customers and vendor whose PDFs are printed in their own language."""
    partners = {
        server("aftersales.dispatch", "read", [ids["form_done"]], ["partner_id"])[0]["partner_id"][0],
        server("aftersales.supplier.claim", "read", [ids["claim"]], ["partner_id"])[0]["partner_id"][0],
        server("aftersales.feedback", "read", [ids["feedback"]], ["partner_id"])[0]["partner_id"][0],
    }
    return sorted(partners)


def set_langs(server, ids, partners, lang):
    server("res.users", "write", [ids["admin"], ids["portal_user"]], {"lang": lang})
    server("res.partner", "write", partners, {"lang": lang})


def pdf_to_png(base, db, login, password, report, record_id, output, resolution):
    session = requests.Session()
    auth = session.post(
        f"{base}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": password}},
        timeout=60,
    )
    auth.raise_for_status()
    response = session.get(f"{base}/report/pdf/{report}/{record_id}", timeout=300)
    response.raise_for_status()
    if not response.content.startswith(b"%PDF"):
        raise RuntimeError(f"{report} did not return a PDF")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = os.path.join(tmp, "report.pdf")
        with open(pdf, "wb") as handle:
            handle.write(response.content)
        # The first two pages side by side: the field form's signatures are on the second.
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", "2", pdf, f"{tmp}/page"], check=True
        )
        pages = [Image.open(os.path.join(tmp, name)) for name in sorted(os.listdir(tmp)) if name.endswith(".png")]
        sheet = Image.new(
            "RGB", (sum(page.width for page in pages) + 16 * (len(pages) - 1), pages[0].height), "#d0d0d0"
        )
        left = 0
        for page in pages:
            sheet.paste(page, (left, 0))
            left += page.width + 16
        sheet.save(output, optimize=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default=f"http://localhost:{os.environ.get('AFTERSALES_PORT', '8069')}")
    parser.add_argument("--db", default=os.environ.get("AFTERSALES_DB", "aftersales"))
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "screenshots"))
    parser.add_argument("--lang", default="en_US,zh_CN", help="comma-separated; zh_CN images get a zh- prefix")
    parser.add_argument("--only", default="", help="comma-separated names, e.g. ticket-form,field-form-pdf")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--portal-login", default="portal")
    parser.add_argument("--portal-password", default="portal")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds to let a page settle before the shot")
    parser.add_argument("--resolution", type=int, default=90, help="PDF rendering, dots per inch")
    args = parser.parse_args()
    only = {name for name in args.only.split(",") if name}
    os.makedirs(args.out, exist_ok=True)

    server = Server(args.base, args.db, args.login, args.password)
    ids = record_ids(server)
    partners = pdf_partners(server, ids)
    before_users = {
        u["id"]: u["lang"] for u in server("res.users", "read", [ids["admin"], ids["portal_user"]], ["lang"])
    }
    before_partners = {p["id"]: p["lang"] for p in server("res.partner", "read", partners, ["lang"])}
    credentials = {
        "admin": (args.login, args.password),
        "portal": (args.portal_login, args.portal_password),
    }
    try:
        for lang in args.lang.split(","):
            server.ensure_lang(lang)
            set_langs(server, ids, partners, lang)
            prefix = "" if lang == "en_US" else lang.split("_")[0] + "-"
            for who in ("admin", "portal"):
                screens = [s for s in SCREENS if s[1] == who and (not only or s[0] in only)]
                if not screens:
                    continue
                browser = Browser()
                try:
                    browser.login(args.base, *credentials[who])
                    for name, _who, path, options in screens:
                        output = os.path.join(args.out, f"{prefix}{name}.png")
                        browser.resize(
                            options.get("width", WIDTH), options.get("height", HEIGHT), options.get("mobile", False)
                        )
                        if who == "portal":
                            # Portal pages follow the language in their URL (else a cookie).
                            path = server.lang_prefix(lang) + path
                        browser.goto(args.base + path.format(**ids), args.settle)
                        if options.get("script"):
                            browser.evaluate(options["script"])
                            time.sleep(1.5)
                        browser.screenshot(output)
                        print(output, flush=True)
                finally:
                    browser.close()
            for name, report, key in PDFS:
                if only and name not in only:
                    continue
                output = os.path.join(args.out, f"{prefix}{name}.png")
                pdf_to_png(args.base, args.db, args.login, args.password, report, ids[key], output, args.resolution)
                print(output, flush=True)
    finally:
        for user_id, lang in before_users.items():
            server("res.users", "write", [user_id], {"lang": lang})
        for partner_id, lang in before_partners.items():
            server("res.partner", "write", [partner_id], {"lang": lang})


if __name__ == "__main__":
    main()
