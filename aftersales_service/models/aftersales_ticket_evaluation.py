from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .aftersales_guard_mixin import MANAGER, USER, transition


class AftersalesTicketEvaluation(models.Model):
    """The customer's evaluation a ticket needs before it closes (必须让用户填写售后服务满意度调查表),
    or a manager's recorded waiver with its reason."""

    # One concern a file on purpose (see aftersales_ticket_warranty.py).
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "aftersales.ticket"

    # The customer's evaluation (必须让用户填写售后服务满意度调查表, P6 三.7): a finished ticket is
    # closed once the customer evaluated the service, or when a manager waives it with a reason.
    evaluation_state = fields.Selection(
        [("pending", "Not Evaluated"), ("evaluated", "Evaluated"), ("waived", "Waived")],
        string="Customer Evaluation",
        compute="_compute_evaluation_state",
        store=True,
        index=True,
    )
    evaluation_waiver_reason = fields.Text(string="Why No Evaluation", tracking=True, copy=False, groups=USER)
    evaluation_waived_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    evaluation_waived_date = fields.Datetime(string="Evaluation Waived On", readonly=True, copy=False)

    @api.depends("evaluation_waived_by_id")
    def _compute_evaluation_state(self):
        for ticket in self:
            ticket.evaluation_state = "waived" if ticket.evaluation_waived_by_id else "pending"

    @transition
    def action_waive_evaluation(self):
        """The manager records that this customer will not evaluate the service, and why
        (written first in the reason field): the ticket may then be closed unevaluated."""
        self._check_state(("done",), _("waive the customer's evaluation of"))
        self._check_group(MANAGER, _("waive a customer's evaluation"))
        for ticket in self:
            if not (ticket.evaluation_waiver_reason or "").strip():
                raise UserError(
                    _("Write why %(ticket)s closes without the customer's evaluation first.", ticket=ticket.name)
                )
            if ticket.evaluation_state != "pending":
                raise UserError(_("Ticket %(ticket)s needs no waiver: it is already evaluated.", ticket=ticket.name))
        self._write_transition(
            {"evaluation_waived_by_id": self.env.user.id, "evaluation_waived_date": fields.Datetime.now()}
        )
        return True

    def _evaluation_required(self):
        """Whether the customer's evaluation can be taken for this ticket: the satisfaction
        survey addon makes it so; without a questionnaire nothing asks for one."""
        self.ensure_one()
        return False

    def _check_evaluated(self):
        unevaluated = self.filtered(
            lambda ticket: ticket.evaluation_state == "pending" and ticket._evaluation_required()
        )
        if unevaluated:
            raise UserError(
                _(
                    "Ticket %(ticket)s cannot be closed before the customer evaluated the service (on site, "
                    "by the survey or by phone) or a manager waived the evaluation with a reason.",
                    ticket=unevaluated[0].name,
                )
            )
