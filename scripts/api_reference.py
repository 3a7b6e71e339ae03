"""Print the field and state reference of docs/API.md (between its REFERENCE markers).

usage: python3 scripts/api_reference.py <odoo.conf> <database>   (the three addons installed)
Regenerate after adding or changing a field; the methods and flows of API.md are written by hand.
"""

import sys

import odoo
from odoo.modules.registry import Registry

ADDONS = ("aftersales_service", "aftersales_survey", "aftersales_supplier")
GROUPS = {
    "aftersales_service.group_aftersales_user": "user",
    "aftersales_service.group_aftersales_technician": "technician",
    "aftersales_service.group_aftersales_quality": "quality",
    "aftersales_service.group_aftersales_manager": "manager",
    "aftersales_service.group_aftersales_general_manager": "general manager",
    "purchase.group_purchase_user": "purchase user",
}
# Bookkeeping of Odoo's own mixins (chatter, activities, portal link): documented by Odoo.
FRAMEWORK = {
    "id",
    "display_name",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
    "has_message",
    "my_activity_date_deadline",
    "access_url",
    "access_token",
    "access_warning",
}


def writable(model, name):
    if "aftersales.guard.mixin" not in model.env or not isinstance(model, model.pool["aftersales.guard.mixin"]):
        return ""
    parts = []
    for row in model._editable_fields():
        if name not in row.fields:
            continue
        who = ", ".join(GROUPS.get(group, group) for group in row.groups) if row.groups else "anyone with access"
        where = f" ({', '.join(row.states)})" if row.states else ""
        parts.append(who + where)
    return "; ".join(parts) or "server only"


def kind(field):
    if field.type in ("many2one", "one2many", "many2many"):
        return f"{field.type} → `{field.comodel_name}`"
    return field.type


def main(conf, db):
    odoo.tools.config.parse_config(["-c", conf, "-d", db])
    with Registry(db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
        rows = env["ir.model.fields"].search([("modules", "!=", False)])
        ours = {}
        for field in rows:
            if any(addon in (field.modules or "") for addon in ADDONS):
                ours.setdefault(field.model, set()).add(field.name)
        for model_name in sorted(ours):
            model = env[model_name]
            if model._abstract:
                continue
            own = model_name.startswith("aftersales.")
            print(f"### `{model_name}` — {model._description}\n")
            if own and "state" in model._fields:
                states = model._fields["state"]._description_selection(env)
                print("States: " + ", ".join(f"`{key}` ({label})" for key, label in states) + "\n")
            names = sorted(ours[model_name]) if not own else sorted(model._fields)
            print("| field | type | label | written by |")
            print("|---|---|---|---|")
            for name in names:
                field = model._fields.get(name)
                if field is None or name in FRAMEWORK or name.startswith(("message_", "activity_", "website_message")):
                    continue
                if field.groups and "base.group_system" in field.groups:
                    continue
                label = (field.string or "").replace("|", "/")
                store = "" if field.store else " (computed)"
                print(f"| `{name}` | {kind(field)}{store} | {label} | {writable(model, name)} |")
            print()


if __name__ == "__main__":
    main(*sys.argv[1:3])
