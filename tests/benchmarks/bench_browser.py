"""Time until the tickets list and kanban are usable in Chromium, ours and helpdesk's, read
from the browser's own Performance API (``performance.now()``, whose origin is the start of
the navigation).

Headless Chromium is driven over the DevTools protocol (``websocket-client``, already a test
dependency for Odoo's tours). The admin's session cookie comes from
``/web/session/authenticate``. Two figures per view, the models in turn on each run:

- ``open``: a full page load of the action's URL (``/odoo/action-<xmlid>?view_type=…``) until
  the first rows (list) or cards (kanban) of real data are drawn; assets come from the
  browser's cache after the first run, as for a user who opened Odoo before;
- ``switch``: inside the loaded web client, the action service opening the other model's view
  (``doAction``) until its rows or cards are drawn, as a user clicking a menu.
"""

import contextlib
import json
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.request

import testkit

ACTIONS = {
    "aftersales.ticket": "aftersales_service.aftersales_ticket_action",
    "helpdesk.ticket": "helpdesk_mgmt.helpdesk_ticket_action",
}
# Rows or cards of real data (not the sample shown on an empty view), the spinner gone.
READY = {
    "list": ".o_list_renderer .o_data_row",
    "kanban": ".o_kanban_renderer .o_kanban_record:not(.o_kanban_ghost)",
}
WAIT_JS = """
new Promise((resolve, reject) => {
    const selector = %s;
    const deadline = performance.now() + 60000;
    function check() {
        const ready = document.querySelector(selector)
            && !document.querySelector('.o_view_sample_data')
            && !document.querySelector('.o_blockUI');
        if (ready) { resolve(performance.now()); }
        else if (performance.now() > deadline) { reject(new Error('not ready: ' + selector)); }
        else { requestAnimationFrame(check); }
    }
    check();
})
"""
SWITCH_JS = """
(async () => {
    const start = performance.now();
    const env = odoo.__WOWL_DEBUG__.root.env;
    await env.services.action.doAction(%s, {viewType: %s, clearBreadcrumbs: true});
    const end = await %s;
    return end - start;
})()
"""


class Chromium:
    """One headless Chromium with its DevTools endpoint on a free port, one page."""

    def __init__(self, out):
        import websocket  # noqa: PLC0415 - a test dependency (requirements-dev.txt)

        self.profile = tempfile.mkdtemp(prefix="bench-chromium-")
        port = testkit.free_port()
        binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        if not binary:
            raise RuntimeError("Chromium is not installed")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                "--window-size=1366,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=(out / "chromium.log").open("w"),
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as response:
                    pages = [t for t in json.loads(response.read()) if t["type"] == "page"]
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.close()
                    raise RuntimeError("Chromium's DevTools endpoint did not answer") from None
                time.sleep(0.3)
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=90)
        self.next_id = 0

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"].get("exception", {}).get("description", str(result)))
        return result["result"].get("value")

    def close(self):
        with contextlib.suppress(Exception):
            self.ws.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def open_view(browser, url, model, view_type):
    """Navigate to the action's URL; ms from the navigation's start until the view is usable."""
    browser.send("Page.navigate", url=f"{url}/odoo/action-{ACTIONS[model]}?view_type={view_type}")
    time.sleep(0.05)  # the new document replaces about:blank or the previous page
    for _ in range(100):
        if browser.evaluate("location.pathname.startsWith('/odoo') && document.readyState") in (
            "interactive",
            "complete",
        ):
            break
        time.sleep(0.05)
    return browser.evaluate(WAIT_JS % json.dumps(READY[view_type]))


def switch_view(browser, model, view_type):
    return browser.evaluate(
        SWITCH_JS % (json.dumps(ACTIONS[model]), json.dumps(view_type), WAIT_JS % json.dumps(READY[view_type]))
    )


def measure(url, db, login, password, runs, out):
    session = testkit.WebSession(url, db, login, password)
    cookie = next(c for c in session.opener.handlers if hasattr(c, "cookiejar")).cookiejar
    session_id = next(c.value for c in cookie if c.name == "session_id")
    browser = Chromium(out)
    try:
        browser.send("Page.enable")
        browser.send("Network.enable")
        browser.send("Network.setCookie", name="session_id", value=session_id, url=url)
        times = {}
        for run in range(runs + 1):
            for view_type in ("list", "kanban"):
                for model in ACTIONS:
                    opened = open_view(browser, url, model, view_type)
                    other = next(m for m in ACTIONS if m != model)
                    switched = switch_view(browser, other, view_type)
                    if run:  # the first round fills the browser's cache
                        times.setdefault(f"{view_type} {model}", []).append(opened)
                        times.setdefault(f"switch {view_type} {other}", []).append(switched)
    finally:
        browser.close()
    return {label: {"ms": statistics.median(values), "runs": values} for label, values in times.items()}
