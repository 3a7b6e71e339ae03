from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .aftersales_guard_mixin import server_decides


def state_field(selection, default):
    """A document's status: required, tracked in the chatter, not copied, indexed, and every
    status a column of the kanban (a card dropped on a column runs that column's action)."""
    return fields.Selection(
        selection,
        default=default,
        required=True,
        tracking=True,
        copy=False,
        index=True,
        group_expand="_expand_all_states",
    )


class AftersalesStateMixin(models.AbstractModel):
    """Refuse an illegal move of an after-sales document with one clear message,
    the same from a button and from XML-RPC.

    A state changes only inside the document's actions (``_write_transition``); the
    field guard (``aftersales.guard.mixin``) refuses it from any other write, except that a
    write of the state alone (a card dropped on a kanban column) runs the action that leads
    there, with all its checks (``_state_actions``)."""

    _name = "aftersales.state.mixin"
    _inherit = ["aftersales.guard.mixin"]
    _description = "After-Sales Document State Guard"

    # The one declaration of what each status allows: {action: the states it runs in}. The
    # action checks it (``_check_action``), the buttons read it (``allowed_actions``) and a card
    # dropped on a kanban column runs the action that leads there, from those states only.
    _actions = {}
    # {state: action}: what a card dropped on that state's kanban column runs; a state reached
    # by several actions lists them ({state: (action, other action)}), the first legal one runs.
    _state_actions = {}

    # The xml id of the window action that lists the documents (smart buttons open it filtered).
    _list_action = None

    # The actions legal in the record's status, space-separated and space-framed, so that a
    # button reads ``invisible="' action_x ' not in allowed_actions"`` without matching a longer name.
    allowed_actions = fields.Char(compute="_compute_allowed_actions")

    @api.depends("state")
    def _compute_allowed_actions(self):
        for record in self:
            allowed = [action for action, states in self._actions.items() if record.state in states]
            record.allowed_actions = f" {' '.join(allowed)} " if allowed else ""

    def _check_action(self, action, action_label):
        """Refuse ``action`` on a record whose status does not allow it (see ``_actions``)."""
        self._check_state(self._actions[action], action_label)

    @api.model
    def _action_open(self, domain, context):
        """The document list (``_list_action``) filtered for a smart button, for those who may read it."""
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(self._list_action)
        action.update(domain=domain, context=context)
        return action

    def _run_action(self, action, action_label, vals):
        """The whole of an action that, once its status allows it, only writes ``vals``."""
        self._check_action(action, action_label)
        self._write_transition(vals)
        return True

    def write(self, vals):
        if set(vals) == {"state"} and self._state_actions and self._guard_applies():
            return self._move_to_state(vals["state"])
        return super().write(vals)

    def _move_to_state(self, state):
        """Run the action that leads to ``state``, as its button would; refuse any other move."""
        moving = self.filtered(lambda record: record.state != state)
        ways = self._state_actions.get(state, ())
        for action in (ways,) if isinstance(ways, str) else ways:
            if moving and all(record.state in self._actions[action] for record in moving):
                getattr(moving, action)()
                break
        stuck = moving.filtered(lambda record: record.state != state)
        if stuck:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                _(
                    "%(document)s %(name)s cannot go from %(current)s to %(state)s: "
                    "the status changes only through its actions (its buttons).",
                    document=self._document_label(),
                    name=stuck[0].display_name,
                    current=labels.get(stuck[0].state, stuck[0].state),
                    state=labels.get(state, state),
                )
            )
        return True

    def _expand_all_states(self, states, domain):
        """A kanban grouped by status shows every column, so that a card can be dropped on any."""
        return [key for key, _label in self._fields["state"]._description_selection(self.env)]

    def _write_transition(self, vals):
        """Write a new state (and what goes with it) decided by one of the document's actions."""
        with server_decides():
            return self.write(vals)

    def _escalate(self, role, summary, note):
        """A to-do on each record for the department that must act: ``role`` is 'quality' or
        'manager' (see ``res.company._aftersales_escalation_users``). Needs activities."""
        for record in self:
            for user in record.company_id._aftersales_escalation_users(role):
                record.activity_schedule("mail.mail_activity_data_todo", summary=summary, note=note, user_id=user.id)

    def _check_state(self, allowed, action_label):
        labels = dict(self._fields["state"]._description_selection(self.env))
        document = self._document_label()
        for record in self:
            if record.state not in allowed:
                raise UserError(
                    _(
                        "You cannot %(action)s %(document)s %(name)s while it is %(state)s.",
                        action=action_label,
                        document=document,
                        name=record.display_name,
                        state=labels[record.state],
                    )
                )
