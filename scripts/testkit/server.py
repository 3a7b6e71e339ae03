"""Start an Odoo server on a free port of 127.0.0.1, wait until it answers, stop it."""

import contextlib
import os
import signal
import socket
import subprocess
import time

from .rpc import proxy

HOST = "127.0.0.1"


def port_range(default=None):
    """``AFTERSALES_PORTS=8471-8499`` keeps several checkouts on one machine apart; without
    it (and without ``default``) any port the system gives."""
    text = os.environ.get("AFTERSALES_PORTS")
    if text:
        low, high = (int(part) for part in text.split("-"))
        return range(low, high + 1)
    return default


# Ports this process already gave to a server: a server binds some of its ports (gevent) only
# after it started, so a second server started meanwhile must not be given them too.
_GIVEN = set()


def free_port(ports=None, exclude=()):
    """A port nobody listens on: the first free one of ``ports``, else one the system picks."""
    ports = ports if ports is not None else port_range()
    if ports is None:
        with socket.socket() as sock:
            sock.bind((HOST, 0))
            port = sock.getsockname()[1]
        _GIVEN.add(port)
        return port
    for port in ports:
        if port in exclude or port in _GIVEN:
            continue
        with socket.socket() as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
        _GIVEN.add(port)
        return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


class Server:
    """One Odoo server process started with ``cmd`` (its own process group, so that a
    prefork server's workers go with it)."""

    def __init__(self, cmd, url, log, cwd=None, env=None):
        self.cmd, self.url, self.log = cmd, url, log
        self.process = subprocess.Popen(cmd, cwd=cwd, env=env, start_new_session=True)

    @property
    def pid(self):
        return self.process.pid

    def wait_ready(self, timeout=180):
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited (rc={self.process.returncode}), see {self.log}")
            try:
                proxy(self.url, "common", 5).version()
                return self
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"the server does not answer on {self.url}, see {self.log}") from None
                time.sleep(0.5)

    def stop(self, timeout=30):
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@contextlib.contextmanager
def serve(make_cmd, log, ports=None, cwd=None, env=None, timeout=180):
    """``with serve(lambda http_port, gevent_port: cmd, log) as server:`` a running server,
    stopped at the end whatever happens."""
    http_port = free_port(ports)
    gevent_port = free_port(ports, exclude={http_port})
    server = Server(make_cmd(http_port, gevent_port), f"http://{HOST}:{http_port}", log, cwd=cwd, env=env)
    try:
        yield server.wait_ready(timeout)
    finally:
        server.stop()
        _GIVEN.difference_update({http_port, gevent_port})  # free again for the next server
