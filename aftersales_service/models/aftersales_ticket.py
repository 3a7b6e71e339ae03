from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL, create_index, html2plaintext
from odoo.tools.mail import email_normalize, email_split_tuples

from .aftersales_guard_mixin import (
    MANAGER,
    QUALITY,
    TECHNICIAN,
    customer_field,
    editable,
    form_action,
    staff_field,
    transition,
)
from .stock_lot import take_sale_line_from_serial

REQUEST_TYPES = [
    ("repair", "Repair"),
    ("installation", "Installation"),
    ("commissioning", "Commissioning"),
    ("training", "Training"),
    ("maintenance", "Maintenance"),
    ("complaint", "Complaint"),
    ("return", "Return"),
    ("exchange", "Exchange"),
    ("consultation", "Consultation"),
]
CHANNELS = [
    ("phone", "Phone"),
    ("letter", "Letter"),
    ("email", "Email"),
    ("portal", "Portal"),
    ("visit", "Visit"),
    ("other", "Other"),
]
STATES = [
    ("draft", "Registered"),
    ("review", "Quality Review"),
    ("quotation", "Awaiting Quotation"),
    ("ready", "Ready to Dispatch"),
    ("dispatched", "Dispatched"),
    ("done", "Done"),
    ("closed", "Closed"),
    ("cancel", "Cancelled"),
]
# What the customer hears from the ticket: event -> (switch on the company, mail template).
CUSTOMER_NOTICES = {
    "registered": ("aftersales_notify_registered", "aftersales_service.mail_template_ticket_registered"),
    "quotation": ("aftersales_notify_quotation", "aftersales_service.mail_template_ticket_quotation"),
    "dispatched": ("aftersales_notify_dispatched", "aftersales_service.mail_template_ticket_dispatched"),
    "done": ("aftersales_notify_done", "aftersales_service.mail_template_ticket_done"),
    "closed": ("aftersales_notify_closed", "aftersales_service.mail_template_ticket_closed"),
}
WARRANTY_STATES = [("in_warranty", "In Warranty"), ("expired", "Expired"), ("none", "No Warranty")]
OPEN_STATES = ("draft", "review", "quotation", "ready", "dispatched")
# Before quality decides: what the request is about, which decides warranty and billing.
BEFORE_DECISION = ("draft", "review")
# Installation-like work is free only when the sale contract includes it.
CONTRACT_SERVICE_TYPES = ("installation", "commissioning", "training")
# Work that is paid outside the warranty.
WARRANTY_SERVICE_TYPES = ("repair", "maintenance")
# Free in warranty is the repair of a quality defect (设计、制造、安装、调试、材料等方面的质量问题,
# P3 §1; 制造、装配及材料等质量问题, P6 二.1); misuse and operating errors are the customer's.
FAULT_CAUSES = [("quality", "Quality Defect"), ("misuse", "Misuse or Operating Error")]


class AftersalesTicket(models.Model):
    """A service request (售后服务单) from registration to closing: who asks, about which unit,
    quality's review, dispatch and the states between. Each other concern of the ticket has its
    own file: its warranty and who pays (aftersales_ticket_warranty), its paid-service quotation
    (aftersales_ticket_quotation), what quality follows (aftersales_ticket_quality), the customer's
    evaluation (aftersales_ticket_evaluation) and the overdue-answer job (aftersales_ticket_response)."""

    _name = "aftersales.ticket"
    _description = "After-Sales Ticket"
    _inherit = [
        "portal.mixin",
        "aftersales.response.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "aftersales.state.mixin",
    ]
    _response_start_field = "request_date"
    _list_action = "aftersales_service.aftersales_ticket_action"
    _order = "priority desc, request_date desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "title", "partner_id.name", "lot_id.name"]
    _guard_links = ("sale_order_id", "sale_line_id")
    _history_states = ("closed", "cancel")
    # A ticket dropped on a column of the kanban runs that column's action.
    # What each status allows (see aftersales.state.mixin): the actions check it, the buttons
    # read it, a card dropped on a kanban column runs the action that leads there.
    _actions = {
        "action_submit_review": ("draft",),
        "action_approve": ("review",),
        "action_approve_quotation": ("quotation", "dispatched"),
        "action_dispatch": ("ready",),
        "action_done": ("ready", "dispatched"),
        "action_close": ("done",),
        "action_waive_evaluation": ("done",),
        "action_dispute": OPEN_STATES,
        "action_propose_solution": ("done", "closed"),
        "action_cancel": OPEN_STATES,
        "action_reset_draft": ("cancel",),
    }
    _state_actions = {
        "review": "action_submit_review",
        "quotation": "action_approve",
        "ready": "action_approve",
        "dispatched": "action_dispatch",
        "done": "action_done",
        "closed": "action_close",
        "cancel": "action_cancel",
        "draft": "action_reset_draft",
    }

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    name = fields.Char(string="Reference", readonly=True, copy=False, default="New", index="trigram")
    title = fields.Char(string="Subject", tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = staff_field("Responsible")
    team_id = fields.Many2one(
        "aftersales.team",
        tracking=True,
        index=True,
        check_company=True,
        help="A request given to a team goes to the member the team's rule picks, unless its creator "
        "names someone else responsible.",
    )
    tag_ids = fields.Many2many("aftersales.tag", "aftersales_ticket_tag_rel", "ticket_id", "tag_id", string="Tags")
    state = fields.Selection(
        STATES, default="draft", required=True, tracking=True, copy=False, index=True, group_expand="_expand_states"
    )
    priority = fields.Selection([("0", "Normal"), ("1", "Important"), ("2", "Urgent"), ("3", "Critical")], default="0")
    request_type = fields.Selection(REQUEST_TYPES, required=True, default="repair", tracking=True)
    channel = fields.Selection(CHANNELS, required=True, default="phone")
    request_date = fields.Datetime(
        string="Received On", required=True, default=fields.Datetime.now, copy=False, tracking=True
    )
    description = fields.Html()
    fault_category_id = fields.Many2one("aftersales.fault.category", tracking=True)

    # Customer and product, as registered (来电来函登记)
    partner_id = customer_field(compute="_compute_partner_id", store=True, readonly=False, precompute=True)
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True, precompute=True
    )
    contact_name = fields.Char(compute="_compute_contact", store=True, readonly=False, precompute=True)
    phone = fields.Char(compute="_compute_contact", store=True, readonly=False, precompute=True)
    email = fields.Char(compute="_compute_contact", store=True, readonly=False, precompute=True)
    address = fields.Text(compute="_compute_contact", store=True, readonly=False, precompute=True)
    sender_unverified = fields.Boolean(
        string="Unverified Sender",
        compute="_compute_sender_unverified",
        store=True,
        precompute=True,
        help="Registered from an email address that matches no known contact: link the right customer.",
    )
    product_id = fields.Many2one(
        "product.product",
        tracking=True,
        index=True,
        compute="_compute_product_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
    )
    product_name = fields.Char(
        compute="_compute_product_name",
        store=True,
        precompute=True,
        help="The product's name as the list shows it, kept with the ticket so that a page of "
        "tickets does not read products, templates and variants.",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        tracking=True,
        index=True,
        domain="[('product_id', '=?', product_id)]",
        check_company=True,
    )
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sale Order Line",
        compute="_compute_sale_line_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        domain="[('order_id.partner_id', 'child_of', commercial_partner_id), ('state', '=', 'sale')]",
        check_company=True,
        ondelete="restrict",  # the sale a ticket was raised against is never lost
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        compute="_compute_sale_order_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
    )
    purchase_date = fields.Date(compute="_compute_purchase_date", store=True, readonly=False, precompute=True)
    # 商品等级 (售后管理制度 P5 三.4(7)): recorded with a return, exchange or complaint.
    product_grade = fields.Char()
    # Found from the sale line and serial: the delivery starts the warranty, so nobody picks it.
    picking_id = fields.Many2one("stock.picking", string="Delivery", compute="_compute_picking_id", store=True)

    # Quality review (质量部评审)
    reviewer_id = fields.Many2one("res.users", string="Reviewed By", readonly=True, copy=False, tracking=True)
    review_date = fields.Datetime(string="Reviewed On", readonly=True, copy=False)
    review_note = fields.Html(
        string="Decision and Solution Plan", copy=False, groups="aftersales_service.group_aftersales_user"
    )

    # Field forms
    technician_ids = fields.Many2many(
        "res.users",
        "aftersales_ticket_technician_rel",
        "ticket_id",
        "user_id",
        string="Technicians to Send",
        domain=[("share", "=", False)],
        help="Who goes on site: the office chooses them when dispatching; the field form is theirs.",
    )
    dispatch_ids = fields.One2many("aftersales.dispatch", "ticket_id", string="Field Forms")
    dispatch_count = fields.Integer(compute="_compute_dispatch_count")

    # The 24-hour answer (24小时内答复)
    requested_arrival = fields.Datetime(tracking=True)
    # The acknowledgement of a request registered in a batch, still to be posted by its job (see create).
    registration_notice_pending = fields.Boolean(readonly=True, copy=False)

    # Complaints, returns, exchanges (投诉、退货、换货): each decided on its own document.
    settlement_ids = fields.One2many("aftersales.settlement", "ticket_id", string="Returns and Compensations")
    settlement_count = fields.Integer(compute="_compute_settlement_count")

    done_date = fields.Datetime(string="Finished On", readonly=True, copy=False)
    close_date = fields.Datetime(string="Closed On", readonly=True, copy=False)

    def init(self):
        # The list and kanban read tickets in this order: let an index serve the first page.
        create_index(
            self.env.cr,
            "aftersales_ticket_list_order_index",
            self._table,
            ["priority DESC", "request_date DESC", "id DESC"],
        )
        # The response job's search: only unanswered, unflagged tickets, by deadline. Its
        # predicate is the job's domain as the ORM writes it (so that PostgreSQL may use it);
        # with a million open tickets the job then reads the newly overdue ones only.
        create_index(
            self.env.cr,
            "aftersales_ticket_response_due_index",
            self._table,
            ["response_deadline", "id"],
            where="first_response_date IS NULL AND (response_breached IS NULL OR response_breached = FALSE)",
        )
        # The acknowledgement job reads the few tickets waiting for theirs, never the table.
        create_index(
            self.env.cr,
            "aftersales_ticket_registration_notice_index",
            self._table,
            ["id"],
            where="registration_notice_pending",
        )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("sale_order_id")
    def _compute_partner_id(self):
        for ticket in self:
            if not ticket.partner_id and ticket.sale_order_id:
                ticket.partner_id = ticket.sale_order_id.partner_id

    @api.depends("partner_id")
    def _compute_contact(self):
        addresses = {}  # one rendering per customer: a batch often holds many tickets of one
        for ticket in self:
            partner = ticket.partner_id
            if partner not in addresses:
                addresses[partner] = partner._display_address(without_company=True).strip() if partner else False
            ticket.contact_name = partner.name or False
            ticket.phone = partner.phone or partner.mobile or False
            ticket.email = partner.email or False
            ticket.address = addresses[partner]

    @api.depends("partner_id")
    def _compute_sender_unverified(self):
        placeholder = self._unverified_sender()
        for ticket in self:
            ticket.sender_unverified = bool(placeholder) and ticket.partner_id == placeholder

    @api.depends("lot_id", "sale_line_id")
    def _compute_product_id(self):
        for ticket in self:
            product = ticket.lot_id.product_id or ticket.sale_line_id.product_id
            if product:
                ticket.product_id = product

    @api.depends("product_id.name", "product_id.default_code", "product_id.product_template_attribute_value_ids")
    def _compute_product_name(self):
        for ticket in self:
            ticket.product_name = ticket.product_id.display_name

    @api.depends("lot_id")
    def _compute_sale_line_id(self):
        take_sale_line_from_serial(self)

    @api.depends("sale_line_id")
    def _compute_sale_order_id(self):
        for ticket in self:
            if ticket.sale_line_id:
                ticket.sale_order_id = ticket.sale_line_id.order_id

    @api.depends("sale_order_id")
    def _compute_purchase_date(self):
        for ticket in self:
            date_order = ticket.sale_order_id.date_order
            ticket.purchase_date = date_order.date() if date_order else ticket.purchase_date

    @api.depends("sale_line_id", "lot_id")
    def _compute_picking_id(self):
        # Stock moves are read as superuser: after-sales staff need no stock rights.
        for ticket in self:
            deliveries = ticket.sale_line_id.sudo().move_ids._aftersales_delivered()
            lot = ticket.lot_id
            if lot:
                deliveries = deliveries.filtered(lambda move, lot=lot: lot in move.move_line_ids.lot_id)
            ticket.picking_id = deliveries[-1:].picking_id.with_env(self.env)

    @api.depends("settlement_ids")
    def _compute_settlement_count(self):
        for ticket in self:
            ticket.settlement_count = len(ticket.settlement_ids)

    @api.depends("dispatch_ids")
    def _compute_dispatch_count(self):
        for ticket in self:
            ticket.dispatch_count = len(ticket.dispatch_ids)

    def _expand_states(self, states, domain):
        """The kanban shows the whole flow in order; cancelled tickets only when there are some."""
        return [key for key, _label in STATES if key != "cancel" or key in states]

    # A compute returns nothing, though pylint-odoo wants super()'s result returned.
    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for ticket in self:
            ticket.access_url = f"/my/aftersales/{ticket.id}"

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        for ticket in self:
            if ticket.lot_id and ticket.product_id and ticket.lot_id.product_id != ticket.product_id:
                raise ValidationError(
                    _(
                        "Serial number %(lot)s belongs to %(product)s, not to the ticket's product.",
                        lot=ticket.lot_id.name,
                        product=ticket.lot_id.product_id.display_name,
                    )
                )

    @api.constrains("sale_line_id", "sale_order_id")
    def _check_sale_line_order(self):
        for ticket in self:
            if ticket.sale_line_id and ticket.sale_order_id and ticket.sale_line_id.order_id != ticket.sale_order_id:
                raise ValidationError(_("The sale order line must belong to the ticket's sale order."))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # The form proposes the creator as responsible (the field's default): no choice of theirs.
        proposed = [bool(vals.get("team_id")) and vals.get("user_id") == self.env.uid for vals in vals_list]
        tickets = super().create(vals_list)
        if self._importing_history():
            return tickets  # what happened in the previous system: nobody is told again
        self.browse(
            [ticket.id for ticket, default in zip(tickets, proposed, strict=True) if default]
        )._give_to_team_pick()
        tickets.filtered("is_repeat")._notify_quality(_("Repeat repair"), tickets._repeat_note)
        tickets.filtered("possible_repeat_of_id")._notify_quality(
            _("Possible repeat repair"), tickets._possible_repeat_note
        )
        tickets.filtered("is_major")._notify_quality(_("Major quality issue"), tickets._major_note)
        if len(tickets) > 1:
            # A batch (an integration, an import of requests) is acknowledged by the job, woken
            # now: rendering an email per ticket would cost several times the registration itself.
            if any(tickets.mapped("registration_notice_pending")):
                job = self.env["ir.model.data"]._xmlid_to_res_id(
                    "aftersales_service.ir_cron_aftersales_registration_notice"
                )
                self.env["ir.cron"].browse(job)._trigger()
        else:
            tickets._notify_customer("registered")
        return tickets

    def write(self, vals):
        was_repeat = self.filtered("is_repeat")
        was_possible = {ticket: ticket.possible_repeat_of_id for ticket in self}
        was_major = self.filtered("is_major")
        result = super().write(vals)
        if "repeat_decision" not in vals:  # confirmed by quality itself: nobody to tell
            (self.filtered("is_repeat") - was_repeat)._notify_quality(_("Repeat repair"), self._repeat_note)
        self.filtered(
            lambda ticket: (
                ticket.possible_repeat_of_id
                and ticket.possible_repeat_of_id != was_possible[ticket]
                and not ticket.repeat_decision
            )
        )._notify_quality(_("Possible repeat repair"), self._possible_repeat_note)
        if vals.get("is_major"):
            (self - was_major)._notify_quality(_("Major quality issue"), self._major_note)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        if any(ticket.state not in ("draft", "cancel") for ticket in self):
            raise UserError(_("Only registered or cancelled tickets can be deleted; cancel it instead."))

    def _editable_fields(self):
        return super()._editable_fields() + [
            # Registration (来电来函登记): what the request is about, until quality decides.
            editable(
                "company_id partner_id product_id lot_id sale_line_id sale_order_id purchase_date product_grade "
                "request_type channel request_date part_ids planned_labour_hours travel_required inspect_first",
                BEFORE_DECISION,
            ),
            # A diagnostic visit lists the parts and hours it found: they become the quotation.
            editable("part_ids planned_labour_hours", ("dispatched",), TECHNICIAN),
            # What may still be told or corrected while the request is open.
            editable(
                "title description priority contact_name phone email address fault_category_id user_id "
                "requested_arrival is_major dispatch_ids inspection_ids technician_ids team_id tag_ids",
                OPEN_STATES,
            ),
            # The quality department's decision and solution plan (质量部评审), and whether the
            # fault is a quality defect.
            editable("review_note fault_cause", BEFORE_DECISION, QUALITY),
            editable("major_outcome", (*OPEN_STATES, "done"), QUALITY),
            # Who pays, against the warranty engine: managers only, with a tracked reason.
            editable("billing_override billing_override_reason", OPEN_STATES, MANAGER),
            # Why the customer could not evaluate the service: the manager who waives it says why.
            editable("evaluation_waiver_reason", ("done",), MANAGER),
        ]

    @api.model
    def _guard_derived_links(self, values):
        """The sale that delivered the serial, and the order of a sale line: found by the server."""
        derived = super()._guard_derived_links(values)
        lot_id = values.get("lot_id")
        line = self.env["stock.lot"].browse(lot_id)._aftersales_delivered_sale_lines().get(lot_id) if lot_id else None
        if line:
            derived |= {("sale_line_id", line.id), ("sale_order_id", line.order_id.id)}
        if isinstance(values.get("sale_line_id"), int):
            order = self.env["sale.order.line"].sudo().browse(values["sale_line_id"]).order_id
            derived.add(("sale_order_id", order.id))
        return derived

    @api.model
    def _prepare_new_values(self, vals_list):
        vals_list = super()._prepare_new_values(vals_list)
        self.env["ir.sequence"]._assign_names(vals_list, "aftersales.ticket")
        if len(vals_list) > 1 and not self._importing_history():
            for vals in vals_list:
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["registration_notice_pending"] = company.aftersales_notify_registered
        self._assign_team_members(vals_list)
        return vals_list

    @api.model
    def _assign_team_members(self, vals_list):
        """A request of a team that names nobody goes to a member by the team's rule (round
        robin or balanced load); the team remembers who had the last one."""
        waiting = defaultdict(list)
        for vals in vals_list:
            if vals.get("team_id") and not vals.get("user_id"):
                waiting[vals["team_id"]].append(vals)
        for team_id, team_vals in waiting.items():
            team = self.env["aftersales.team"].sudo().browse(team_id)
            for vals, user in zip(team_vals, team._take_turns(len(team_vals)), strict=False):
                vals["user_id"] = user.id

    def _give_to_team_pick(self):
        """Requests created with the responsible the form proposed (their creator) go to the
        member their team's rule picks. Given once created, when the creator follows them: a
        creator who sees only their own requests can file one that a colleague takes."""
        for team, tickets in self.grouped("team_id").items():
            for ticket, user in zip(tickets, team.sudo()._take_turns(len(tickets)), strict=False):
                if ticket.user_id != user:
                    # The team's rule decides, not a value the creator sent.
                    ticket.sudo().user_id = user

    # ------------------------------------------------------------------
    # Mail gateway and first response
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An email to the after-sales alias registers a request from its sender."""
        values = dict(custom_values or {})
        email_from = msg_dict.get("email_from") or ""
        partner = self.env["res.partner"].browse(msg_dict.get("author_id")).exists()
        if not partner and email_from:
            partner = self._mail_find_partner_from_emails([email_from])[0]
        if not partner and email_normalize(email_from, strict=False):
            # No contact has this address. A partner made from the From header could bear any
            # customer's name: the request waits on the placeholder until staff link the customer
            # (mail.thread keeps the raw From in the ticket's email, its _primary_email).
            name, address = (email_split_tuples(email_from) or [("", email_from)])[0]
            partner = self._unverified_sender()
            values["contact_name"] = name or address
        if not partner:
            raise UserError(_("An email without a sender address cannot be registered as an after-sales request."))
        values.update(
            {
                # The sender chooses the subject, never the reference (mail.thread would use it as name).
                "name": "New",
                "title": msg_dict.get("subject") or _("Request by email"),
                "description": msg_dict.get("body"),
                "channel": "email",
                "partner_id": partner.id,
            }
        )
        # Nobody is assigned by mail: the gateway runs as the superuser, not as a colleague.
        values.setdefault("user_id", False)
        values.setdefault("request_type", "repair")
        return super().message_new(msg_dict, custom_values=values)

    @api.model
    def _unverified_sender(self):
        """The placeholder customer of requests mailed from unknown addresses (archived)."""
        # The id is cached: no query per ticket, as env.ref's existence check would cost.
        partner_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "aftersales_service.partner_unverified_sender", raise_if_not_found=False
        )
        return self.env["res.partner"].browse(partner_id)

    def _notify_customer(self, event):
        """Tell the customer what happened to the request (``event``, a key of CUSTOMER_NOTICES),
        in the customer's language, unless the company switched that message off. Posted as an
        automated message: the 24-hour answer (24小时内答复) still has to come from a person."""
        switch = CUSTOMER_NOTICES[event][0]
        by_template = defaultdict(lambda: self.env["aftersales.ticket"].sudo())
        # The office's action decides the message, not the rights of whoever clicked it.
        for ticket in self.sudo():
            if not (ticket.company_id[switch] and ticket.partner_id.active and ticket.partner_id.email):
                continue
            template = ticket._customer_notice_template(event)
            if template:
                by_template[template] |= ticket
        for template, tickets in by_template.items():
            tickets._post_customer_notice(template)

    @api.model
    def _cron_send_registration_notices(self, batch_size=500):
        """Acknowledge the requests registered in batches (see ``create``), each once: the
        customer hears the reference (售后服务单号) minutes later, through the mail queue."""

        def acknowledge(tickets):
            self.env.execute_query(
                SQL(
                    "UPDATE aftersales_ticket SET registration_notice_pending = FALSE WHERE id IN %s",
                    tuple(tickets.ids),
                )
            )
            tickets.invalidate_recordset(["registration_notice_pending"])
            tickets._notify_customer("registered")

        return self._cron_in_batches([("registration_notice_pending", "=", True)], batch_size, acknowledge)

    def _post_customer_notice(self, template):
        """Post ``template`` on each of these tickets with one composer: a batch of intake
        renders the template once for all rather than a composer per ticket. The mails of a
        batch go to the mail queue, woken at once, instead of being sent one at a time before
        the request answers; a single ticket's mail is still sent right away."""
        queued = len(self) > 1
        composer = (
            self.env["mail.compose.message"]
            .with_context(
                default_composition_mode="comment",
                default_model=self._name,
                default_res_ids=self.ids,
                default_template_id=template.id,
                mail_notify_force_send=not queued,
            )
            .create(
                {
                    "message_type": "auto_comment",
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
                }
            )
        )
        composer._action_send_mail()
        if queued:
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()

    def _customer_notice_template(self, event):
        """The mail template of ``event`` for this ticket (survey invitations extend 'done')."""
        self.ensure_one()
        return self.env.ref(CUSTOMER_NOTICES[event][1], raise_if_not_found=False)

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "state" in init_values:
            return self.env.ref("aftersales_service.mt_ticket_state")
        return super()._track_subtype(init_values)

    # ------------------------------------------------------------------
    # Actions (public: the same checks from a button and from execute_kw)
    # ------------------------------------------------------------------

    @transition
    def action_submit_review(self):
        self._check_action("action_submit_review", _("submit for quality review"))
        unverified = self.filtered("sender_unverified")
        if unverified:
            raise UserError(
                _(
                    "Link the customer of %(ticket)s before submitting it: its email sender is unverified.",
                    ticket=unverified[0].name,
                )
            )
        self._write_transition({"state": "review"})
        return True

    @transition
    def action_approve(self):
        self._check_action("action_approve", _("approve"))
        self._check_group("aftersales_service.group_aftersales_quality", _("approve a request"))
        for ticket in self:
            if not ticket._html_has_text(ticket.review_note):
                raise UserError(
                    _(
                        "Record the quality decision and solution plan of %(ticket)s before approving it.",
                        ticket=ticket.name,
                    )
                )
            ticket._approve_one()
        return True

    @transition
    def action_dispatch(self):
        if self.filtered(lambda ticket: ticket.state == "quotation"):
            raise UserError(
                _(
                    "The customer has not accepted the paid-service quotation yet: confirm %(orders)s first.",
                    orders=", ".join(self.quotation_id.mapped("name")),
                )
            )
        self._check_action("action_dispatch", _("dispatch"))
        self._check_no_pending_inspection()
        self._check_group("aftersales_service.group_aftersales_user", _("dispatch a technician"))
        unstaffed = self.filtered(lambda ticket: not ticket.technician_ids)
        if unstaffed:
            raise UserError(
                _("Choose the technicians to send for %(ticket)s before dispatching it.", ticket=unstaffed[0].name)
            )
        # The office dispatches (派遣); the form it opens is the technicians' to fill, so it is
        # created for them: every value comes from the ticket, none is typed here.
        dispatches = (
            self.env["aftersales.dispatch"]
            .sudo()
            .create([ticket._prepare_dispatch_values() for ticket in self])
            .with_env(self.env)
        )
        self._write_transition({"state": "dispatched"})
        self._notify_customer("dispatched")
        if len(dispatches) == 1:
            return form_action(dispatches)
        return True

    @transition
    def action_done(self):
        self._check_action("action_done", _("mark as done"))
        unfinished = self.dispatch_ids.filtered(lambda form: form.state not in ("done", "filed", "cancel"))
        if unfinished:
            raise UserError(
                _("Field forms %(forms)s are not completed and signed yet.", forms=", ".join(unfinished.mapped("name")))
            )
        self._write_transition({"state": "done", "done_date": fields.Datetime.now()})
        self._notify_customer("done")
        return True

    @transition
    def action_close(self):
        self._check_action("action_close", _("close"))
        # A return, exchange or compensation still under way keeps its ticket open.
        unsettled = self.sudo().settlement_ids.filtered(lambda item: item.state in ("draft", "to_approve", "approved"))
        if unsettled:
            raise UserError(
                _(
                    "Ticket %(ticket)s cannot be closed while %(settlement)s is not carried out or cancelled.",
                    ticket=unsettled[0].ticket_id.name,
                    settlement=unsettled[0].name,
                )
            )
        self._check_evaluated()
        self._write_transition({"state": "closed", "close_date": fields.Datetime.now()})
        self._notify_customer("closed")
        return True

    @transition
    def action_cancel(self):
        self._check_action("action_cancel", _("cancel"))
        self.quotation_id.filtered(lambda order: order.state in ("draft", "sent"))._action_cancel()
        open_forms = self.dispatch_ids.filtered(lambda form: form.state in ("planned", "on_site"))
        open_forms._write_transition({"state": "cancel"})
        self._write_transition({"state": "cancel"})
        return True

    def action_reset_draft(self):
        self._check_action("action_reset_draft", _("reset to registered"))
        self._write_transition(
            {
                "state": "draft",
                "reviewer_id": False,
                "review_date": False,
                "quotation_id": False,
                "quotation_approved_by_id": False,
                "quotation_approved_date": False,
            }
        )
        return True

    def action_view_dispatches(self):
        return self._action_view_children("aftersales_service.aftersales_dispatch_action", self.dispatch_ids)

    def _action_view_children(self, xmlid, children):
        """The list of this ticket's ``children`` (window action ``xmlid``); the form when there is one."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        if len(children) == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=children.id)
        return action

    @transition
    def action_create_settlement(self):
        """Raise a return, exchange or compensation of this ticket, for the general manager
        (or his office meeting) to decide (根据权限范围报总经理办公会或总经理批准)."""
        self.ensure_one()
        settlement = self.env["aftersales.settlement"]._create_from_ticket(self)
        return form_action(settlement)

    def action_view_settlements(self):
        return self._action_view_children("aftersales_service.aftersales_settlement_action", self.settlement_ids)

    # ------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------

    @staticmethod
    def _html_has_text(html):
        return bool(html and html2plaintext(html).strip())

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _approve_one(self):
        self.ensure_one()
        values = {"reviewer_id": self.env.user.id, "review_date": fields.Datetime.now()}
        if self.request_type == "repair" and not self.fault_cause:
            # Not decided otherwise in the review: the fault category's usual cause, else a
            # quality defect, which a fault within the warranty is presumed to be (P3 §1).
            self._write_transition({"fault_cause": self.fault_category_id.fault_cause or "quality"})
        if self.is_billable:
            self._look_up_warranty_by_serial()
        if self.is_billable and not self.inspect_first:
            self._check_no_pending_inspection()
            self.write(values)
            self._write_transition({"quotation_id": self._create_quotation().id, "state": "quotation"})
        else:
            values["state"] = "ready"
            self._write_transition(values)

    def _prepare_dispatch_values(self):
        self.ensure_one()
        return {
            "ticket_id": self.id,
            "company_id": self.company_id.id,
            "technician_ids": [Command.set(self.technician_ids.ids)],
            "planned_start": self.requested_arrival or fields.Datetime.now(),
            # Paid service not quoted yet: this visit inspects and quotes first.
            "diagnostic": self.is_billable and self.quotation_id.state != "sale",
        }
