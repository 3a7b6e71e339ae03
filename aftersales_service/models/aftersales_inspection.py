from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .aftersales_guard_mixin import QUALITY, editable, transition

CONCLUSIONS = [
    ("our_fault", "Our Fault"),
    ("customer_fault", "Customer's Fault"),
    ("inconclusive", "Inconclusive"),
]


class AftersalesInspection(models.Model):
    """Products whose quality is disputed go to the inspection body named in the
    contract, whose conclusion is final (对质量有争议的产品由合同约定的检验机构检定并最终认定)."""

    _name = "aftersales.inspection"
    _description = "Quality Inspection"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.state.mixin"]
    # An inspection dropped on the concluded column records its conclusion (see aftersales.state.mixin).
    # What each status allows (see aftersales.state.mixin).
    _actions = {"action_conclude": ("open",)}
    _state_actions = {"concluded": "action_conclude"}
    _order = "id desc"
    _check_company_auto = True
    _deletable_states = ("open",)

    ticket_id = fields.Many2one("aftersales.ticket", required=True, index=True, ondelete="cascade", check_company=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    inspector_id = fields.Many2one(
        "res.partner",
        string="Inspection Body",
        tracking=True,
        compute="_compute_inspector_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    sent_date = fields.Date(string="Sent On", default=fields.Date.context_today, tracking=True)
    report_date = fields.Date(string="Report Received On", tracking=True)
    report_attachment_ids = fields.Many2many("ir.attachment", string="Inspection Report")
    conclusion = fields.Selection(CONCLUSIONS, tracking=True)
    conclusion_note = fields.Text(tracking=True)
    state = fields.Selection(
        [("open", "At the Inspection Body"), ("concluded", "Concluded")], default="open", required=True, tracking=True
    )

    @api.depends("ticket_id")
    def _compute_inspector_id(self):
        for inspection in self:
            if not inspection.inspector_id:
                inspection.inspector_id = inspection.ticket_id.sale_order_id.aftersales_inspection_partner_id

    def _editable_fields(self):
        return super()._editable_fields() + [
            editable("ticket_id inspector_id sent_date", ("open",)),
            # The inspection body's report and conclusion, recorded by quality; final once concluded.
            editable("report_date report_attachment_ids conclusion conclusion_note", ("open",), QUALITY),
        ]

    @api.model_create_multi
    def create(self, vals_list):
        inspections = super().create(vals_list)
        undisputed = inspections.ticket_id.filtered(lambda ticket: not ticket.is_disputed)
        if undisputed:
            raise UserError(
                _(
                    "Ticket %(ticket)s is not disputed: only a disputed product goes to the inspection body.",
                    ticket=undisputed[0].name,
                )
            )
        return inspections

    @api.constrains("sent_date", "report_date")
    def _check_dates(self):
        for inspection in self:
            if inspection.report_date and inspection.sent_date and inspection.report_date < inspection.sent_date:
                raise UserError(_("The inspection report cannot be dated before the product was sent."))

    @transition
    def action_conclude(self):
        """Record the inspection body's conclusion: it decides who pays."""
        self._check_group(QUALITY, _("record an inspection conclusion"))
        for inspection in self:
            if inspection.state not in self._actions["action_conclude"]:
                raise UserError(_("This inspection is already concluded."))
            if not inspection.inspector_id or not inspection.conclusion or not inspection.report_date:
                raise UserError(_("Record the inspection body, its report date and its conclusion first."))
            inspection._write_transition({"state": "concluded"})
            inspection.ticket_id._apply_inspection(inspection)
        return True
