from datetime import timedelta

from odoo import _, fields, models
from odoo.exceptions import UserError

from .aftersales_guard_mixin import MANAGER, QUALITY

# Who an escalation goes to: the person named in the settings, else the whole group.
ESCALATION_GROUPS = {"quality": QUALITY, "manager": MANAGER}


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_response_hours = fields.Integer(
        string="Response Time (hours)",
        default=24,
        help="A request must be answered within this many hours of its registration.",
    )
    aftersales_response_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Response Working Hours",
        help="Response deadlines count only the working hours of this calendar, its public holidays "
        "excluded. When empty, the clock runs round the clock.",
    )
    aftersales_repeat_days = fields.Integer(
        string="Repeat Window (days)",
        default=90,
        help="A new request on the same unit and fault within this many days of a "
        "finished one is flagged as a repeat repair; 0 looks back without limit.",
    )
    aftersales_manager_id = fields.Many2one(
        "res.users",
        string="After-Sales Manager",
        help="Receives activities for overdue answers, change requests (请示公司) and low satisfaction "
        "scores. When empty, every after-sales manager of the company receives them.",
    )
    aftersales_quality_user_id = fields.Many2one(
        "res.users",
        string="Quality Reviewer",
        help="Receives activities for repeat repairs, major quality issues, field findings and major "
        "complaints. When empty, every quality reviewer of the company receives them.",
    )
    aftersales_labour_product_id = fields.Many2one(
        "product.product",
        string="Labour Product",
        domain=[("type", "=", "service")],
        help="Service product used for labour hours on paid-service quotations.",
    )
    aftersales_travel_product_id = fields.Many2one(
        "product.product",
        string="Travel Product",
        domain=[("type", "=", "service")],
        help="Service product used for travel on paid-service quotations.",
    )
    aftersales_callout_product_id = fields.Many2one(
        "product.product",
        string="Call-Out Fee Product",
        domain=[("type", "=", "service")],
        help="Service product billed once per diagnostic visit (inspect, then quote). Leave empty when "
        "the company does not charge for coming to inspect.",
    )
    aftersales_cash_journal_id = fields.Many2one(
        "account.journal",
        string="Cash Journal for Fees",
        domain="[('type', '=', 'cash'), ('company_id', '=', id)]",
        help="Fees the technician collects in cash on site are recorded as payments on this journal.",
    )
    aftersales_bank_journal_id = fields.Many2one(
        "account.journal",
        string="Bank Journal for Fees",
        domain="[('type', '=', 'bank'), ('company_id', '=', id)]",
        help="Fees paid on site by transfer, card or mobile payment are recorded as payments on this journal.",
    )
    aftersales_labour_cost_rate = fields.Monetary(
        string="Labour Cost per Hour",
        currency_field="currency_id",
        default=30.0,
        help="Internal cost of one technician hour, for the cost report.",
    )
    aftersales_gm_approval_amount = fields.Monetary(
        string="General Manager's Limit",
        currency_field="currency_id",
        default=10000.0,
        help="Returns, exchanges and compensations worth up to this amount are approved by the general "
        "manager; above it, only by the general manager's office meeting (总经理办公会), its decision "
        "recorded with the minutes.",
    )
    # What the customer hears from the ticket itself (see data/mail_template_data.xml).
    aftersales_notify_registered = fields.Boolean(
        string="Acknowledge Registration",
        default=True,
        help="Email the customer the reference of a request when it is registered.",
    )
    aftersales_notify_quotation = fields.Boolean(
        string="Announce Quotation",
        default=True,
        help="Email the customer when the paid-service quotation is approved and waits for acceptance.",
    )
    aftersales_notify_dispatched = fields.Boolean(
        string="Announce Dispatch",
        default=True,
        help="Email the customer who comes, on which date and at what time, when technicians are dispatched.",
    )
    aftersales_notify_done = fields.Boolean(
        string="Announce Work Done",
        default=True,
        help="Email the customer when the work is done (with the satisfaction survey link when surveys are used).",
    )
    aftersales_notify_closed = fields.Boolean(
        string="Announce Closing",
        default=True,
        help="Email the customer when the request is closed.",
    )

    def _aftersales_deadline(self, start, hours):
        """When an answer is due ``hours`` after ``start`` (24小时内答复, P6 三.4): counted in the
        working hours of the response calendar when one is set, else round the clock."""
        self.ensure_one()
        calendar = self.aftersales_response_calendar_id
        if calendar and hours > 0:
            planned = calendar.plan_hours(hours, start, compute_leaves=True)
            if planned:
                return planned
        return start + timedelta(hours=hours)

    def _aftersales_escalation_users(self, role):
        """Who must act on an escalation of ``role`` ('quality' or 'manager'): the person named in
        the settings, else every active member of the department's group in this company, so that
        an escalation never falls back to the salesperson or to nobody."""
        self.ensure_one()
        named = self.aftersales_quality_user_id if role == "quality" else self.aftersales_manager_id
        if named:
            return named
        group = self.env.ref(ESCALATION_GROUPS[role])
        return group.sudo().users.filtered(lambda user: user.active and not user.share and self in user.company_ids)

    def _aftersales_fee_journal(self, payment_method):
        """The journal of a fee paid on site: the cash journal for cash, the bank journal else."""
        self.ensure_one()
        kind = "cash" if payment_method == "cash" else "bank"
        journal = self.aftersales_cash_journal_id if kind == "cash" else self.aftersales_bank_journal_id
        journal = journal or self.env["account.journal"].sudo().search(
            [("type", "=", kind), ("company_id", "=", self.id)], limit=1
        )
        if not journal:
            raise UserError(
                _(
                    "Company %(company)s has no %(kind)s journal to record the fee collected on site.",
                    company=self.name,
                    kind=dict(self.env["account.journal"]._fields["type"]._description_selection(self.env))[kind],
                )
            )
        return journal
