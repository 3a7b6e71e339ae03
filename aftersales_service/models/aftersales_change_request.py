from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .aftersales_guard_mixin import MANAGER, TECHNICIAN, editable, transition

CHANGE_TYPES = [("postpone", "Postpone"), ("alternative", "Alternative Solution")]
CHANGE_STATES = [("pending", "Pending"), ("approved", "Approved"), ("rejected", "Rejected")]


class AftersalesChangeRequest(models.Model):
    """A technician asks the company (请示公司) to postpone or to fix another way."""

    _name = "aftersales.change.request"
    _inherit = ["aftersales.state.mixin"]
    # A request dropped on a column runs that column's decision (see aftersales.state.mixin).
    # What each status allows (see aftersales.state.mixin).
    _actions = {"action_approve": ("pending",), "action_reject": ("pending",)}
    _state_actions = {"approved": "action_approve", "rejected": "action_reject"}
    _description = "Field Change Request"
    _order = "id desc"
    _check_company_auto = True
    _deletable_states = ("pending",)

    dispatch_id = fields.Many2one(
        "aftersales.dispatch", string="Field Form", required=True, ondelete="cascade", index=True, check_company=True
    )
    ticket_id = fields.Many2one(related="dispatch_id.ticket_id", store=True)
    company_id = fields.Many2one(related="dispatch_id.company_id", store=True)
    request_type = fields.Selection(CHANGE_TYPES, string="Request", required=True, default="postpone")
    reason = fields.Text(required=True)
    new_date = fields.Datetime(help="When the work can be finished.")
    state = fields.Selection(CHANGE_STATES, default="pending", required=True, readonly=True, copy=False, index=True)
    requested_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    approver_id = fields.Many2one("res.users", string="Decided By", readonly=True, copy=False)
    decision_date = fields.Datetime(readonly=True, copy=False)
    decision_note = fields.Text()

    @api.constrains("request_type", "new_date")
    def _check_new_date(self):
        for request in self:
            if request.request_type == "postpone" and not request.new_date:
                raise ValidationError(_("A postponement needs the new date."))

    def _editable_fields(self):
        return super()._editable_fields() + [
            editable("dispatch_id request_type reason new_date", ("pending",), TECHNICIAN),
            editable("decision_note", ("pending",), MANAGER),
        ]

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        for request in requests:
            if request.dispatch_id.state not in ("planned", "on_site"):
                raise UserError(
                    _("Field form %(form)s is closed: no change can be requested.", form=request.dispatch_id.name)
                )
            request._post(_("Change requested"))
            # 请示公司: the managers decide, so they are asked, whoever is configured.
            request.dispatch_id._escalate("manager", _("Change request to decide"), request.reason)
        return requests

    @transition
    def action_approve(self):
        self._decide("approved")
        for request in self.filtered(lambda r: r.request_type == "postpone"):
            request.dispatch_id.planned_end = request.new_date
        return True

    @transition
    def action_reject(self):
        self._decide("rejected")
        return True

    def _decide(self, state):
        self._check_group(MANAGER, _("decide change requests"))
        decided = self.filtered(lambda r: r.state not in self._actions["action_approve"])
        if decided:
            raise UserError(_("This change request was already decided."))
        self._write_transition(
            {"state": state, "approver_id": self.env.user.id, "decision_date": fields.Datetime.now()}
        )
        label = _("Change approved") if state == "approved" else _("Change rejected")
        for request in self:
            request._post(label)

    def _post(self, title):
        """The request and its decision are told on the field form and on the ticket."""
        type_label = dict(self._fields["request_type"]._description_selection(self.env))[self.request_type]
        body = Markup("<b>%s</b> (%s): %s") % (title, type_label, self.reason)
        if self.new_date:
            body += Markup("<br/>%s %s") % (_("New date:"), fields.Datetime.to_string(self.new_date))
        if self.decision_note:
            body += Markup("<br/>%s") % self.decision_note
        self.dispatch_id.message_post(body=body, subtype_xmlid="mail.mt_note")
        self.ticket_id.message_post(body=body, subtype_xmlid="mail.mt_note")
