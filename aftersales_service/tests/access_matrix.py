"""The role x model access matrix, shared by the three addons' tests.

Each addon states, for every model it defines, what each role may do, as letters:
``r`` read, ``w`` write, ``c`` create, ``u`` unlink. The test compares that table with
what Odoo grants, so a loosened or tightened access right fails it, and a new model
without a row fails it too.
"""

from odoo.tests import new_test_user

OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}

# Every role a company gives people around after-sales; purchase only where it is installed.
ROLE_GROUPS = {
    "portal": "base.group_portal",
    "internal": "base.group_user",
    "user": "aftersales_service.group_aftersales_user",
    "technician": "aftersales_service.group_aftersales_technician",
    "quality": "aftersales_service.group_aftersales_quality",
    "manager": "aftersales_service.group_aftersales_manager",
    "purchase": "purchase.group_purchase_user",
}


class AccessMatrixMixin:
    """Mix into a TransactionCase; set ``addon`` and ``matrix`` ({model: {role: letters}})."""

    # Odoo's loader only collects test methods a class defines itself, unless told.
    allow_inherited_tests_method = True
    addon = None
    matrix = {}

    @classmethod
    def matrix_users(cls):
        users = {}
        for role, xmlid in ROLE_GROUPS.items():
            if cls.env.ref(xmlid, raise_if_not_found=False):
                users[role] = new_test_user(cls.env, f"matrix_{cls.addon}_{role}", groups=xmlid)
        return users

    def test_every_model_of_the_addon_has_a_row(self):
        defined = {
            name
            for name, model in self.env.registry.items()
            if model._original_module == self.addon and not model._abstract
        }
        self.assertEqual(defined, set(self.matrix), "every model of the addon needs its row in the access matrix")

    def test_each_role_gets_exactly_its_rights(self):
        users = self.matrix_users()
        for model, row in self.matrix.items():
            for role, user in users.items():
                granted = row.get(role, "")
                for letter, operation in OPERATIONS.items():
                    with self.subTest(model=model, role=role, operation=operation):
                        self.assertEqual(
                            self.env[model].with_user(user).has_access(operation),
                            letter in granted,
                            f"{role} {operation} {model}",
                        )
