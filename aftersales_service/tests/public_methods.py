"""Every public method of our models, called over RPC by someone without the rights.

RPC can call any method whose name has no leading underscore. A method that does its
work through ``sudo()`` without checking the caller first would let a portal customer or
an internal user without after-sales rights act on records: this walks them all.
"""

import inspect

from odoo.exceptions import AccessError
from odoo.tests import new_test_user

# ORM methods: the access matrix covers what each role may create, write or delete, and
# docs/API.md lists them once under "Rules every call follows" (tests/test_api_doc.py reads this set).
ORM_METHODS = {
    "init",
    "create",
    "write",
    "unlink",
    "copy",
    "read",
    "default_get",
    "load",
    "message_new",
    "message_update",
}


def our_public_methods(model, addon_prefix="odoo.addons.aftersales_"):
    """Names of the RPC-callable methods that our addons define on ``model``."""
    names = set()
    for cls in type(model).__mro__:
        if not cls.__module__.startswith(addon_prefix):
            continue
        for name, member in vars(cls).items():
            if name.startswith("_") or name in ORM_METHODS or not inspect.isfunction(member):
                continue
            if getattr(member, "_api_private", False):
                continue
            names.add(name)
    return sorted(names)


def call_like_rpc(record, name):
    """Call ``name`` as RPC would, with False for every argument it requires."""
    method = getattr(record, name)
    required = [
        param
        for param in inspect.signature(method).parameters.values()
        if param.default is param.empty and param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD)
    ]
    return method(*[False] * len(required))


class PublicMethodsMixin:
    """Mix into a TransactionCase; ``probe_records()`` returns records nobody outside may touch."""

    # Odoo's loader only collects test methods a class defines itself, unless told.
    allow_inherited_tests_method = True

    def probe_records(self):
        raise NotImplementedError

    def test_outsiders_are_refused_every_public_method(self):
        outsiders = {
            "portal": new_test_user(self.env, "probe_portal", groups="base.group_portal"),
            "internal": new_test_user(self.env, "probe_internal", groups="base.group_user"),
        }
        for record in self.probe_records():
            for name in our_public_methods(record):
                for role, user in outsiders.items():
                    with (
                        self.subTest(model=record._name, method=name, role=role),
                        self.assertRaises(AccessError, msg=f"{role} ran {record._name}.{name}"),
                    ):
                        call_like_rpc(record.with_user(user), name)
