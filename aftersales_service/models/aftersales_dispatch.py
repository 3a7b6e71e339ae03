from urllib.parse import quote as url_quote

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .aftersales_guard_mixin import MANAGER, QUALITY, TECHNICIAN, USER, editable, server_decides, transition
from .image_limits import (
    PHOTO_MAX_BYTES,
    PHOTO_MAX_PIXELS,
    SIGNATURE_MAX_BYTES,
    SIGNATURE_MAX_PIXELS,
    STAMP_MAX_BYTES,
    STAMP_MAX_PIXELS,
    check_image,
)

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
# The trip's times and costs are known once the technician is back at the company; sales
# files the form afterwards (交于销售部备案), which makes them the basis of the reimbursement
# (售后管理制度 P4 §3.4, §3.5).
TRIP_STATES = ("planned", "on_site", "done")
# How large the images of a form may be (see image_limits): (bytes, pixels) per field.
IMAGE_LIMITS = {
    "signature": (SIGNATURE_MAX_BYTES, SIGNATURE_MAX_PIXELS),
    "stamp": (STAMP_MAX_BYTES, STAMP_MAX_PIXELS),
    "fault_photo": (PHOTO_MAX_BYTES, PHOTO_MAX_PIXELS),
    "work_photo": (PHOTO_MAX_BYTES, PHOTO_MAX_PIXELS),
}
# Where the card's map link looks the site up; a company may prefer another map service
# (system parameter aftersales_service.map_url, "{address}" is replaced by the site's address).
DEFAULT_MAP_URL = "https://www.openstreetmap.org/search?query={address}"


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
    # What each status allows (see aftersales.state.mixin).
    _actions = {
        "action_start": ("planned",),
        "action_propose_quotation": ("on_site",),
        "action_customer_accepts_here": ("on_site",),
        "action_request_change": OPEN_FORM_STATES,
        "action_done": ("on_site",),
        "action_file": ("done",),
        "action_cancel": OPEN_FORM_STATES,
    }
    _state_actions = {
        "on_site": "action_start",
        "done": "action_done",
        "filed": "action_file",
        "cancel": "action_cancel",
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
    # 凡可当场处理完妥者即请客户签字、盖章; what is not is asked of the company
    # (售后管理制度 P4 §3.4, §3.6): the form says which it was. The usual case is ticked; a
    # technician who unticks it completes the form only with the company's approval.
    resolved_on_site = fields.Boolean(string="Resolved on Site", default=True, copy=False, tracking=True)
    # 质量部组织相关部门评审后，将处理方案反馈给办公室，办公室填写报告单 (P4 §3.3): the plan the
    # technician takes along, quality's review when the form is issued; quality may still amend it
    # before the visit.
    handling_plan = fields.Html(groups=STAFF)
    # Who filled the form (办公室填写) and who sent the technicians (生产部 / 全质办安排相关人员,
    # P4 §3.3, §5.1): set by the server, never typed.
    issued_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    assigned_by_id = fields.Many2one("res.users", string="Staff Assigned By", readonly=True, copy=False, tracking=True)
    # 外出起止时间: leaving and coming back to the company, the basis of the travel claim.
    travel_start = fields.Datetime(string="Left the Company", copy=False)
    travel_return = fields.Datetime(string="Back at the Company", copy=False)
    travel_hours = fields.Float(string="Time Away (hours)", compute="_compute_travel_hours", store=True)
    findings = fields.Text(
        string="Findings for Quality", help="What quality and engineering should know (产品改进依据)."
    )
    part_line_ids = fields.One2many("aftersales.dispatch.part", "dispatch_id", string="Parts Used", copy=True)
    labour_hours = fields.Float()
    # What the company spends is internal: neither customers nor staff outside after-sales read it.
    travel_cost = fields.Monetary(string="Transport", currency_field="currency_id", groups=STAFF)
    lodging_cost = fields.Monetary(string="Lodging", currency_field="currency_id", groups=STAFF)
    allowance_amount = fields.Monetary(string="Travel Allowance", currency_field="currency_id", groups=STAFF)
    expense_amount = fields.Monetary(string="Other Expenses", currency_field="currency_id", groups=STAFF)
    fee_collected = fields.Monetary(string="Fee Collected on Site", currency_field="currency_id")
    payment_method = fields.Selection(PAYMENT_METHODS, string="Paid By")
    # The fee collected on site is money received: a customer payment on the cash or bank
    # journal, reconciled with the invoice of the work once it is posted.
    payment_id = fields.Many2one("account.payment", readonly=True, copy=False, groups=STAFF)
    payment_reconciled = fields.Boolean(
        related="payment_id.is_reconciled", string="Matched with the Invoice", groups=STAFF
    )
    # A visit to find the fault before anything is quoted (先检查判断，再报价).
    diagnostic = fields.Boolean(
        string="Diagnostic Visit",
        readonly=True,
        copy=False,
        help="The engineer inspects the unit first; what he finds becomes the quotation the customer accepts "
        "before the repair.",
    )
    # The customer's order the work of this form is billed on (its accepted quotation, or the
    # call-out fee of a diagnostic visit), and the delivery of the parts of free service.
    sale_order_id = fields.Many2one(
        "sale.order", string="Billed On", readonly=True, copy=False, index="btree_not_null", groups=STAFF
    )
    parts_picking_id = fields.Many2one(
        "stock.picking", string="Parts Delivery", readonly=True, copy=False, groups="stock.group_stock_user"
    )
    quotation_id = fields.Many2one(related="ticket_id.quotation_id", string="Quotation")
    quotation_state = fields.Selection(related="ticket_id.quotation_state")
    proposed_part_ids = fields.One2many(
        related="ticket_id.part_ids", readonly=False, string="Parts to Quote", groups=TECHNICIAN
    )
    proposed_labour_hours = fields.Float(
        related="ticket_id.planned_labour_hours", readonly=False, string="Labour Hours to Quote", groups=TECHNICIAN
    )
    signature = fields.Image(max_width=1024, max_height=1024, copy=False, attachment=True)
    signed_by = fields.Char(copy=False, tracking=True)
    signed_on = fields.Datetime(copy=False)
    stamp = fields.Image(string="Customer Stamp", max_width=512, max_height=512, copy=False, attachment=True)
    # Taken with the phone's camera on site; printed on the form's annex.
    fault_photo = fields.Image(
        string="Photo of the Fault", max_width=1024, max_height=1024, copy=False, attachment=True
    )
    work_photo = fields.Image(
        string="Photo of the Finished Work", max_width=1024, max_height=1024, copy=False, attachment=True
    )
    # Where the technician goes and whom to call: the site of the ticket, on the card.
    site_phone = fields.Char(related="ticket_id.phone", string="Site Phone")
    site_address = fields.Text(related="ticket_id.address", string="Site Address")
    map_url = fields.Char(string="Map", compute="_compute_map_url")
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
        ("lodging_cost_positive", "CHECK(lodging_cost >= 0)", "The lodging cost cannot be negative."),
        ("allowance_amount_positive", "CHECK(allowance_amount >= 0)", "The travel allowance cannot be negative."),
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

    @api.depends("state", "signature", "travel_cost", "lodging_cost", "allowance_amount", "expense_amount")
    def _compute_is_reimbursable(self):
        for form in self:
            form.is_reimbursable = form.state == "filed" and bool(form.signature)
            form.reimbursable_amount = form._trip_expenses() + form.expense_amount if form.is_reimbursable else 0.0

    def _trip_expenses(self):
        """What the trip itself cost: the part of a claim that its 外出起止时间 justify."""
        self.ensure_one()
        return self.travel_cost + self.lodging_cost + self.allowance_amount

    @api.depends("travel_start", "travel_return")
    def _compute_travel_hours(self):
        for form in self:
            away = form.travel_start and form.travel_return and form.travel_return - form.travel_start
            form.travel_hours = away.total_seconds() / 3600 if away else 0.0

    @api.depends("site_address")
    def _compute_map_url(self):
        template = self.env["ir.config_parameter"].sudo().get_param("aftersales_service.map_url") or DEFAULT_MAP_URL
        for form in self:
            address = " ".join((form.site_address or "").split())
            form.map_url = template.replace("{address}", url_quote(address)) if address else False

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

    @api.constrains("travel_start", "travel_return", "arrival_date", "departure_date")
    def _check_trip(self):
        """Leave the company, arrive, leave the site, come back: in that order."""
        for form in self.filtered(lambda form: form.travel_start or form.travel_return):
            steps = [form.travel_start, form.arrival_date, form.departure_date, form.travel_return]
            known = [step for step in steps if step]
            if known != sorted(known):
                raise ValidationError(
                    _(
                        "The times of field form %(form)s are out of order: the technician leaves the company, "
                        "arrives, leaves the site and comes back, in that order.",
                        form=form.name,
                    )
                )

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
            editable("handling_plan", ("planned",), QUALITY),
            editable(
                "technician_ids planned_start planned_end work_summary findings part_line_ids labour_hours "
                "fee_collected payment_method cancel_reason change_request_ids interest_product_ids interest_note",
                OPEN_FORM_STATES,
                TECHNICIAN,
            ),
            editable(
                "travel_cost lodging_cost allowance_amount expense_amount travel_start travel_return",
                TRIP_STATES,
                TECHNICIAN,
            ),
            # On site: the time of leaving, and the customer signs and stamps the form.
            # The photos of the fault and of the finished work are taken there too.
            editable(
                "departure_date resolved_on_site signature signed_by stamp fault_photo work_photo",
                ("on_site",),
                TECHNICIAN,
            ),
            # A diagnostic visit lists what the repair needs (on the ticket, which guards it too).
            editable("proposed_part_ids proposed_labour_hours", ("on_site",), TECHNICIAN),
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
        result = super().write(vals)
        if "technician_ids" in vals:
            # Whoever sets the crew is who sent it (安排相关人员).
            with server_decides():
                super().write({"assigned_by_id": self.env.user.id})
        return result

    @api.model
    def _check_images(self, vals):
        """Refuse an oversized or undecodable signature, stamp or photo, whoever sends it, before
        fields.Image decodes it (a decompression bomb must never reach PIL's decoder)."""
        for name, (max_bytes, max_pixels) in IMAGE_LIMITS.items():
            if vals.get(name):
                label = self._fields[name]._description_string(self.env)
                check_image(self.env, vals[name], label, max_bytes, max_pixels)

    @api.model
    def _prepare_new_values(self, vals_list):
        vals_list = super()._prepare_new_values(vals_list)
        self.env["ir.sequence"]._assign_names(vals_list, "aftersales.dispatch")
        tickets = self.env["aftersales.ticket"].browse(
            {vals["ticket_id"] for vals in vals_list if vals.get("ticket_id")}
        )
        plans = {ticket.id: ticket.review_note for ticket in tickets.sudo()}
        for vals in vals_list:
            # Imported history keeps its own (the guard lets nobody else send these).
            vals.setdefault("issued_by_id", self.env.user.id)
            if vals.get("technician_ids"):
                vals.setdefault("assigned_by_id", self.env.user.id)
            if "handling_plan" not in vals and plans.get(vals.get("ticket_id")):
                vals["handling_plan"] = plans[vals["ticket_id"]]
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
        self._check_action("action_start", _("record the arrival of"))
        self._write_transition({"state": "on_site", "arrival_date": fields.Datetime.now()})
        return True

    @transition
    def action_done(self):
        self._check_action("action_done", _("complete"))
        pending = self.filtered("has_pending_change")
        if pending:
            raise UserError(
                _("Field form %(form)s waits for the company's answer to a change request.", form=pending[0].name)
            )
        self._check_unresolved_approved()
        self._check_parts_accepted()
        self.part_line_ids._check_traceable()
        unsigned = self.filtered(lambda form: not form.signature or not form.signed_by)
        if unsigned:
            raise UserError(
                _("Field form %(form)s must be signed by the customer before it is completed.", form=unsigned[0].name)
            )
        # What leaves stock is checked and moved first: a part missing from stock leaves the form open.
        self._deliver_parts()
        now = fields.Datetime.now()
        for form in self:
            form._write_transition(
                {"state": "done", "departure_date": form.departure_date or now, "signed_on": form.signed_on or now}
            )
        self._record_work_on_orders()
        self._register_fee_payments()
        self._report_findings()
        self._finish_tickets()
        return True

    def _check_unresolved_approved(self):
        """凡服务现场不能处理妥善者，应向公司请示其他的解决方法，待公司同意后才可用 (P4 §3.6, §5.3):
        a form not resolved on site is completed only once the company approved a change. A
        diagnostic visit resolves nothing by design: its answer is the quotation."""
        for form in self.filtered(lambda form: not form.resolved_on_site and not form.diagnostic):
            if "approved" not in form.change_request_ids.mapped("state"):
                raise UserError(
                    _(
                        "Field form %(form)s was not resolved on site: ask the company (Ask the Company) and "
                        "complete it once the company has approved another solution or a postponement.",
                        form=form.name,
                    )
                )

    def _check_trip_times(self):
        """A travel claim stands on the times of leaving and coming back (外出起止时间)."""
        for form in self:
            if form.sudo()._trip_expenses() and not (form.travel_start and form.travel_return):
                raise UserError(
                    _(
                        "Field form %(form)s claims travel costs: record when the technicians left the company "
                        "and came back before it is filed.",
                        form=form.name,
                    )
                )

    @transition
    def action_file(self):
        """Sales files the signed form (备案); filing changes nothing else on it."""
        self._check_action("action_file", _("file"))
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
        self._check_trip_times()
        self.sudo()._write_transition(
            {"state": "filed", "filed_by_id": self.env.user.id, "filed_date": fields.Datetime.now()}
        )
        return True

    @transition
    def action_cancel(self):
        self._check_action("action_cancel", _("cancel"))
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
        """A dispatched ticket is done once all its field forms are, unless a diagnostic visit
        left a quotation for the customer to accept: then the repair waits for it."""
        for ticket in self.ticket_id.filtered(lambda t: t.state == "dispatched"):
            forms = ticket.dispatch_ids
            if not all(form.state in ("done", "filed", "cancel") for form in forms) or not forms.filtered(
                lambda form: form.state != "cancel"
            ):
                continue
            if ticket.quotation_id.state in ("draft", "sent"):
                ticket._write_transition({"state": "quotation"})
            else:
                ticket.action_done()
                ticket.quotation_id.filtered(lambda order: order.state == "sale").sudo()._aftersales_close_work()

    # ------------------------------------------------------------------
    # Inspect, then quote (P3 §2: 初步检查和判断…列出维修内容和更换设备清单，报价…业主确认后维修)
    # ------------------------------------------------------------------

    @transition
    def action_propose_quotation(self):
        """The engineer of a diagnostic visit quotes what he found (the parts and hours he
        listed): the department head approves it, the customer accepts it on the spot (signing
        it on the technician's device) or later, and the repair continues on this visit or the next."""
        self.ensure_one()
        self._check_action("action_propose_quotation", _("propose a quotation on"))
        self._check_group(TECHNICIAN, _("propose a quotation"))
        ticket = self.ticket_id
        if not self.diagnostic:
            raise UserError(
                _("Field form %(form)s is not a diagnostic visit: its ticket was quoted before.", form=self.name)
            )
        if ticket.quotation_id.state in ("draft", "sent", "sale"):
            raise UserError(
                _(
                    "Ticket %(ticket)s already has quotation %(order)s: cancel it before quoting again.",
                    ticket=ticket.name,
                    order=ticket.quotation_id.name,
                )
            )
        ticket._write_transition(
            {
                "quotation_id": ticket._create_quotation().id,
                "quotation_approved_by_id": False,
                "quotation_approved_date": False,
            }
        )
        ticket.message_post(
            body=_(
                "%(form)s: quotation %(order)s proposed after inspection; it waits for the after-sales "
                "department head's approval.",
                form=self.name,
                order=ticket.quotation_id.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        ticket._escalate(
            "manager",
            _("Approve the quotation of %(ticket)s", ticket=ticket.name),
            _("Proposed on site by %(user)s after inspection.", user=self.env.user.name),
        )
        return True

    def action_customer_accepts_here(self):
        """Open the approved quotation on the customer's portal page, on the technician's device:
        the customer reads it and signs it there (业主确认), which confirms the order."""
        self.ensure_one()
        self._check_action("action_customer_accepts_here", _("show the quotation to the customer"))
        self._check_group(TECHNICIAN, _("show the quotation to the customer"))
        order = self.ticket_id.quotation_id.sudo()
        if order.state not in ("draft", "sent"):
            raise UserError(
                _("Ticket %(ticket)s has no quotation waiting for the customer.", ticket=self.ticket_id.name)
            )
        order._aftersales_check_quotation_approved()
        return {"type": "ir.actions.act_url", "target": "new", "url": order.get_portal_url()}

    # ------------------------------------------------------------------
    # Parts, work and money (one movement per part, the order bills the work done)
    # ------------------------------------------------------------------

    def _work_order(self):
        """The customer's accepted order that bills the work of this form, if any."""
        self.ensure_one()
        order = self.ticket_id.quotation_id
        return order if order.state == "sale" else self.env["sale.order"]

    def _check_parts_accepted(self):
        """On paid service, nothing is fitted before the customer accepted the quotation (业主确认后)."""
        for form in self.filtered(lambda form: form.ticket_id.is_billable and form.part_line_ids):
            if not form._work_order():
                raise UserError(
                    _(
                        "The customer has not accepted a quotation for %(ticket)s: parts cannot be fitted on "
                        "field form %(form)s. Propose the quotation and have it accepted first.",
                        ticket=form.ticket_id.name,
                        form=form.name,
                    )
                )

    def _parts_source_location(self):
        """Where the parts of this form come from: the van of its first technician who has one
        (his own stock location), else the company's warehouse."""
        self.ensure_one()
        van = self.technician_ids.aftersales_stock_location_id.filtered(
            lambda location: not location.company_id or location.company_id == self.company_id
        )
        if van:
            return van[0]
        return self._warehouse().lot_stock_id

    def _warehouse(self):
        self.ensure_one()
        return self.env["stock.warehouse"].sudo().search([("company_id", "=", self.company_id.id)], limit=1)

    def _deliver_parts(self):
        """Parts leave stock once the customer signed: paid ones on the accepted order's delivery
        (the order and its invoice follow what was used), free ones on the form's own delivery.
        Made as superuser (technicians need no stock rights) after checking what leaves."""
        for form in self.sudo():
            goods = form.part_line_ids.filtered(lambda part: not part.move_id and not part.sale_line_id)
            order = form._work_order()
            if not order:
                goods = goods.filtered(lambda part: part.product_id.is_storable)
            if not goods:
                continue
            goods._check_traceable()
            if order:
                goods._deliver_on_order(order)
            else:
                form.parts_picking_id = form._new_parts_picking()
                goods._deliver_on_picking(form.parts_picking_id)

    def _new_parts_picking(self):
        self.ensure_one()
        picking_type = self._warehouse().out_type_id
        source = self._parts_source_location()
        destination = self.partner_id.property_stock_customer or self.env.ref("stock.stock_location_customers")
        return self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": self.partner_id.id,
                "origin": self.name,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "company_id": self.company_id.id,
            }
        )

    def _record_work_on_orders(self):
        """The work of the visit reaches the order it is billed on: the accepted quotation, or for
        a diagnostic visit whose quotation is not accepted, an order of its call-out fee alone."""
        for form in self.sudo():
            order = form._work_order()
            if order:
                form.sale_order_id = order
                order._aftersales_record_work()
            elif form.diagnostic and form.company_id.aftersales_callout_product_id:
                form.sale_order_id = form._callout_order()

    def _callout_order(self):
        """The call-out fee of a diagnostic visit the customer did not follow with a repair."""
        self.ensure_one()
        product = self.company_id.aftersales_callout_product_id
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "origin": self.name,
                "user_id": self.ticket_id.user_id.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        # The customer signed the form that shows the fee: it is the acceptance of this order.
        order.with_context(aftersales_callout=True).action_confirm()
        order.order_line.qty_delivered = 1
        return order

    def _register_fee_payments(self):
        """The fee collected on site is a customer payment on the company's cash or bank journal."""
        for form in self.sudo().filtered(lambda form: form.fee_collected and not form.payment_id):
            journal = form.company_id._aftersales_fee_journal(form.payment_method)
            payment = form.env["account.payment"].create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": form.partner_id.commercial_partner_id.id,
                    "amount": form.fee_collected,
                    "currency_id": form.currency_id.id,
                    "journal_id": journal.id,
                    "company_id": form.company_id.id,
                    "date": fields.Date.context_today(form),
                    "memo": _("Fee collected on site, %(form)s", form=form.name),
                }
            )
            payment.action_post()
            form.payment_id = payment
            form._reconcile_fee_payment()

    def _reconcile_fee_payment(self):
        """Match the payment of the fee with the posted invoices of the order the work is billed on."""
        for form in self.sudo().filtered(lambda form: form.payment_id and not form.payment_id.is_reconciled):
            invoices = form.sale_order_id.invoice_ids.filtered(
                lambda move: move.state == "posted" and move.move_type == "out_invoice"
            )
            lines = (form.payment_id.move_id.line_ids | invoices.line_ids).filtered(
                lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
            )
            if invoices and len(lines.account_id) == 1:
                lines.reconcile()

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
