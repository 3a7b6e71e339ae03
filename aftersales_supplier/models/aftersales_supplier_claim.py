from odoo import _, api, fields, models
from odoo.exceptions import UserError

CLAIM_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent to Vendor"),
    ("acknowledged", "Acknowledged"),
    ("in_progress", "In Progress"),
    ("resolved", "Resolved"),
    ("rejected", "Rejected"),
]


class AftersalesSupplierClaim(models.Model):
    """A claim against the vendor of a failed part (外协/配套件质量问题), owned by purchasing."""

    _name = "aftersales.supplier.claim"
    _description = "Supplier Claim"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", readonly=True, copy=False, default="New")
    ticket_id = fields.Many2one("aftersales.ticket", string="Service Ticket", index=True, check_company=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Vendor", required=True, tracking=True, check_company=True)
    purchase_order_id = fields.Many2one("purchase.order", string="Purchase Order", check_company=True)
    product_id = fields.Many2one("product.product", string="Part", required=True, check_company=True)
    lot_id = fields.Many2one("stock.lot", string="Serial Number", check_company=True)
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    claim_type = fields.Selection(
        [("repair", "Repair"), ("replace", "Replace"), ("refund", "Refund")], required=True, default="replace", tracking=True
    )
    expected_amount = fields.Monetary(currency_field="currency_id")
    recovered_amount = fields.Monetary(currency_field="currency_id", tracking=True)
    deadline = fields.Date(tracking=True)
    user_id = fields.Many2one("res.users", string="Purchaser", default=lambda self: self.env.user, tracking=True)
    state = fields.Selection(CLAIM_STATES, default="draft", required=True, tracking=True, copy=False, index=True)
    description = fields.Html()

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The claimed quantity must be positive."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("aftersales.supplier.claim") or "New"
        return super().create(vals_list)

    def _check_state(self, allowed, action_label):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for claim in self:
            if claim.state not in allowed:
                raise UserError(_("You cannot %(action)s claim %(claim)s while it is %(state)s.",
                                  action=action_label, claim=claim.name, state=labels[claim.state]))

    def action_send(self):
        self._check_state(("draft",), _("send"))
        self.write({"state": "sent"})
        return True

    def action_acknowledge(self):
        self._check_state(("sent",), _("acknowledge"))
        self.write({"state": "acknowledged"})
        return True

    def action_start(self):
        self._check_state(("acknowledged",), _("start"))
        self.write({"state": "in_progress"})
        return True

    def action_resolve(self):
        self._check_state(("in_progress",), _("resolve"))
        self.write({"state": "resolved"})
        return True

    def action_reject(self):
        self._check_state(("sent", "acknowledged", "in_progress"), _("reject"))
        self.write({"state": "rejected"})
        return True
