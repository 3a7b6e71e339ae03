"""docs/API.md is the integration contract: every public method our addons define on a model
is documented there, and every method it documents exists. Adding or removing a public method
without updating API.md fails here (statically, without a server)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("aftersales_service", "aftersales_survey", "aftersales_supplier")
FOLDERS = ("models", "wizard", "report")
API = ROOT / "docs" / "API.md"
# The ORM's own entry points (and Odoo's overridden hooks): documented by Odoo, listed in API.md
# under "Rules every call follows" rather than method by method. One list, kept beside the addon
# test that calls every other public method as an outsider; read here without importing Odoo.
PUBLIC_METHODS = ROOT / "aftersales_service" / "tests" / "public_methods.py"
ORM_METHODS = next(
    ast.literal_eval(node.value)
    for node in ast.parse(PUBLIC_METHODS.read_text(encoding="utf-8")).body
    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "ORM_METHODS"
)
# `model.method(` in a code span.
DOCUMENTED = re.compile(r"`((?:[a-z_0-9]+\.)+[a-z_0-9]+)\.([a-z][a-z0-9_]*)\(")


def _constant(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _model_classes(source):
    """``(name, inherits, public methods, abstract)`` of each Odoo model class in ``source``."""
    for cls in ast.parse(source).body:
        if not isinstance(cls, ast.ClassDef):
            continue
        name, inherits = None, []
        for statement in cls.body:
            if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1):
                continue
            target = getattr(statement.targets[0], "id", None)
            if target == "_name":
                name = _constant(statement.value)
            elif target == "_inherit":
                values = statement.value.elts if isinstance(statement.value, ast.List) else [statement.value]
                inherits = [value for value in map(_constant, values) if value]
        methods = {
            statement.name
            for statement in cls.body
            if isinstance(statement, ast.FunctionDef)
            and not statement.name.startswith("_")
            and statement.name not in ORM_METHODS
        }
        abstract = any(getattr(base, "attr", None) == "AbstractModel" for base in cls.bases)
        if name or len(inherits) == 1:
            yield name or inherits[0], inherits, methods, abstract


def code_methods(sources):
    """``{(model, method)}`` that integrations can call, from the addons' Python sources; the
    methods of our abstract mixins count on each model that inherits them."""
    classes = [found for source in sources for found in _model_classes(source)]
    mixins = {name: methods for name, _inherits, methods, abstract in classes if abstract}
    public = set()
    for name, inherits, methods, abstract in classes:
        if abstract:
            continue
        for method in methods.union(*(mixins.get(parent, set()) for parent in inherits)):
            public.add((name, method))
    return public, {name for name, *_rest in classes}


def documented_methods(text):
    return {(model, method) for model, method in DOCUMENTED.findall(text)}


def api_gaps(sources, text):
    """``(undocumented, documented but missing)``, sorted."""
    public, models = code_methods(sources)
    documented = {(model, method) for model, method in documented_methods(text) if model in models}
    return sorted(public - documented), sorted(documented - public)


def addon_sources():
    return [
        path.read_text()
        for addon in ADDONS
        for folder in FOLDERS
        for path in sorted((ROOT / addon / folder).glob("*.py"))
    ]


def test_every_public_method_is_documented_and_every_documented_one_exists():
    undocumented, missing = api_gaps(addon_sources(), API.read_text())
    assert not undocumented, "public methods missing from docs/API.md: " + ", ".join(map(".".join, undocumented))
    assert not missing, "docs/API.md documents methods that do not exist: " + ", ".join(map(".".join, missing))


def test_the_gate_notices_a_new_method_and_a_removed_one():
    sources = addon_sources()
    text = API.read_text()
    added = (
        "from odoo import models\n\n\nclass AftersalesTicket(models.Model):\n"
        '    _inherit = "aftersales.ticket"\n\n    def action_escalate_to_ceo(self):\n        return True\n'
    )
    undocumented, _missing = api_gaps([*sources, added], text)
    assert undocumented == [("aftersales.ticket", "action_escalate_to_ceo")]
    removed = [source.replace("def action_file(self)", "def _action_file(self)") for source in sources]
    _undocumented, missing = api_gaps(removed, text)
    assert missing == [("aftersales.dispatch", "action_file")]
    # A mixin's action counts on the documents that inherit it.
    public, _models = code_methods(sources)
    assert {
        ("aftersales.dispatch", "action_create_opportunity"),
        ("aftersales.revisit", "action_create_opportunity"),
    } <= public
