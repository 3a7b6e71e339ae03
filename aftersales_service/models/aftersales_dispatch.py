from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .aftersales_guard_mixin import MANAGER, TECHNICIAN, USER, editable, transition
from .image_limits import SIGNATURE_MAX_BYTES, SIGNATURE_MAX_PIXELS, STAMP_MAX_BYTES, STAMP_MAX_PIXELS, check_image

DISPATCH_STATES = [
    ("planned", "Planned"),
    ("on_site", "On Site"),
    ("done", "Done"),
    ("filed", "Filed"),
    ("cancel", "Cancelled"),
]
PAYMENT_METHODS = [("cash", "Cash"), ("bank", "Bank Transfer"), ("card", "Card"), ("mobile", "Mobile Payment")]
STAFF = USER
# The form is filled until the customer signs it: then it is the record (报销依据).
OPEN_FORM_STATES = ("planned", "on_site")
# How large the images of a form may be (see image_limits): (bytes, pixels) per field.
IMAGE_LIMITS = {
    "signature": (SIGNATURE_MAX_BYTES, SIGNATURE_MAX_PIXELS),
    "stamp": (STAMP_MAX_BYTES, STAMP_MAX_PIXELS),
}


class AftersalesDispatch(models.Model):
    """The field form 外出调试、维修跟踪报告单 a technician takes to the customer."""

    _name = "aftersales.dispatch"
    _description = "Field Service Form"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "aftersales.state.mixin",
        "aftersales.interest.mixin",
    ]
    _order = "planned_start desc, id desc"
    _history_states = ("filed", "cancel")
    # A form dropped on a kanban column runs that column's action (see aftersales.state.mixin).
    _state_actions = {
        "on_site": ("action_start", ("planned",)),
        "done": ("action_done", ("on_site",)),
        "filed": ("action_file", ("done",)),
        "cancel": ("action_cancel", OPEN_FORM_STATES),
    }
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    name = fields.Char(string="Reference", readonly=True, copy=False, default="New")
    active = fields.Boolean(default=True)
    ticket_id = fields.Many2one("aftersales.ticket", required=True, index=True, ondelete="restrict", check_company=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(related="ticket_id.partner_id", string="Customer", store=True, index=True)
    product_id = fields.Many2one(related="ticket_id.product_id")
    lot_id = fields.Many2one(related="ticket_id.lot_id")
    is_billable = fields.Boolean(related="ticket_id.is_billable")
    requested_arrival = fields.Datetime(related="ticket_id.requested_arrival")
    known_solution_ids = fields.Many2many(related="ticket_id.known_solution_ids", string="Recommended Checks")
    state = fields.Selection(DISPATCH_STATES, default="planned", required=True, tracking=True, copy=False, index=True)
    technician_ids = fields.Many2many(
        "res.users",
        string="Technicians",
        domain=[("share", "=", False)],
        # Not the superuser of scripts and crons: it is archived and could never be removed.
        default=lambda self: self.env.user.filtered("active"),
        tracking=True,
    )
    planned_start = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    planned_end = fields.Datetime(tracking=True)
    arrival_date = fields.Datetime(string="Arrived On", readonly=True, copy=False)
    departure_date = fields.Datetime(string="Left On", copy=False)
    arrived_late = fields.Boolean(compute="_compute_arrived_late", store=True)
    arrival_delay_hours = fields.Float(string="Arrival Delay (hours)", compute="_compute_arrived_late", store=True)
    work_summary = fields.Html(string="Work Done")
    findings = fields.Text(
        string="Findings for Quality", help="What quality and engineering should know (产品改进依据)."
    )
    part_line_ids = fields.One2many("aftersales.dispatch.part", "dispatch_id", string="Parts Used", copy=True)
    labour_hours = fields.Float()
    # What the company spends is internal: neither customers nor staff outside after-sales read it.
    travel_cost = fields.Monetary(currency_field="currency_id", groups=STAFF)
    expense_amount = fields.Monetary(string="Other Expenses", currency_field="currency_id", groups=STAFF)
    fee_collected = fields.Monetary(string="Fee Collected on Site", currency_field="currency_id")
    payment_method = fields.Selection(PAYMENT_METHODS, string="Paid By")
    signature = fields.Image(max_width=1024, max_height=1024, copy=False, attachment=True)
    signed_by = fields.Char(copy=False, tracking=True)
    signed_on = fields.Datetime(copy=False)
    stamp = fields.Image(string="Customer Stamp", max_width=512, max_height=512, copy=False, attachment=True)
    change_request_ids = fields.One2many("aftersales.change.request", "dispatch_id", string="Change Requests")
    has_pending_change = fields.Boolean(compute="_compute_has_pending_change")
    is_reimbursable = fields.Boolean(
        compute="_compute_is_reimbursable",
        store=True,
        help="Travel and expenses count for reimbursement once the form is signed and filed (报销依据).",
    )
    reimbursable_amount = fields.Monetary(
        compute="_compute_is_reimbursable", store=True, currency_field="currency_id", groups=STAFF
    )
    cancel_reason = fields.Char(copy=False, tracking=True)
    # 备案: who filed the signed form and when; never one of the technicians who did the work.
    filed_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    filed_date = fields.Datetime(string="Filed On", readonly=True, copy=False)

    _sql_constraints = [
        ("labour_hours_positive", "CHECK(labour_hours >= 0)", "Labour hours cannot be negative."),
        ("travel_cost_positive", "CHECK(travel_cost >= 0)", "The travel cost cannot be negative."),
        ("expense_amount_positive", "CHECK(expense_amount >= 0)", "Expenses cannot be negative."),
        ("fee_collected_positive", "CHECK(fee_collected >= 0)", "The fee collected cannot be negative."),
    ]

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------

    @api.depends("arrival_date", "ticket_id.requested_arrival")
    def _compute_arrived_late(self):
        for form in self:
            requested = form.ticket_id.requested_arrival
            late = bool(form.arrival_date and requested and form.arrival_date > requested)
            form.arrived_late = late
            form.arrival_delay_hours = (form.arrival_date - requested).total_seconds() / 3600 if late else 0.0

    @api.depends("change_request_ids.state")
    def _compute_has_pending_change(self):
        for form in self:
            form.has_pending_change = "pending" in form.change_request_ids.mapped("state")

    @api.depends("state", "signature", "travel_cost", "expense_amount")
    def _compute_is_reimbursable(self):
        for form in self:
            form.is_reimbursable = form.state == "filed" and bool(form.signature)
            form.reimbursable_amount = (form.travel_cost + form.expense_amount) if form.is_reimbursable else 0.0

    # A compute returns nothing, though pylint-odoo wants super()'s result returned.
    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for form in self:
            form.access_url = f"/my/aftersales/forms/{form.id}"

    @api.constrains("planned_start", "planned_end")
    def _check_planned_window(self):
        for form in self:
            if form.planned_end and form.planned_end < form.planned_start:
                raise ValidationError(_("The planned end of %(form)s is before its start.", form=form.name))

    @api.constrains("arrival_date", "departure_date")
    def _check_departure(self):
        for form in self:
            if form.departure_date and form.arrival_date and form.departure_date < form.arrival_date:
                raise ValidationError(_("The technician cannot leave %(form)s before arriving.", form=form.name))

    @api.constrains("fee_collected", "payment_method")
    def _check_fee(self):
        for form in self:
            if not form.fee_collected:
                continue
            if not form.ticket_id.is_billable:
                raise ValidationError(
                    _(
                        "Ticket %(ticket)s is free of charge: no fee may be collected on site.",
                        ticket=form.ticket_id.name,
                    )
                )
            if not form.payment_method:
                raise ValidationError(_("Record how the customer paid the fee collected on %(form)s.", form=form.name))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def _editable_fields(self):
        return super()._editable_fields() + [
            editable("ticket_id company_id", ("planned",), TECHNICIAN),
            editable(
                "technician_ids planned_start planned_end work_summary findings part_line_ids labour_hours "
                "travel_cost expense_amount fee_collected payment_method cancel_reason change_request_ids "
                "interest_product_ids interest_note",
                OPEN_FORM_STATES,
                TECHNICIAN,
            ),
            # On site: the time of leaving, and the customer signs and stamps the form.
            editable("departure_date signature signed_by stamp", ("on_site",), TECHNICIAN),
            editable("active", None, MANAGER),
        ]

    @api.model_create_multi
    def create(self, vals_list):
        defaults = {name: self.env.context.get(f"default_{name}") for name in IMAGE_LIMITS}
        for vals in vals_list:
            self._check_images({**defaults, **vals})
        return super().create(vals_list)

    def write(self, vals):
        self._check_images(vals)
        return super().write(vals)

    @api.model
    def _check_images(self, vals):
        """Refuse an oversized or undecodable signature or stamp, whoever sends it, before
        fields.Image decodes it (a decompression bomb must never reach PIL's decoder)."""
        for name, (max_bytes, max_pixels) in IMAGE_LIMITS.items():
            if vals.get(name):
                label = self._fields[name]._description_string(self.env)
                check_image(self.env, vals[name], label, max_bytes, max_pixels)

    @api.model
    def _prepare_new_values(self, vals_list):
        vals_list = super()._prepare_new_values(vals_list)
        self.env["ir.sequence"]._assign_names(vals_list, "aftersales.dispatch")
        return vals_list

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed(self):
        for form in self:
            if form.signature or form.state in ("done", "filed"):
                raise UserError(
                    _("Field form %(form)s is signed: cancel or archive it instead of deleting it.", form=form.name)
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @transition
    def action_start(self):
        self._check_state(("planned",), _("record the arrival of"))
        self._write_transition({"state": "on_site", "arrival_date": fields.Datetime.now()})
        return True

    @transition
    def action_done(self):
        self._check_state(("on_site",), _("complete"))
        pending = self.filtered("has_pending_change")
        if pending:
            raise UserError(
                _("Field form %(form)s waits for the company's answer to a change request.", form=pending[0].name)
            )
        unsigned = self.filtered(lambda form: not form.signature or not form.signed_by)
        if unsigned:
            raise UserError(
                _("Field form %(form)s must be signed by the customer before it is completed.", form=unsigned[0].name)
            )
        now = fields.Datetime.now()
        for form in self:
            form._write_transition(
                {"state": "done", "departure_date": form.departure_date or now, "signed_on": form.signed_on or now}
            )
        self.part_line_ids._consume()
        self._report_findings()
        self._finish_tickets()
        return True

    @transition
    def action_file(self):
        """Sales files the signed form (备案); filing changes nothing else on it."""
        self._check_state(("done",), _("file"))
        self._check_group(USER, _("file field forms"))
        self.check_access("read")
        own = self.filtered(lambda form: self.env.user in form.technician_ids)
        if own and not self.env.su:
            raise AccessError(
                _(
                    "You worked on field form %(form)s: sales files it, not its technicians, "
                    "since filing makes its costs reimbursable.",
                    form=own[0].name,
                )
            )
        self.sudo()._write_transition(
            {"state": "filed", "filed_by_id": self.env.user.id, "filed_date": fields.Datetime.now()}
        )
        return True

    @transition
    def action_cancel(self):
        self._check_state(("planned", "on_site"), _("cancel"))
        missing = self.filtered(lambda form: not (form.cancel_reason or "").strip())
        if missing:
            raise UserError(_("Give a cancellation reason for field form %(form)s.", form=missing[0].name))
        self._write_transition({"state": "cancel"})
        self._finish_tickets()
        return True

    def _interest_partner(self):
        return self.partner_id

    def _can_be_signed(self):
        """The customer signs once, at the end of the visit."""
        self.ensure_one()
        return self.state == "on_site" and not self.signature

    def action_preview(self):
        """Open the form as the customer sees it on the portal."""
        self.ensure_one()
        return {"type": "ir.actions.act_url", "target": "self", "url": self.get_portal_url()}

    def _get_report_base_filename(self):
        return _("Field Form %(name)s", name=self.name)

    def action_request_change(self):
        """Open a new change request (请示公司) for this form."""
        self.ensure_one()
        self.env["aftersales.change.request"].check_access("create")
        return {
            "type": "ir.actions.act_window",
            "name": _("Ask the Company"),
            "res_model": "aftersales.change.request",
            "view_mode": "form",
            "views": [[False, "form"]],
            "target": "new",
            "context": {"default_dispatch_id": self.id},
        }

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _finish_tickets(self):
        """A dispatched ticket is done once all its field forms are."""
        for ticket in self.ticket_id.filtered(lambda t: t.state == "dispatched"):
            forms = ticket.dispatch_ids
            if all(form.state in ("done", "filed", "cancel") for form in forms) and forms.filtered(
                lambda form: form.state != "cancel"
            ):
                ticket.action_done()

    def _report_findings(self):
        """Field findings go back to quality as one follow-up per ticket (产品改进依据)."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        summary = _("Field findings")
        for ticket in self.filtered("findings").ticket_id:
            note = Markup("<br/>").join(
                Markup("<b>%s</b>: %s") % (form.name, form.findings)
                for form in ticket.dispatch_ids.filtered("findings")
            )
            follow_up = ticket.activity_ids.filtered(
                lambda act: act.activity_type_id == todo and act.summary == summary
            )
            if follow_up:
                follow_up.note = note
            else:
                ticket._escalate("quality", summary, note)
