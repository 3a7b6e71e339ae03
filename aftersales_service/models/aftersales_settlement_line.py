from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .aftersales_guard_mixin import USER, editable
from .stock_lot import take_sale_line_from_serial


class AftersalesSettlementLine(models.Model):
    """The goods a return, exchange or compensation is about: a product, its serial or lot,
    the sale order line it was sold on and the quantity. Their value comes from the sale line."""

    _name = "aftersales.settlement.line"
    _inherit = ["aftersales.guard.mixin"]
    _guard_parent = "settlement_id"
    _deletable_states = ("draft",)
    _guard_links = ("sale_line_id",)
    _description = "Goods of a Return, Exchange or Compensation"
    _order = "settlement_id, sequence, id"
    _check_company_auto = True

    settlement_id = fields.Many2one("aftersales.settlement", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="settlement_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    sequence = fields.Integer(default=10)
    lot_id = fields.Many2one(
        "stock.lot", string="Serial / Lot", domain="[('product_id', '=?', product_id)]", check_company=True
    )
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sale Order Line",
        compute="_compute_sale_line_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",  # what a settlement was decided on is never lost
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        compute="_compute_product_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    uom_id = fields.Many2one(related="sale_line_id.product_uom", string="Unit")
    unit_value = fields.Monetary(
        string="Unit Price (taxes incl.)",
        currency_field="currency_id",
        compute="_compute_amount",
        store=True,
        help="The price the unit was sold at, discounts deducted and taxes included, in the company's currency.",
    )
    amount = fields.Monetary(
        string="Value",
        currency_field="currency_id",
        compute="_compute_amount",
        store=True,
    )
    returnable_qty = fields.Float(
        string="With the Customer",
        digits="Product Unit of Measure",
        compute="_compute_returnable_qty",
        help="Delivered on the sale line, net of what came back and of returns under way.",
    )

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity of goods to settle must be positive."),
    ]

    def _editable_fields(self):
        # The goods are listed while the settlement is a draft; then they are what is decided on.
        return super()._editable_fields() + [
            editable("settlement_id sequence lot_id sale_line_id product_id quantity", ("draft",), USER),
        ]

    @api.model
    def _guard_derived_links(self, values):
        """The sale line that delivered the serial is found by the server."""
        derived = super()._guard_derived_links(values)
        lot_id = values.get("lot_id")
        if isinstance(lot_id, int) and lot_id:
            line = self.env["stock.lot"].browse(lot_id)._aftersales_delivered_sale_lines().get(lot_id)
            if line:
                derived.add(("sale_line_id", line.id))
        return derived

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("lot_id")
    def _compute_sale_line_id(self):
        take_sale_line_from_serial(self)

    @api.depends("lot_id", "sale_line_id")
    def _compute_product_id(self):
        for line in self:
            # The sale line is read as superuser: the user may see the settlement, not the order.
            product = line.lot_id.product_id or line.sale_line_id.sudo().product_id
            if product:
                line.product_id = product

    @api.depends(
        "quantity",
        "sale_line_id.price_reduce_taxinc",
        "sale_line_id.currency_id",
        "settlement_id.company_id",
    )
    def _compute_amount(self):
        today = fields.Date.context_today(self)
        for line in self:
            sale_line = line.sale_line_id.sudo()
            company = line.settlement_id.company_id or self.env.company
            if not sale_line:
                line.unit_value = line.amount = 0.0
                continue
            line.unit_value = sale_line.currency_id._convert(
                sale_line.price_reduce_taxinc, company.currency_id, company, today
            )
            line.amount = sale_line.currency_id._convert(
                sale_line.price_reduce_taxinc * line.quantity, company.currency_id, company, today
            )

    @api.depends("sale_line_id")
    def _compute_returnable_qty(self):
        for line in self:
            sale_line = line.sale_line_id.sudo()
            line.returnable_qty = sale_line._aftersales_returnable_qty() if sale_line else 0.0

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("sale_line_id", "product_id", "settlement_id")
    def _check_sale_line(self):
        for line in self:
            sale_line = line.sale_line_id.sudo()
            if not sale_line:
                continue
            if sale_line.state != "sale":
                raise ValidationError(
                    _("Sale order %(order)s is not confirmed: nothing was sold on it.", order=sale_line.order_id.name)
                )
            if sale_line.order_id.partner_id.commercial_partner_id != line.settlement_id.commercial_partner_id:
                raise ValidationError(
                    _(
                        "Sale order %(order)s is not %(customer)s's: a settlement covers the goods the customer "
                        "bought.",
                        order=sale_line.order_id.name,
                        customer=line.settlement_id.partner_id.display_name,
                    )
                )
            if sale_line.product_id != line.product_id:
                raise ValidationError(
                    _(
                        "%(product)s was not sold on that line of %(order)s (it sold %(sold)s).",
                        product=line.product_id.display_name,
                        order=sale_line.order_id.name,
                        sold=sale_line.product_id.display_name,
                    )
                )

    @api.constrains("lot_id", "product_id", "sale_line_id", "quantity")
    def _check_lot(self):
        self._check_serial_of_product()
        for line in self:
            lot = line.lot_id
            if not lot:
                continue
            if line.product_id.tracking == "serial" and line.quantity != 1:
                raise ValidationError(_("One line per serial number: %(lot)s is a single unit.", lot=lot.name))
            if line.sale_line_id:
                delivered_on = lot._aftersales_delivered_sale_lines().get(lot.id)
                if delivered_on != line.sale_line_id:
                    raise ValidationError(
                        _(
                            "Serial %(lot)s was not delivered on that line of %(order)s.",
                            lot=lot.name,
                            order=line.sale_line_id.sudo().order_id.name,
                        )
                    )
