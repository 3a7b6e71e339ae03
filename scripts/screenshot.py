"""Screenshots of the running product, as a person sees it, through Chromium's DevTools protocol.

python scripts/screenshot.py http://localhost:8069 out.png /odoo/action-... [--login admin --password admin]
"""

import argparse
import base64
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import websocket


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    def __init__(self, width=1400, height=900):
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="aftersales-shot-")
        self.process = subprocess.Popen(
            [
                shutil.which("chromium") or "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={self.profile}",
                f"--remote-debugging-port={self.port}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                pages = json.load(urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json", timeout=2))
                target = next(page for page in pages if page["type"] == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.2)
        self.ws = websocket.create_connection(target["webSocketDebuggerUrl"], suppress_origin=True)
        self.counter = 0
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    def resize(self, width, height, mobile=False):
        """``mobile``: a phone's screen, touch included (the web client lays itself out for it)."""
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)
        self.send("Emulation.setTouchEmulationEnabled", enabled=mobile, maxTouchPoints=5 if mobile else 1)

    def send(self, method, **params):
        self.counter += 1
        self.ws.send(json.dumps({"id": self.counter, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.counter:
                return message.get("result", {})

    def evaluate(self, expression):
        return self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)

    def goto(self, url, settle=3.0):
        self.send("Page.navigate", url=url)
        time.sleep(0.5)
        # The web client (or a portal page) has rendered: wait for it, then let it settle.
        self.wait_for(
            "document.readyState === 'complete' && !!document.querySelector("
            "'.o_view_controller, .o_home_menu, #wrap, .o_portal, .o_login_auth, main')",
            timeout=90,
        )
        time.sleep(settle)

    def wait_for(self, expression, timeout=30.0):
        """Poll a JavaScript condition: a busy server answers slowly."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(expression).get("result", {}).get("value"):
                return True
            time.sleep(0.3)
        return False

    def login(self, base, login, password):
        self.goto(f"{base}/web/login", 0.5)
        if not self.wait_for("!!document.querySelector('#login')"):
            raise RuntimeError("the login page did not load")
        self.evaluate(
            f"document.querySelector('#login').value={json.dumps(login)};"
            f"document.querySelector('#password').value={json.dumps(password)};"
            "document.querySelector('form.oe_login_form').submit();"
        )
        if not self.wait_for("!document.location.pathname.startsWith('/web/login')"):
            raise RuntimeError(f"could not log in as {login}")

    def screenshot(self, path):
        # Notifications (e.g. "page out of date" from a dev server) are not the product.
        self.evaluate("document.querySelectorAll('.o_notification_close').forEach(b => b.click())")
        time.sleep(0.3)
        data = self.send("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as handle:
            handle.write(base64.b64decode(data))

    def close(self):
        self.ws.close()
        self.process.terminate()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("base")
    parser.add_argument("shots", nargs="+", help="pairs: output.png path")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--lang", default="")
    parser.add_argument("--settle", type=float, default=4.0)
    args = parser.parse_args()
    browser = Browser()
    try:
        browser.login(args.base, args.login, args.password)
        for output, path in zip(args.shots[::2], args.shots[1::2], strict=True):
            browser.goto(args.base + path, args.settle)
            browser.screenshot(output)
            print(output)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
