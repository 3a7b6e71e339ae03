from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .aftersales_guard_mixin import TECHNICIAN, editable


class AftersalesDispatchPart(models.Model):
    _name = "aftersales.dispatch.part"
    _inherit = ["aftersales.guard.mixin"]
    _guard_parent = "dispatch_id"
    _description = "Part Used on a Field Form"
    _order = "dispatch_id, sequence, id"
    _check_company_auto = True

    dispatch_id = fields.Many2one("aftersales.dispatch", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="dispatch_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", string="Part", required=True, check_company=True)
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    lot_id = fields.Many2one(
        "stock.lot", string="Serial / Lot", domain="[('product_id', '=', product_id)]", check_company=True
    )
    cost = fields.Float(
        string="Unit Cost",
        digits="Product Price",
        compute="_compute_cost",
        store=True,
        groups="aftersales_service.group_aftersales_user",
    )
    move_id = fields.Many2one("stock.move", string="Stock Move", readonly=True, copy=False)

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity of a part must be positive."),
    ]

    def _editable_fields(self):
        # Parts are recorded until the customer signs the form; then they leave stock.
        return super()._editable_fields() + [
            editable("dispatch_id product_id quantity lot_id sequence", ("planned", "on_site"), TECHNICIAN),
        ]

    @api.depends("product_id")
    def _compute_cost(self):
        for part in self:
            part.cost = part.product_id.standard_price

    @api.constrains("product_id", "lot_id")
    def _check_lot(self):
        for part in self:
            if part.lot_id and part.lot_id.product_id != part.product_id:
                raise ValidationError(
                    _(
                        "Serial %(lot)s is not a %(product)s.",
                        lot=part.lot_id.name,
                        product=part.product_id.display_name,
                    )
                )

    def _consume(self):
        """Take the parts of stored products out of the company's stock, to the customer."""
        for part in self.filtered(lambda p: p.product_id.is_storable and not p.move_id):
            part.move_id = part.sudo()._create_consumption_move()

    def _create_consumption_move(self):
        self.ensure_one()
        form = self.dispatch_id
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", form.company_id.id)], limit=1)
        destination = form.partner_id.property_stock_customer or self.env.ref("stock.stock_location_customers")
        move = self.env["stock.move"].create(
            {
                "name": _("%(form)s: %(part)s", form=form.name, part=self.product_id.display_name),
                "origin": form.name,
                "product_id": self.product_id.id,
                "product_uom": self.product_id.uom_id.id,
                "product_uom_qty": self.quantity,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": destination.id,
                "company_id": form.company_id.id,
                "partner_id": form.partner_id.id,
            }
        )
        move._action_confirm()
        move._action_assign()
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "product_id": self.product_id.id,
                "lot_id": self.lot_id.id,
                "quantity": self.quantity,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
                "company_id": form.company_id.id,
            }
        )
        move.picked = True
        move._action_done()
        return move
