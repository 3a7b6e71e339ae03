"""Who may write which field of an after-sales document, in which state.

The web client hides buttons and greys out fields; XML-RPC and JSON-RPC clients see none
of that and can send any field, any context key. Every document therefore declares, once,
the fields a person may write, in which states of the document and as a member of which
group (``_editable_fields``). Everything else (the status, stored computations, audit
fields such as who approved and when, links to the documents an action created) is
written by the server only: inside one of the document's actions (``@transition``), by a
scheduled job or by the superuser. ``create`` applies the same table to its values and to
the ``default_*`` keys of the context.
"""

import contextvars
import functools
from collections import namedtuple
from contextlib import contextmanager

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.models import NewId
from odoo.tools.misc import clean_context

USER = "aftersales_service.group_aftersales_user"
TECHNICIAN = "aftersales_service.group_aftersales_technician"
QUALITY = "aftersales_service.group_aftersales_quality"
MANAGER = "aftersales_service.group_aftersales_manager"
GENERAL_MANAGER = "aftersales_service.group_aftersales_general_manager"

# True only while one of our actions runs. A client can put any key in the context of an
# RPC call; it cannot set this variable, which lives in the server's own thread.
_SERVER_DECIDES = contextvars.ContextVar("aftersales_server_decides", default=False)
# The model whose history an after-sales manager is importing (Odoo's import tool calls
# ``load``), set by ``load`` itself after checking the group: an ``import_file`` context key
# from a client grants nothing.
_IMPORTING_HISTORY = contextvars.ContextVar("aftersales_importing_history", default=None)

# Field types whose values the ORM would only reject with a traceback, or not at all.
CHECKED_TYPES = ("selection", "date", "datetime", "integer", "float", "monetary")
# Fields of Odoo's own mixins (chatter, activities, portal token): their models guard them.
FRAMEWORK_MODELS = ("mail.thread", "mail.activity.mixin", "portal.mixin")

Editable = namedtuple("Editable", "fields states groups")


def editable(fields, states=None, groups=USER):
    """A row of ``_editable_fields``: ``fields`` (space-separated) may be written while the
    document is in one of ``states`` (any state when None) by members of one of ``groups``
    (anyone the access rights let write when None)."""
    if isinstance(groups, str):
        groups = (groups,)
    return Editable(frozenset(fields.split()), tuple(states) if states is not None else None, groups)


def staff_field(string, creator_default=True, tracking=True, **attrs):
    """Who answers for a document: an internal user (never a portal customer) of its company,
    tracked (on a document with a chatter); the user who creates it unless ``creator_default``
    is False."""
    if creator_default:
        attrs.setdefault("default", lambda self: self.env.user)
    if tracking:
        attrs["tracking"] = True
    attrs = {"check_company": True, **attrs}
    return fields.Many2one("res.users", string=string, domain=[("share", "=", False)], **attrs)


def customer_field(**attrs):
    """The customer a document is about: required, indexed, tracked, of the document's company."""
    attrs = {"string": "Customer", "required": True, "index": True, "tracking": True, "check_company": True, **attrs}
    return fields.Many2one("res.partner", **attrs)


def set_counts(records, count_field, model, link_field, domain=()):
    """Set ``count_field`` of each of ``records`` to the number of ``model`` records linked to it
    by ``link_field`` (and matching ``domain``): what a smart button shows."""
    counts = dict(records.env[model]._read_group([(link_field, "in", records.ids), *domain], [link_field], ["__count"]))
    for record in records:
        record[count_field] = counts.get(record, 0)


def form_action(record):
    """The window action that opens ``record`` (one record, of any model) in its form."""
    return {
        "type": "ir.actions.act_window",
        "res_model": record._name,
        "res_id": record.id,
        "view_mode": "form",
        "views": [[False, "form"]],
    }


def check_group(env, groups, action_label):
    """The one permission check of the suite: the superuser, or a member of one of ``groups``
    (an xml id or a tuple of them); anyone else gets an AccessError naming the group."""
    if isinstance(groups, str):
        groups = (groups,)
    if env.su or any(env.user.has_group(group) for group in groups):
        return
    names = " / ".join(env.ref(group).full_name for group in groups)
    raise AccessError(env._("Only members of %(group)s may %(action)s.", group=names, action=action_label))


@contextmanager
def server_decides():
    """Within this block, what is written was decided by the server, not typed by a client."""
    token = _SERVER_DECIDES.set(True)
    try:
        yield
    finally:
        _SERVER_DECIDES.reset(token)


def transition(method):
    """Decorate a public action: the values it writes are the server's, and the client's
    ``default_*`` context keys do not reach the records it creates."""

    @functools.wraps(method)
    def run_as_server(self, *args, **kwargs):
        with server_decides():
            # A new context without the client's defaults: with_context(**…) would keep them.
            clean = self.with_context(clean_context(self.env.context))  # pylint: disable=context-overridden
            return method(clean, *args, **kwargs)

    return run_as_server


class AftersalesGuardMixin(models.AbstractModel):
    _name = "aftersales.guard.mixin"
    _description = "After-Sales Field Guard"

    # For line models: the field of the document whose state decides (e.g. "ticket_id").
    _guard_parent = None
    # The states (of the document) in which a record may still be deleted; None: no limit here.
    _deletable_states = None
    # Links to other documents that a person sets (the sale order of a ticket…): he must be
    # able to read what he links, or the link would let him read it.
    _guard_links = ()
    # Final states in which an after-sales manager may import documents of a previous system
    # with Odoo's import tool (closed tickets, filed forms, resolved claims): all their values,
    # the status, dates and references included, are then the record of what happened.
    _history_states = ()

    def _editable_fields(self):
        """The rows (``editable(...)``) of what people may write; extended by other addons."""
        return []

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_client_values(vals_list)
        if self._guard_applies():
            self._guard_create(vals_list)
        # The caller's dicts stay as they were.
        vals_list = self._prepare_new_values([dict(vals) for vals in vals_list])
        return super().create(vals_list)

    @api.model
    def load(self, fields, data):
        """Odoo's import tool: an after-sales manager may bring in documents in their final
        states (``_history_states``); the group decides, not a context key."""
        if not self._history_states or self.env.su or not self._user_in((MANAGER,)):
            return super().load(fields, data)
        token = _IMPORTING_HISTORY.set(self._name)
        try:
            return super().load(fields, data)
        finally:
            _IMPORTING_HISTORY.reset(token)

    def _importing_history(self):
        """True while an after-sales manager imports documents of this model (see ``load``)."""
        return _IMPORTING_HISTORY.get() == self._name

    def write(self, vals):
        self._check_client_values([vals])
        if self._guard_applies():
            self._guard_write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        """What was decided (signed, concluded, approved) stays: its lines and records too."""
        if self._deletable_states is None or self.env.su:
            return
        for record in self:
            state = record._guard_state()
            if state not in self._deletable_states:
                raise UserError(
                    _(
                        "%(record)s cannot be deleted: its %(document)s is %(state)s.",
                        record=record.display_name,
                        document=record._guard_document_label(),
                        state=record._state_label(state),
                    )
                )

    def _guard_document_label(self):
        if self._guard_parent:
            return self[self._guard_parent]._document_label()
        return self._document_label()

    @api.model
    def _prepare_new_values(self, vals_list):
        """Values the server adds to new records (references…), after the guard."""
        return vals_list

    # ------------------------------------------------------------------
    # The guard
    # ------------------------------------------------------------------

    def _guard_applies(self):
        return not self.env.su and not _SERVER_DECIDES.get()

    def _editable_map(self):
        rows = {}
        for row in self._editable_fields():
            for name in row.fields:
                rows.setdefault(name, []).append(row)
        return rows

    @api.model
    def _framework_fields(self):
        names = set(models.MAGIC_COLUMNS) | {"display_name"}
        for model in FRAMEWORK_MODELS:
            if model in self.env:
                names.update(self.env[model]._fields)
        return names

    def _guard_write(self, vals):
        rows = self._editable_map()
        framework = self._framework_fields()
        for name in vals:
            if name in framework or name not in self._fields:
                continue
            self._guard_field(name, rows.get(name), self)
        self._guard_check_links(vals)

    def _guard_create(self, vals_list):
        context_defaults = {
            key[len("default_") :]: value
            for key, value in self.env.context.items()
            if key.startswith("default_") and key[len("default_") :] in self._fields
        }
        rows = self._editable_map()
        framework = self._framework_fields()
        # A field of a new record is allowed or not by its name, the new record's state and the
        # user alone: checked once per batch, not once per record (intake creates by hundreds).
        allowed = set()
        for vals in vals_list:
            values = {**context_defaults, **vals}
            if values.get("state") in self._history_states:
                self._check_history_import()
                continue
            state = self._guard_create_state(values)
            for name, value in values.items():
                if name in framework or (name, state) in allowed or self._is_field_default(name, value):
                    continue
                self._guard_field(name, rows.get(name), None, state=state)
                allowed.add((name, state))
            self._guard_check_links(values)

    def _check_history_import(self):
        """A document created in a final state is history from a previous system: only an
        after-sales manager brings it in, and only through Odoo's import tool."""
        if self._importing_history():
            return
        if not self._user_in((MANAGER,)):
            raise AccessError(
                _(
                    "The status of a %(document)s changes only through its actions; only members of "
                    "%(group)s may import historical records in their final states.",
                    group=self.env.ref(MANAGER).full_name,
                    document=self._document_label(),
                )
            )
        raise UserError(
            _(
                "The status of a %(document)s changes only through its actions; it is created in a final "
                "state only by importing history with the import tool.",
                document=self._document_label(),
            )
        )

    def _guard_check_links(self, values):
        derived = self._guard_derived_links(values)
        for name in self._guard_links:
            value = values.get(name)
            if not isinstance(value, int) or isinstance(value, bool) or (name, value) in derived:
                continue
            linked = self.env[self._fields[name].comodel_name].browse(value)
            if not linked.has_access("read"):
                raise AccessError(
                    _(
                        "You cannot link %(field)s #%(id)s: you may not see it.",
                        field=self._fields[name]._description_string(self.env),
                        id=value,
                    )
                )

    @api.model
    def _guard_derived_links(self, values):
        """``{(field, id)}`` links the server itself derives from ``values`` (a form sends them back)."""
        return set()

    def _guard_field(self, name, rows, records, state=None):
        """Refuse writing ``name`` on ``records`` (or on a new record in ``state``) unless a
        row lets this user write it in the document's state."""
        field = self._fields[name]
        label = field._description_string(self.env)
        if name == "state":
            raise UserError(
                _(
                    "The status of a %(document)s changes only through its actions (its buttons), not by writing it.",
                    document=self._document_label(),
                )
            )
        if not rows:
            raise AccessError(
                _(
                    "%(field)s of a %(document)s is set by the application; it cannot be written.",
                    field=label,
                    document=self._document_label(),
                )
            )
        allowed = [row for row in rows if self._user_in(row.groups)]
        if not allowed:
            groups = [self.env.ref(group).full_name for row in rows for group in row.groups]
            raise AccessError(
                _("Only members of %(groups)s may change %(field)s.", groups=", ".join(groups), field=label)
            )
        states = [(record, record._guard_state()) for record in records] if records is not None else [(None, state)]
        for record, current in states:
            if not any(row.states is None or current in row.states for row in allowed):
                raise UserError(
                    _(
                        "%(field)s cannot be changed while %(document)s %(name)s is %(state)s.",
                        field=label,
                        document=self._document_label(),
                        name=record.display_name if record else _("(new)"),
                        state=self._state_label(current),
                    )
                )

    def _guard_state(self):
        """The state of the document this record belongs to."""
        self.ensure_one()
        if self._guard_parent:
            return self[self._guard_parent].state
        return self.state if "state" in self._fields else False

    @api.model
    def _guard_create_state(self, values):
        if self._guard_parent:
            parent = self.env[self._fields[self._guard_parent].comodel_name].browse(values.get(self._guard_parent))
            return parent.state if parent else False
        field = self._fields.get("state")
        return field.default(self) if field and field.default else False

    @api.model
    def _is_field_default(self, name, value):
        """A new record may state the value the server would give it anyway (forms send the
        default state, the 'New' reference and the empty fields of every new record)."""
        field = self._fields.get(name)
        if not field or field.compute:
            return False
        if not field.default:
            # An empty value of a plain field grants nothing: forms send every empty field.
            return not value
        if field.type in ("one2many", "many2many"):
            return False
        default = field.default(self)
        if isinstance(default, models.BaseModel):
            default = default.id
        return value == default

    def _state_label(self, state):
        model = self.env[self._fields[self._guard_parent].comodel_name] if self._guard_parent else self
        if "state" not in model._fields or not state:
            return state or ""
        return dict(model._fields["state"]._description_selection(self.env)).get(state, state)

    def _user_in(self, groups):
        if groups is None or self.env.su:
            return True
        return any(self.env.user.has_group(group) for group in groups)

    def _check_group(self, groups, action_label):
        """Refuse ``action_label`` to anyone outside ``groups`` (see ``check_group``)."""
        check_group(self.env, groups, action_label)

    def _document_label(self):
        return self.env["ir.model"].sudo()._get(self._name).name

    def _product_and_serial(self):
        """How a message names the unit of a record: its product, with its serial when it has one."""
        self.ensure_one()
        product = self.product_id.display_name
        return f"{product} ({self.lot_id.name})" if self.lot_id else product

    def _check_serial_of_product(self):
        """A serial (``lot_id``) on a record names a unit of its product (``product_id``)."""
        for record in self:
            if record.lot_id and record.lot_id.product_id != record.product_id:
                raise ValidationError(
                    _(
                        "Serial %(lot)s is not a %(product)s.",
                        lot=record.lot_id.name,
                        product=record.product_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Values of the wrong kind
    # ------------------------------------------------------------------

    def _check_client_values(self, vals_list):
        for vals in vals_list:
            for name, value in vals.items():
                field = self._fields.get(name)
                if field is None or value is False or value is None or self._is_valid_value(field, value):
                    continue
                raise ValidationError(
                    _(
                        "%(value)s is not a valid value for %(field)s.",
                        value=repr(value),
                        field=field._description_string(self.env),
                    )
                )

    def _is_valid_value(self, field, value):
        if field.type == "many2one":
            if isinstance(value, models.BaseModel):
                return value._name == field.comodel_name and len(value) <= 1
            return isinstance(value, (int, NewId)) and not isinstance(value, bool)
        if field.type not in CHECKED_TYPES:
            return True
        try:
            field.convert_to_cache(value, self)
        except (ValueError, TypeError):
            return False
        return True
