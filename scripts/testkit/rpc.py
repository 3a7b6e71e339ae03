"""``execute_kw`` as one user, the way an integration calls Odoo."""

import xmlrpc.client


class TimeoutTransport(xmlrpc.client.Transport):
    """xmlrpc.client waits forever by default: a hung server must fail a run, not stall it."""

    def __init__(self, timeout):
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):
        conn = super().make_connection(host)
        conn.timeout = self.timeout
        return conn


def proxy(url, endpoint, timeout=300, allow_none=True):
    return xmlrpc.client.ServerProxy(
        f"{url}/xmlrpc/2/{endpoint}", transport=TimeoutTransport(timeout), allow_none=allow_none
    )


class Rpc:
    """One user's XML-RPC connection: ``rpc(model, method, *args, **kwargs)``.

    Each thread needs its own instance (a ServerProxy holds one HTTP connection)."""

    def __init__(self, url, db, login, password, timeout=300, allow_none=True):
        self.url, self.db, self.password = url, db, password
        self.uid = proxy(url, "common", 60).authenticate(db, login, password, {})
        if not self.uid:
            raise PermissionError(f"cannot log in as {login}")
        self.proxy = proxy(url, "object", timeout, allow_none)

    def __call__(self, model, method, *args, **kwargs):
        return self.proxy.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self("ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)], ["res_id"])
        return rows[0]["res_id"]


class WebSession:
    """The web client's way in: a session cookie from ``/web/session/authenticate``, then
    JSON-RPC to ``/web/dataset/call_kw/<model>/<method>`` with the user's context."""

    def __init__(self, url, db, login, password, timeout=300):
        import http.cookiejar  # noqa: PLC0415 - only the web session needs it
        import urllib.request  # noqa: PLC0415 - only the web session needs it

        self.url, self.timeout = url, timeout
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        info = self.post("/web/session/authenticate", {"db": db, "login": login, "password": password})
        if not (info or {}).get("uid"):
            raise PermissionError(f"cannot log in as {login}")
        self.uid = info["uid"]
        self.context = info.get("user_context") or {}

    def post(self, path, params):
        import json  # noqa: PLC0415 - only the web session needs it
        import urllib.request  # noqa: PLC0415 - only the web session needs it

        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}).encode()
        request = urllib.request.Request(self.url + path, data=body, headers={"Content-Type": "application/json"})
        with self.opener.open(request, timeout=self.timeout) as response:
            answer = json.loads(response.read())
        if "error" in answer:
            error = answer["error"]
            raise RuntimeError((error.get("data") or {}).get("message") or error.get("message"))
        return answer.get("result")

    def __call__(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", self.context)
        return self.post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def get(self, path):
        with self.opener.open(self.url + path, timeout=self.timeout) as response:
            return response.read().decode()
