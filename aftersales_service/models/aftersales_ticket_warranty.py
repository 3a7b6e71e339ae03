from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .aftersales_guard_mixin import USER
from .aftersales_ticket import (
    CONTRACT_SERVICE_TYPES,
    FAULT_CAUSES,
    WARRANTY_SERVICE_TYPES,
    WARRANTY_STATES,
)


class AftersalesTicketWarranty(models.Model):
    """The warranty of the unit a ticket is about (保修期) and who pays: free service or paid
    service (有费服务), decided from the sale contract's frozen terms and quality's finding on the
    cause of the fault."""

    # One concern of the ticket per file, so that the ticket stays readable (see aftersales_ticket.py).
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited

    fault_cause = fields.Selection(
        FAULT_CAUSES,
        string="Cause",
        tracking=True,
        copy=False,
        help="Quality's review decides whether the fault is a quality defect (design, manufacture, installation, "
        "commissioning, material: free in warranty) or misuse or an operating error (paid service even in "
        "warranty). Left empty, the fault category's usual cause is taken when the request is approved.",
    )
    # Warranty (保修期): from the sale contract's frozen terms
    warranty_state = fields.Selection(
        WARRANTY_STATES, string="Warranty", compute="_compute_warranty", store=True, tracking=True
    )
    warranty_start_date = fields.Date(compute="_compute_warranty", store=True)
    warranty_end_date = fields.Date(string="Warranty Until", compute="_compute_warranty", store=True)
    billing_override = fields.Selection(
        [("free", "Free of Charge"), ("billable", "Billable")],
        tracking=True,
        copy=False,
        groups=USER,
        help="Set by an after-sales manager to overrule the warranty engine.",
    )
    billing_override_reason = fields.Char(tracking=True, copy=False, groups=USER)
    is_billable = fields.Boolean(string="Paid Service", compute="_compute_is_billable", store=True, tracking=True)

    @api.depends(
        "request_date",
        "lot_id",
        "sale_line_id.aftersales_warranty_months",
        "sale_line_id.aftersales_warranty_start",
        "picking_id.date_done",
        "sale_line_id.invoice_lines.move_id.state",
    )
    def _compute_warranty(self):
        for ticket in self:
            if not ticket.sale_line_id:
                ticket.warranty_state = "none"
                ticket.warranty_start_date = ticket.warranty_end_date = False
                continue
            # Deliveries and invoices decide the warranty, whatever the user may read.
            status = ticket.sale_line_id.sudo()._aftersales_warranty_status(
                ticket.lot_id.sudo(), fields.Date.to_date(ticket.request_date)
            )
            ticket.warranty_state = status["state"]
            ticket.warranty_start_date = status["start_date"]
            ticket.warranty_end_date = status["end_date"]

    @api.depends(
        "warranty_state",
        "request_type",
        "fault_cause",
        "billing_override",
        "sale_line_id.aftersales_service_included",
    )
    def _compute_is_billable(self):
        for ticket in self:
            if ticket.billing_override:
                ticket.is_billable = ticket.billing_override == "billable"
            elif ticket.request_type in CONTRACT_SERVICE_TYPES:
                ticket.is_billable = not ticket.sale_line_id.aftersales_service_included
            elif ticket.request_type == "maintenance":
                # Routine upkeep (保养) is no quality defect: paid service, unless the contract
                # includes it, which a manager records as a free override with its reason.
                ticket.is_billable = True
            elif ticket.request_type in WARRANTY_SERVICE_TYPES:
                ticket.is_billable = ticket.warranty_state != "in_warranty" or ticket.fault_cause == "misuse"
            else:
                ticket.is_billable = False

    @api.constrains("billing_override", "billing_override_reason")
    def _check_billing_override_reason(self):
        for ticket in self:
            if ticket.billing_override and not (ticket.billing_override_reason or "").strip():
                raise ValidationError(_("Give a reason when overriding the billing of %(ticket)s.", ticket=ticket.name))

    def _look_up_warranty_by_serial(self):
        """Before a repair is billed for want of a sale: the serial says whether the unit was sold
        and delivered by us, and so whether it is still under warranty. Without a serial, a
        customer who holds this product under warranty must not be billed on a guess."""
        self.ensure_one()
        if self.billing_override or self.request_type != "repair" or self.sale_line_id:
            return
        if self.lot_id:
            line = self.lot_id._aftersales_delivered_sale_lines().get(self.lot_id.id)
            if line:
                self._write_transition({"sale_line_id": line.id, "sale_order_id": line.order_id.id})
            return
        covered = self._sales_of_the_product_in_warranty()
        if covered:
            raise UserError(
                _(
                    "%(customer)s holds %(product)s under warranty (%(orders)s): enter the serial number or the sale "
                    "order line of the unit of %(ticket)s before the repair is billed, or a manager decides the "
                    "billing.",
                    customer=self.commercial_partner_id.display_name,
                    product=self.product_id.display_name,
                    orders=", ".join(covered.order_id.mapped("name")),
                    ticket=self.name,
                )
            )

    def _sales_of_the_product_in_warranty(self):
        """The customer's confirmed sale lines of this ticket's product still under warranty on
        the day of the request (read as superuser: after-sales staff need no sales rights)."""
        if not self.product_id or not self.commercial_partner_id:
            return self.env["sale.order.line"]
        lines = (
            self.env["sale.order.line"]
            .sudo()
            .search(
                [
                    ("order_id.partner_id", "child_of", self.commercial_partner_id.id),
                    ("product_id", "=", self.product_id.id),
                    ("state", "=", "sale"),
                    ("company_id", "=", self.company_id.id),
                ]
            )
        )
        on_date = fields.Date.to_date(self.request_date)
        return lines.filtered(lambda line: line._aftersales_warranty_status(None, on_date)["state"] == "in_warranty")

    @api.model
    def get_warranty_status(self, lot_id=False, sale_line_id=False):
        """Public RPC: the warranty of a serial or a sale line, today.

        Returns ``{'state', 'start_date', 'end_date'}`` with ISO dates or False.
        """
        self.check_access("read")
        if not lot_id and not sale_line_id:
            raise UserError(_("Give a serial number (lot_id) or a sale order line (sale_line_id)."))
        if not isinstance(lot_id, (int, bool)) or not isinstance(sale_line_id, (int, bool)):
            raise UserError(_("lot_id and sale_line_id must be record ids."))
        lot = self._readable_serial(lot_id)
        line = self.env["sale.order.line"].browse(sale_line_id or []).exists()
        if sale_line_id and not line:
            raise UserError(_("Sale order line %(id)s does not exist.", id=sale_line_id))
        line.check_access("read")
        today = self._aftersales_user_today()
        if line:
            status = line.sudo()._aftersales_warranty_status(lot.sudo() or None, on_date=today)
        else:
            # The serial's line and its first delivery on it in one query.
            line_id, delivered_on = lot._aftersales_sold_on().get(lot.id, (False, False))
            if not line_id:
                return {"state": "none", "start_date": False, "end_date": False}
            line = self.env["sale.order.line"].sudo().browse(line_id)  # its terms came with it
            status = line._aftersales_warranty_status(lot.sudo(), on_date=today, delivered_on=delivered_on)
        return {
            "state": status["state"],
            "start_date": fields.Date.to_string(status["start_date"]) if status["start_date"] else False,
            "end_date": fields.Date.to_string(status["end_date"]) if status["end_date"] else False,
        }

    @api.model
    def _aftersales_user_today(self):
        """Today in the user's time zone, as ``context_today`` gives it, reading the time zone
        alone rather than the whole user and partner records when the context has none."""
        tz = self.env.context.get("tz")
        if not tz:
            rows = self.env.execute_query(
                SQL(
                    "SELECT partner.tz FROM res_users u JOIN res_partner partner ON partner.id = u.partner_id "
                    "WHERE u.id = %s",
                    self.env.uid,
                )
            )
            tz = rows[0][0] if rows else False
        return fields.Date.context_today(self.with_context(tz=tz)) if tz else fields.Date.today()

    def _readable_serial(self, lot_id):
        """The serial ``lot_id`` (or none when not given) if the user may read it: one search
        under the record rules on the way that succeeds (the warranty look-up is a hot path);
        the error says whether it is missing or forbidden."""
        Lot = self.env["stock.lot"]  # no archived serials: a search sees every one it may read
        if not lot_id:
            return Lot
        lot = Lot.search([("id", "=", lot_id)])
        if not lot:
            if not Lot.browse(lot_id).exists():
                raise UserError(_("Serial number %(id)s does not exist.", id=lot_id))
            Lot.browse(lot_id).check_access("read")  # raises the AccessError
        return lot
