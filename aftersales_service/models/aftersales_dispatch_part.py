from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from .aftersales_guard_mixin import TECHNICIAN, editable


class AftersalesDispatchPart(models.Model):
    """A part the technician used on site (维修更换的设备清单).

    It leaves stock once, when the customer has signed the form: on a paid repair through the
    delivery of the customer's accepted order (which then bills what was really used), on free
    service through a delivery of the form's own."""

    _name = "aftersales.dispatch.part"
    _inherit = ["aftersales.guard.mixin"]
    _guard_parent = "dispatch_id"
    _deletable_states = ("planned", "on_site")
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
    sale_line_id = fields.Many2one("sale.order.line", string="Billed On", readonly=True, copy=False)

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

    @api.constrains("product_id")
    def _check_spare_part(self):
        for part in self:
            if part.product_id.is_storable and not part.product_id.aftersales_spare_part:
                raise ValidationError(
                    _(
                        "%(product)s is not a spare part: only products marked as spare parts leave stock "
                        "on a field form.",
                        product=part.product_id.display_name,
                    )
                )

    @api.constrains("product_id", "lot_id", "quantity")
    def _check_lot(self):
        self._check_serial_of_product()
        for part in self:
            if part.product_id.tracking != "serial" or not part.lot_id:
                continue
            if part.quantity != 1:
                raise ValidationError(
                    _("Serial %(lot)s is one unit: record each serial on its own line.", lot=part.lot_id.name)
                )
            if (part.dispatch_id.part_line_ids - part).filtered(lambda other, lot=part.lot_id: other.lot_id == lot):
                raise ValidationError(
                    _(
                        "Serial %(lot)s is recorded twice on field form %(form)s.",
                        lot=part.lot_id.name,
                        form=part.dispatch_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # Leaving stock
    # ------------------------------------------------------------------

    def _check_traceable(self):
        """A tracked part leaves stock with the serial or lot the technician fitted."""
        untraced = self.filtered(lambda part: part.product_id.tracking != "none" and not part.lot_id)
        if untraced:
            raise UserError(
                _(
                    "Record the serial or lot of %(product)s fitted on field form %(form)s.",
                    product=untraced[0].product_id.display_name,
                    form=untraced[0].dispatch_id.name,
                )
            )

    def _deliver_on_order(self, order):
        """Deliver these parts through ``order``, the customer's accepted order: each on the
        order's own delivery of that product; a part the order did not foresee first becomes a
        line of it, so that the invoice of delivered quantities bills what was used."""
        for part in self:
            line = part._order_line(order)
            part.sale_line_id = line
            if part.product_id.type != "consu":
                line.qty_delivered += part.quantity
                continue
            shipped = part._shipped_before(line)
            if shipped:
                part.move_id = shipped
                continue
            move = part._open_delivery(line)
            part._check_available(reserved=move)
            part.move_id = part._deliver_on_move(move)

    def _deliver_on_picking(self, picking):
        """Free service: the parts leave stock on the form's own delivery ``picking``, validated
        once with all of them."""
        for part in self:
            part._check_available()
            move = self.env["stock.move"].create(part._prepare_move_values(picking))
            move._action_confirm()
            part.move_id = part._pick_on_move(move)
        picking._action_done()

    def _order_line(self, order):
        """The line of ``order`` billing this part, added (with its delivery) when none does."""
        self.ensure_one()
        line = order.order_line.filtered(lambda line: line.product_id == self.product_id)[:1]
        if line:
            return line
        return self.env["sale.order.line"].create(
            {"order_id": order.id, "product_id": self.product_id.id, "product_uom_qty": self.quantity}
        )

    def _shipped_before(self, line):
        """The delivery of ``line`` the warehouse already made (the part sent to the site before
        the visit) that no field form accounts for yet: the part fitted is that one, not another."""
        self.ensure_one()
        accounted = self.search([("sale_line_id", "=", line.id), ("move_id", "!=", False)]).move_id
        shipped = line.move_ids._aftersales_delivered() - accounted
        if self.lot_id:
            shipped = shipped.filtered(lambda move: self.lot_id in move.move_line_ids.lot_id)
        quantity = self.product_id.uom_id._compute_quantity(self.quantity, line.product_uom)
        return shipped.filtered(
            lambda move: float_compare(move.quantity, quantity, precision_rounding=line.product_uom.rounding) >= 0
        )[:1]

    @staticmethod
    def _open_deliveries(line):
        """The moves still to deliver ``line`` to the customer."""
        return line.move_ids.filtered(
            lambda move: (
                move.state not in ("done", "cancel")
                and move.picking_code == "outgoing"
                and move.location_dest_id.usage == "customer"
            )
        )

    def _open_delivery(self, line):
        """The open move delivering ``line`` to the customer, raised to what this part uses."""
        self.ensure_one()
        move = self._open_deliveries(line)[:1]
        used = self.product_id.uom_id._compute_quantity(self.quantity, line.product_uom)
        planned = move.product_uom_qty if move else 0.0
        if float_compare(used, planned, precision_rounding=line.product_uom.rounding) > 0:
            # More than the order foresaw: the order follows the work (its stock rule adds the rest).
            line.product_uom_qty += used - planned
            move = self._open_deliveries(line)[:1]
        if not move:
            raise UserError(
                _(
                    "Order %(order)s has no delivery of %(product)s left to record the part used on %(form)s.",
                    order=line.order_id.name,
                    product=self.product_id.display_name,
                    form=self.dispatch_id.name,
                )
            )
        return move

    def _deliver_on_move(self, move):
        """Validate ``move`` with what was really used; what was planned and not used is
        cancelled (no backorder)."""
        self._pick_on_move(move)._action_done(cancel_backorder=True)
        return move

    def _pick_on_move(self, move):
        """Record on ``move`` what was really used, from the technician's stock, in place of its
        reservation: the move is then ready to be validated."""
        self.ensure_one()
        source = self._source_location()
        move._do_unreserve()
        if not source._child_of(move.location_id):
            move.location_id = source
        quantity = self.product_id.uom_id._compute_quantity(self.quantity, move.product_uom)
        self.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "product_id": self.product_id.id,
                "lot_id": self.lot_id.id,
                "quantity": quantity,
                "product_uom_id": move.product_uom.id,
                "location_id": source.id,
                "location_dest_id": move.location_dest_id.id,
                "company_id": move.company_id.id,
            }
        )
        move.picked = True
        return move

    def _prepare_move_values(self, picking):
        self.ensure_one()
        return {
            "name": _("%(form)s: %(part)s", form=self.dispatch_id.name, part=self.product_id.display_name),
            "origin": self.dispatch_id.name,
            "picking_id": picking.id,
            "product_id": self.product_id.id,
            "product_uom": self.product_id.uom_id.id,
            "product_uom_qty": self.quantity,
            "location_id": picking.location_id.id,
            "location_dest_id": picking.location_dest_id.id,
            "company_id": picking.company_id.id,
            "partner_id": picking.partner_id.id,
            "picking_type_id": picking.picking_type_id.id,
        }

    def _source_location(self):
        """The technician's own stock (his van) when he has one, else the company's warehouse."""
        self.ensure_one()
        return self.dispatch_id._parts_source_location()

    def _check_available(self, reserved=None):
        """Never more than the stock holds; what the order's delivery ``reserved`` counts as there."""
        self.ensure_one()
        if not self.product_id.is_storable:
            return
        location = self._source_location()
        available = self.env["stock.quant"]._get_available_quantity(
            self.product_id, location, lot_id=self.lot_id or None, strict=bool(self.lot_id)
        )
        if reserved:
            held = reserved.move_line_ids.filtered(
                lambda line: (not self.lot_id or line.lot_id == self.lot_id) and line.location_id._child_of(location)
            )
            available += sum(held.mapped("quantity"))
        if float_compare(available, self.quantity, precision_rounding=self.product_id.uom_id.rounding) < 0:
            raise UserError(
                _(
                    "Only %(available)s %(product)s in %(location)s: field form %(form)s uses %(quantity)s.",
                    available=available,
                    product=self._product_and_serial(),
                    location=location.display_name,
                    form=self.dispatch_id.name,
                    quantity=self.quantity,
                )
            )
