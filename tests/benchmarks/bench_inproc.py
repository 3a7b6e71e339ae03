"""The benchmark's in-process part: runs inside ``odoo shell`` (``env`` is the superuser's).

``tests/benchmarks/bench.py`` (the driver) calls each ``inproc_<step>`` through
``_shell_entry`` with JSON parameters and reads one ``BENCH_JSON`` line back. Data is
generated in bulk SQL (``INSERT … SELECT … generate_series``), never through the ORM, so that
one million tickets stay within a few minutes.
"""

import json
import statistics
import time
import xml.etree.ElementTree as ET

from bench_fill import _param, inproc_portal_setup, inproc_setup  # noqa: F401 - steps run by name

LIST_LIMIT = 80
KANBAN_LIMIT = 40  # the cards the kanban loads per column
# The views the web client opens: ours and the peer's.
LIST_VIEWS = {
    "aftersales.ticket": "aftersales_service.aftersales_ticket_view_list",
    "helpdesk.ticket": "helpdesk_mgmt.ticket_view_tree",
}
KANBAN_VIEWS = {
    "aftersales.ticket": "aftersales_service.aftersales_ticket_view_kanban",
    "helpdesk.ticket": "helpdesk_mgmt.view_helpdesk_ticket_kanban",
}
# Fields a widget reads besides its own (the web client's fieldDependencies).
ACTIVITY_FIELDS = (
    "activity_exception_decoration",
    "activity_exception_icon",
    "activity_state",
    "activity_summary",
    "activity_type_icon",
    "activity_type_id",
)
WIDGET_DEPENDENCIES = {"list_activity": ACTIVITY_FIELDS, "kanban_activity": ACTIVITY_FIELDS}


def _shell_entry(env, name, params):
    result = globals()["inproc_" + name](env, **json.loads(params))
    print("BENCH_JSON " + json.dumps(result, default=str), flush=True)


def _vals(model, ids, n, i=0):
    """Realistic minimal values of one intake record of ``model``."""
    customer = ids["customer"]
    if model == "aftersales.ticket":
        return {
            "partner_id": customer,
            "product_id": ids["service_product"],
            "request_type": "repair",
            "channel": "phone",
            "title": f"Pump leaking {n}-{i}",
            "description": "<p>The pump leaks at the seal.</p>",
        }
    if model == "helpdesk.ticket":
        return {
            "name": f"Pump leaking {n}-{i}",
            "description": "<p>The pump leaks at the seal.</p>",
            "partner_id": customer,
            "team_id": ids["helpdesk_team"],
        }
    if model == "rma":
        return {"partner_id": customer, "product_id": ids["service_product"], "product_uom_qty": 1}
    if model == "res.partner":
        return {"name": f"Bench Floor {n}-{i}"}
    raise ValueError(model)


def _count(env, func):
    env.flush_all()
    env.invalidate_all()
    before = env.cr.sql_log_count
    start = time.perf_counter()
    func()
    env.flush_all()
    return env.cr.sql_log_count - before, time.perf_counter() - start


def inproc_create_queries(env, runs=3):
    """Queries of create([1 record]) vs create([100 records]), as admin, rolled back."""
    ids = json.loads(_param(env, "as_bench.ids"))
    admin_env = env(user=env.ref("base.user_admin").id, su=False)
    result = {}
    for model in ("aftersales.ticket", "helpdesk.ticket", "res.partner"):
        counts = {}
        for size in (1, 100, 1, 100):  # first pair warms the caches
            per_run = []
            for run in range(runs):
                with env.cr.savepoint(flush=False) as sp:
                    vals_list = [_vals(model, ids, run, i) for i in range(size)]
                    queries, _seconds = _count(admin_env, lambda m=model, v=vals_list: admin_env[m].create(v))
                    per_run.append(queries)
                    sp.rollback()
                admin_env.invalidate_all()
            counts[size] = int(statistics.median(per_run))
        result[model] = {"batch_1": counts[1], "batch_100": counts[100], "diff": counts[100] - counts[1]}
    env.cr.rollback()
    return result


def _is_true(value):
    return value in ("True", "1", "true")


def _field_spec(env, model, node, spec):
    """One field node of an arch as the web client's getFieldsSpec asks for it: a many2one
    with its display name unless always invisible (``invisible`` or ``column_invisible``
    true: web/static/src/model/relational_model/utils.js combines both), so an optional or
    hidden-by-default column still is read with its name; many2many tags with their name and
    colour; the fields a widget depends on (its ``fieldDependencies``)."""
    name = node.get("name")
    field = env[model]._fields[name]
    widget = node.get("widget")
    if field.type in ("many2one", "reference"):
        sub = spec.setdefault(name, {"fields": {}})["fields"]
        if not (_is_true(node.get("invisible")) or _is_true(node.get("column_invisible"))):
            sub["display_name"] = {}
    elif field.type in ("many2many", "one2many"):
        sub = {}
        if widget == "many2many_tags":
            sub["display_name"] = {}
            options = node.get("options") or ""
            if "color_field" in options and "color" in env[field.comodel_name]._fields:
                sub["color"] = {}
        spec[name] = {"fields": sub} if sub else {}
    else:
        spec.setdefault(name, {})
    for dep in WIDGET_DEPENDENCIES.get(widget, ()):
        if env[model]._fields[dep].type == "many2one":
            spec[dep] = {"fields": {"display_name": {}}}
        else:
            spec.setdefault(dep, {})


def _view(env, model, xmlid, view_type):
    """The specification the web client sends for the view's records (every field of the
    arch, optional and invisible columns included), the kanban's grouping and progress bar."""
    admin = env.ref("base.user_admin")
    view = env.ref(xmlid)
    arch = env[model].with_user(admin).get_views([(view.id, view_type)])["views"][view_type]["arch"]
    root = ET.fromstring(arch)
    spec = {}
    nodes = root.findall("field") if view_type == "list" else root.iter("field")
    for node in nodes:
        _field_spec(env, model, node, spec)
    progressbar = root.find("progressbar")
    return {
        "spec": spec,
        "group_by": root.get("default_group_by"),
        "progressbar": progressbar is not None and dict(progressbar.attrib) or None,
    }


def _list_page(records, view, domain):
    return records.web_search_read(domain, view["spec"], limit=LIST_LIMIT, count_limit=10001)


def _kanban_page(records, view, domain):
    """The kanban's first load: the columns (web_read_group), the progress bars when the view
    has some, then the first cards of each open column (one web_search_read per column)."""
    group_by = view["group_by"]
    groups = records.web_read_group(domain, [], [group_by], lazy=True)["groups"]
    if view["progressbar"]:
        bar = view["progressbar"]
        records.read_progress_bar(domain, group_by, {"field": bar["field"], "colors": json.loads(bar["colors"])})
    cards = 0
    for group in groups:
        if group.get("__fold") or not group.get(f"{group_by}_count"):
            continue
        page = records.web_search_read(group["__domain"], view["spec"], limit=KANBAN_LIMIT)
        cards += len(page["records"])
    return cards


def _interleaved(env, calls, runs):
    """Each call of ``calls`` ({label: function}) in turn, ``runs`` times after one warm-up
    round: the machine's load moves both sides alike. Median ms and queries of each."""
    times = {label: [] for label in calls}
    counts = {label: [] for label in calls}
    for run in range(runs + 1):
        for label, func in calls.items():
            queries, seconds = _count(env, func)
            if run:
                times[label].append(seconds * 1000)
                counts[label].append(queries)
    return {
        label: {
            "ms": statistics.median(times[label]),
            "queries": int(statistics.median(counts[label])),
            "queries_max": max(counts[label]),
        }
        for label in calls
    }


def inproc_views(env, runs=7, slice_size=100):
    """The list page and the kanban's first load of ours and the peer's, in-process, as admin,
    interleaved; the list also over a 1% slice (its query count must not grow with rows)."""
    admin = env.ref("base.user_admin")
    ids = json.loads(_param(env, "as_bench.ids"))
    low = ids["customers"][0]
    slice_domain = [("partner_id", ">=", low), ("partner_id", "<", low + slice_size)]
    views = {}
    calls = {}
    for model, list_view in LIST_VIEWS.items():
        records = env[model].with_user(admin)
        views[model] = {
            "list": _view(env, model, list_view, "list"),
            "kanban": _view(env, model, KANBAN_VIEWS[model], "kanban"),
            "rows": records.search_count([]),
            "rows_slice": records.search_count(slice_domain),
        }
        view = views[model]
        calls[f"list {model}"] = lambda r=records, v=view: _list_page(r, v["list"], [])
        calls[f"list_slice {model}"] = lambda r=records, v=view: _list_page(r, v["list"], slice_domain)
        calls[f"kanban {model}"] = lambda r=records, v=view: _kanban_page(r, v["kanban"], [])
    result = _interleaved(env, calls, runs)
    env.cr.rollback()
    return {"views": views, "figures": result}


def inproc_warranty(env, calls=200):
    """``get_warranty_status`` of the delivered serial among all the generated ones, as admin,
    in-process (caches emptied before each call): median ms and queries."""
    ids = json.loads(_param(env, "as_bench.ids"))
    tickets = env["aftersales.ticket"].with_user(env.ref("base.user_admin"))
    box = {}
    figures = _interleaved(
        env, {"warranty": lambda: box.update(status=tickets.get_warranty_status(lot_id=ids["lot"]))}, calls
    )["warranty"]
    env.cr.execute("SELECT count(*) FROM stock_lot")
    figures.update(status=box["status"], serials=env.cr.fetchone()[0])
    env.cr.rollback()
    return figures


def _reset_sla(cr, first_ticket):
    cr.execute(
        "SELECT id FROM aftersales_ticket WHERE id >= %s AND title LIKE 'Bench overdue %%'",
        (first_ticket,),
    )
    overdue = [row[0] for row in cr.fetchall()]
    cr.execute("DELETE FROM mail_activity WHERE res_model = 'aftersales.ticket' AND res_id = ANY(%s)", (overdue,))
    cr.execute("UPDATE aftersales_ticket SET response_breached = false WHERE id = ANY(%s)", (overdue,))
    # Tickets created by earlier intake runs are answered: only the generated 1% is new.
    cr.execute(
        "UPDATE aftersales_ticket SET first_response_date = create_date "
        "WHERE first_response_date IS NULL AND title NOT LIKE 'Bench %%'"
    )
    return overdue


def inproc_sla(env, runs=3):
    ids = json.loads(_param(env, "as_bench.ids"))
    tickets = env["aftersales.ticket"]
    cr = env.cr
    first, rerun, q_first, q_rerun, flagged, activities = [], [], [], [], [], []
    for _run in range(runs):
        overdue = _reset_sla(cr, ids["first_ticket"])
        cr.commit()
        env.invalidate_all()
        queries, seconds = _count(env, tickets._cron_flag_response_breaches)
        cr.commit()
        first.append(seconds)
        q_first.append(queries)
        cr.execute("SELECT count(*) FROM aftersales_ticket WHERE id = ANY(%s) AND response_breached", (overdue,))
        flagged.append(cr.fetchone()[0])
        cr.execute(
            "SELECT count(*) FROM mail_activity WHERE res_model = 'aftersales.ticket' AND create_date > "
            "(now() at time zone 'utc') - interval '10 minutes'"
        )
        activities.append(cr.fetchone()[0])
        env.invalidate_all()
        queries, seconds = _count(env, tickets._cron_flag_response_breaches)
        cr.commit()
        rerun.append(seconds)
        q_rerun.append(queries)
    # Queries per batch: the same 1,000 newly overdue tickets in 1 batch vs in 4 batches.
    per_batch = {}
    for size in (1000, 250):
        _reset_sla(cr, ids["first_ticket"])
        env.invalidate_all()
        per_batch[size], _s = _count(env, lambda s=size: tickets._cron_flag_response_breaches(batch_size=s))
        cr.rollback()
    return {
        "first_s": statistics.median(first),
        "rerun_s": statistics.median(rerun),
        "first_queries": int(statistics.median(q_first)),
        "rerun_queries": int(statistics.median(q_rerun)),
        "newly_overdue": len(overdue),
        "flagged": flagged[-1],
        "activities_created": activities[-1],
        "queries_1000x1": per_batch[1000],
        "queries_250x4": per_batch[250],
        "open_tickets": tickets.search_count(
            [("state", "in", ("draft", "review", "quotation", "ready", "dispatched"))]
        ),
        "helpdesk_sla_cron": bool(
            env["ir.cron"].search_count(
                [("model_id.model", "in", ("helpdesk.ticket", "helpdesk.ticket.sla", "helpdesk.sla"))]
            )
        ),
    }


def _reset_revisits(cr):
    cr.execute("DELETE FROM mail_activity WHERE res_model = 'aftersales.revisit'")
    cr.execute("DELETE FROM mail_followers WHERE res_model = 'aftersales.revisit'")
    cr.execute("DELETE FROM mail_message WHERE model = 'aftersales.revisit'")
    cr.execute("DELETE FROM aftersales_revisit")
    # The planner's high-water mark: back to "never", so that the first run plans everyone.
    cr.execute("UPDATE ir_config_parameter SET value = 'never' WHERE key = 'aftersales_survey.revisit_mark'")


def inproc_revisit(env, runs=3):
    revisits = env["aftersales.revisit"]
    cr = env.cr
    first, rerun, q_first, q_rerun, created, recreated = [], [], [], [], [], []
    box = {}
    for _run in range(runs):
        _reset_revisits(cr)
        cr.commit()
        # The first run plans everyone, the rerun right after finds nothing new.
        for key, times, queries_of, counts in (
            ("first", first, q_first, created),
            ("rerun", rerun, q_rerun, recreated),
        ):
            env.invalidate_all()
            queries, seconds = _count(env, lambda key=key: box.update({key: revisits._cron_generate_revisits()}))
            cr.commit()
            times.append(seconds)
            queries_of.append(queries)
            counts.append(len(box[key]))
    per_batch = {}
    for size in (1000, 250):
        _reset_revisits(cr)
        env.invalidate_all()
        # The same 10,000 customers in batches of 1000 and of 250: the difference is the cost per batch.
        per_batch[size], _s = _count(env, lambda s=size: revisits._cron_generate_revisits(batch_size=s))
        cr.rollback()
    cr.execute("SELECT count(*) FROM sale_order WHERE state = 'sale'")
    orders = cr.fetchone()[0]
    return {
        "first_s": statistics.median(first),
        "rerun_s": statistics.median(rerun),
        "first_queries": int(statistics.median(q_first)),
        "rerun_queries": int(statistics.median(q_rerun)),
        "created": created[-1],
        "created_on_rerun": recreated[-1],
        "confirmed_orders": orders,
        "queries_batch_1000": per_batch[1000],
        "queries_batch_250": per_batch[250],
    }
