"""Test utilities shared by the XML-RPC tests (tests/conftest.py), the load and resilience
runs (scripts/load.py) and the benchmark (tests/benchmarks/): one XML-RPC client and one
way to start an Odoo server on a free port, wait until it answers and stop it."""

from .rpc import Rpc, TimeoutTransport, WebSession
from .server import Server, free_port, port_range, serve

__all__ = ["Rpc", "Server", "TimeoutTransport", "WebSession", "free_port", "port_range", "serve"]
