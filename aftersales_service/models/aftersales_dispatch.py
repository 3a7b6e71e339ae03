from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

DISPATCH_STATES = [
    ("planned", "Planned"),
    ("on_site", "On Site"),
    ("done", "Done"),
    ("filed", "Filed"),
    ("cancel", "Cancelled"),
]


class AftersalesDispatch(models.Model):
    """The field form 外出调试、维修跟踪报告单 a technician takes to the customer."""

    _name = "aftersales.dispatch"
    _description = "Field Service Form"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "planned_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", readonly=True, copy=False, default="New")
    ticket_id = fields.Many2one(
        "aftersales.ticket", string="Ticket", required=True, index=True, ondelete="restrict", check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(related="ticket_id.partner_id", string="Customer", store=True)
    product_id = fields.Many2one(related="ticket_id.product_id")
    lot_id = fields.Many2one(related="ticket_id.lot_id")
    is_billable = fields.Boolean(related="ticket_id.is_billable")
    requested_arrival = fields.Datetime(related="ticket_id.requested_arrival")
    state = fields.Selection(DISPATCH_STATES, default="planned", required=True, tracking=True, copy=False, index=True)
    technician_ids = fields.Many2many(
        "res.users",
        string="Technicians",
        domain=[("share", "=", False)],
        default=lambda self: self.env.user,
        tracking=True,
    )
    planned_start = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    planned_end = fields.Datetime(tracking=True)
    arrival_date = fields.Datetime(string="Arrived On", readonly=True, copy=False)
    departure_date = fields.Datetime(string="Left On", copy=False)
    arrived_late = fields.Boolean(compute="_compute_arrived_late", store=True)
    work_summary = fields.Html(string="Work Done")
    findings = fields.Text(string="Findings for Quality")
    labour_hours = fields.Float()
    travel_cost = fields.Monetary(currency_field="currency_id")
    fee_collected = fields.Monetary(string="Fee Collected on Site", currency_field="currency_id")
    signature = fields.Image(max_width=1024, max_height=1024, copy=False, attachment=True)
    signed_by = fields.Char(copy=False)
    signed_on = fields.Datetime(copy=False)
    stamp = fields.Image(string="Company Stamp", max_width=512, max_height=512, copy=False, attachment=True)

    _sql_constraints = [
        ("labour_hours_positive", "CHECK(labour_hours >= 0)", "Labour hours cannot be negative."),
        ("travel_cost_positive", "CHECK(travel_cost >= 0)", "The travel cost cannot be negative."),
        ("fee_collected_positive", "CHECK(fee_collected >= 0)", "The fee collected cannot be negative."),
    ]

    @api.depends("arrival_date", "ticket_id.requested_arrival")
    def _compute_arrived_late(self):
        for form in self:
            requested = form.ticket_id.requested_arrival
            form.arrived_late = bool(form.arrival_date and requested and form.arrival_date > requested)

    def _compute_access_url(self):
        super()._compute_access_url()
        for form in self:
            form.access_url = f"/my/aftersales/forms/{form.id}"

    @api.constrains("planned_start", "planned_end")
    def _check_planned_window(self):
        for form in self:
            if form.planned_end and form.planned_end < form.planned_start:
                raise ValidationError(_("The planned end of %(form)s is before its start.", form=form.name))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("aftersales.dispatch") or "New"
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_start(self):
        self._check_state(("planned",), _("record the arrival of"))
        self.write({"state": "on_site", "arrival_date": fields.Datetime.now()})
        return True

    def action_done(self):
        self._check_state(("on_site",), _("complete"))
        unsigned = self.filtered(lambda form: not form.signature or not form.signed_by)
        if unsigned:
            raise UserError(_("Field form %(form)s must be signed by the customer before it is completed.",
                              form=unsigned[0].name))
        now = fields.Datetime.now()
        for form in self:
            form.write({"state": "done", "departure_date": form.departure_date or now, "signed_on": form.signed_on or now})
        self._finish_tickets()
        return True

    def action_file(self):
        self._check_state(("done",), _("file"))
        self.write({"state": "filed"})
        return True

    def _finish_tickets(self):
        """A ticket is done once all its field forms are."""
        for ticket in self.ticket_id.filtered(lambda t: t.state == "dispatched"):
            if all(form.state in ("done", "filed", "cancel") for form in ticket.dispatch_ids):
                ticket.action_done()

    def _check_state(self, allowed, action_label):
        state_labels = dict(self._fields["state"]._description_selection(self.env))
        for form in self:
            if form.state not in allowed:
                raise UserError(_("You cannot %(action)s field form %(form)s while it is %(state)s.",
                                  action=action_label, form=form.name, state=state_labels[form.state]))
