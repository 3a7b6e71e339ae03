from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from .aftersales_guard_mixin import QUALITY, USER, transition
from .aftersales_ticket import OPEN_STATES


class AftersalesTicketQuality(models.Model):
    """What the quality department follows on a ticket: repeat repairs (不允许同一问题重复修理),
    major quality issues (重大质量问题), known solutions (总结解决方案) and disputed quality
    (对质量有争议的产品)."""

    # One concern a file on purpose (see aftersales_ticket_warranty.py).
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "aftersales.ticket"

    # Repeat repairs (不允许同一问题重复修理) and major quality issues (重大质量问题)
    is_repeat = fields.Boolean(string="Repeat Repair", compute="_compute_repeat", store=True, index=True)
    repeat_of_id = fields.Many2one("aftersales.ticket", compute="_compute_repeat", store=True)
    # Same unit, finished within the window, but no fault category tells whether the problem is
    # the same: quality confirms or dismisses the possible repeat.
    possible_repeat_of_id = fields.Many2one("aftersales.ticket", compute="_compute_repeat", store=True)
    repeat_decision = fields.Selection(
        [("confirmed", "Confirmed Repeat"), ("dismissed", "Not a Repeat")],
        string="Quality's Decision on the Repeat",
        readonly=True,
        copy=False,
        tracking=True,
    )
    # Internal: tracked changes of these reach only staff, never the customer's notifications.
    is_major = fields.Boolean(string="Major Quality Issue", tracking=True, groups=USER)
    major_outcome = fields.Text(string="Quality Outcome", tracking=True, groups=USER)
    # Known solutions (总结解决方案) and disputed quality (对质量有争议的产品)
    known_solution_ids = fields.Many2many(
        "aftersales.fault.solution", string="Known Solutions", compute="_compute_known_solution_ids"
    )
    solution_proposed = fields.Boolean(compute="_compute_known_solution_ids")
    is_disputed = fields.Boolean(string="Quality Disputed", tracking=True, copy=False)
    inspection_ids = fields.One2many("aftersales.inspection", "ticket_id", string="Inspections")
    inspection_pending = fields.Boolean(compute="_compute_inspection_pending")

    @api.depends(
        "lot_id", "commercial_partner_id", "product_id", "fault_category_id", "request_date", "repeat_decision"
    )
    def _compute_repeat(self):
        # One search for the whole batch: a batch of new requests costs what one costs.
        finished = self._finished_on_the_same_units()
        for ticket in self:
            previous = ticket._find_repeated_ticket(finished)
            possible = ticket.browse() if previous else ticket._find_possible_repeat(finished)
            if possible and ticket.repeat_decision == "confirmed":
                previous = possible
            ticket.is_repeat = bool(previous)
            ticket.repeat_of_id = previous
            ticket.possible_repeat_of_id = possible

    @api.depends("fault_category_id")
    def _compute_known_solution_ids(self):
        Solution = self.env["aftersales.fault.solution"]
        approved = Solution.search(
            [("fault_category_id", "in", self.fault_category_id.ids), ("state", "=", "approved")]
        )
        proposed_from = set(Solution.search([("source_ticket_id", "in", self.ids)]).source_ticket_id.ids)
        for ticket in self:
            ticket.known_solution_ids = approved.filtered(
                lambda sol, cat=ticket.fault_category_id: sol.fault_category_id == cat
            )
            ticket.solution_proposed = ticket.id in proposed_from

    @api.depends("is_disputed", "inspection_ids.state")
    def _compute_inspection_pending(self):
        for ticket in self:
            ticket.inspection_pending = ticket.is_disputed and "concluded" not in ticket.inspection_ids.mapped("state")

    @transition
    def action_confirm_repeat(self):
        """Quality confirms that the possible repeat is the same problem repaired again."""
        return self._decide_repeat("confirmed")

    @transition
    def action_dismiss_repeat(self):
        """Quality finds the problem is not the one repaired before."""
        return self._decide_repeat("dismissed")

    def _decide_repeat(self, decision):
        self._check_group(QUALITY, _("decide on a possible repeat repair"))
        undecided = self.filtered(lambda ticket: ticket.possible_repeat_of_id and not ticket.repeat_decision)
        if undecided != self:
            raise UserError(
                _("Ticket %(ticket)s has no possible repeat to decide on.", ticket=(self - undecided)[0].name)
            )
        self._write_transition({"repeat_decision": decision})
        summary = _("Possible repeat repair")
        activities = self.activity_ids.filtered(lambda activity: activity.summary == summary)
        activities.sudo().action_feedback(
            feedback=dict(self._fields["repeat_decision"]._description_selection(self.env))[decision]
        )
        return True

    @transition
    def action_propose_solution(self):
        """Offer this ticket's fix to its fault category, for quality to review (总结解决方案，以便参考)."""
        Solution = self.env["aftersales.fault.solution"]
        for ticket in self:
            if ticket.state not in ("done", "closed"):
                raise UserError(_("Only a finished ticket can share its solution."))
            if not ticket.fault_category_id:
                raise UserError(_("Set the fault category of %(ticket)s first.", ticket=ticket.name))
            forms = ticket.dispatch_ids.filtered(lambda form: form.state in ("done", "filed"))
            Solution.create(
                {
                    "fault_category_id": ticket.fault_category_id.id,
                    "symptom": ticket.title or ticket.name,
                    "cause": "\n".join(forms.filtered("findings").mapped("findings")) or False,
                    "solution": "\n".join(
                        filter(
                            None,
                            [html2plaintext(ticket.review_note or "")]
                            + [html2plaintext(form.work_summary or "") for form in forms],
                        )
                    ).strip()
                    or ticket.title
                    or ticket.name,
                    "source_ticket_id": ticket.id,
                }
            )
        return True

    @transition
    def action_dispute(self):
        """The customer disputes the quality: send the product to the contract's inspection body."""
        self._check_state(OPEN_STATES, _("dispute the quality of"))
        self.write({"is_disputed": True})
        for ticket in self.filtered(lambda t: not t.inspection_ids.filtered(lambda i: i.state == "open")):
            self.env["aftersales.inspection"].create({"ticket_id": ticket.id})
        return True

    def _check_no_pending_inspection(self):
        pending = self.filtered("inspection_pending")
        if pending:
            raise UserError(
                _(
                    "The quality of %(ticket)s is disputed: wait for the inspection body's conclusion.",
                    ticket=pending[0].name,
                )
            )

    def _apply_inspection(self, inspection):
        """The inspection body's conclusion decides who pays, with the reason tracked."""
        reason = _(
            "Inspection by %(body)s: %(conclusion)s",
            body=inspection.inspector_id.display_name,
            conclusion=dict(inspection._fields["conclusion"]._description_selection(self.env))[inspection.conclusion],
        )
        override = {"our_fault": "free", "customer_fault": "billable"}.get(inspection.conclusion)
        if override:
            # Quality records the conclusion; the billing it implies is the inspection's, not a manager's override.
            self.sudo().write({"billing_override": override, "billing_override_reason": reason})
        self.message_post(body=reason, subtype_xmlid="mail.mt_note")

    def _finished_on_the_same_units(self):
        """Finished tickets on the units of these tickets (same serial, or same customer and
        product), latest first, read as superuser: a repeat is found whoever registers it."""
        units = self.filtered(lambda ticket: ticket.lot_id or (ticket.commercial_partner_id and ticket.product_id))
        if not units:
            return self.browse()
        domain = [
            ("state", "in", ("done", "closed")),
            ("company_id", "in", units.company_id.ids),
            "|",
            ("lot_id", "in", units.lot_id.ids),
            "&",
            ("commercial_partner_id", "in", units.commercial_partner_id.ids),
            ("product_id", "in", units.product_id.ids),
        ]
        return self.sudo().search(domain, order="done_date desc, id desc")

    def _find_repeated_ticket(self, finished=None):
        """The finished ticket this one repeats (不允许同一问题重复修理, P3 std 3, P6 三.6): same unit
        (or customer and product) and same fault, finished within the company's repeat window."""
        self.ensure_one()
        if not self.fault_category_id:
            return self.browse()
        return self._previous_on_the_unit(
            finished, lambda previous: previous.fault_category_id == self.fault_category_id
        )

    def _find_possible_repeat(self, finished=None):
        """The finished ticket on the same unit that this one may repeat, when a fault category is
        missing on one of them: only quality can tell whether the problem is the same."""
        self.ensure_one()
        if self.fault_category_id:
            return self._previous_on_the_unit(finished, lambda previous: not previous.fault_category_id)
        return self._previous_on_the_unit(finished, lambda previous: True)

    def _previous_on_the_unit(self, finished, same_problem):
        if not (self.lot_id or (self.commercial_partner_id and self.product_id)):
            return self.browse()
        if finished is None:
            finished = self._finished_on_the_same_units()
        days = self.company_id.aftersales_repeat_days
        # 0: the policy's own rule, no time limit.
        since = (self.request_date or fields.Datetime.now()) - timedelta(days=days) if days > 0 else None
        for previous in finished:
            if previous.id == self.id or previous.company_id != self.company_id:
                continue
            if since and (not previous.done_date or previous.done_date < since):
                continue
            if self.lot_id:
                if previous.lot_id != self.lot_id:
                    continue
            elif (previous.commercial_partner_id, previous.product_id) != (self.commercial_partner_id, self.product_id):
                continue
            if same_problem(previous):
                return previous.with_env(self.env)
        return self.browse()

    def _repeat_note(self, ticket):
        return _(
            "%(ticket)s repeats %(previous)s (same fault: %(fault)s).",
            ticket=ticket.name,
            previous=ticket.repeat_of_id.name,
            fault=ticket.fault_category_id.name,
        )

    def _possible_repeat_note(self, ticket):
        return _(
            "%(ticket)s may repeat %(previous)s on the same unit, but no fault category tells whether the "
            "problem is the same: confirm the repeat or dismiss it.",
            ticket=ticket.name,
            previous=ticket.possible_repeat_of_id.name,
        )

    def _major_note(self, ticket):
        return _(
            "%(ticket)s was escalated as a major quality issue; record the outcome on the ticket.", ticket=ticket.name
        )

    def _notify_quality(self, summary, note_for):
        """Give the quality department a to-do and leave the reason in the chatter."""
        for ticket in self:
            note = note_for(ticket)
            ticket.message_post(body=note, subtype_xmlid="mail.mt_note")
            ticket._escalate("quality", summary, note)
