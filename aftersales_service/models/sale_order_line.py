from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.tools import SQL

from .aftersales_guard_mixin import MANAGER, check_group
from .product_template import WARRANTY_START
from .stock_move import DELIVERED_JOIN, DELIVERED_WHERE

CONTRACT_TERMS = ("aftersales_warranty_months", "aftersales_warranty_start", "aftersales_service_included")


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # Contract terms: proposed from the product while quoting, then frozen with the
    # order so that later product changes never rewrite sold warranties.
    aftersales_warranty_months = fields.Integer(
        string="Warranty (months)",
        compute="_compute_aftersales_terms",
        store=True,
        readonly=False,
        precompute=True,
    )
    aftersales_warranty_start = fields.Selection(
        WARRANTY_START,
        string="Warranty Starts At",
        compute="_compute_aftersales_terms",
        store=True,
        readonly=False,
        precompute=True,
    )
    aftersales_service_included = fields.Boolean(
        string="Installation & Training Included",
        compute="_compute_aftersales_terms",
        store=True,
        readonly=False,
        precompute=True,
    )

    @api.depends("product_id")
    def _compute_aftersales_terms(self):
        for line in self:
            if line.state == "sale":
                continue
            template = line.product_id.product_tmpl_id
            line.aftersales_warranty_months = template.aftersales_warranty_months
            line.aftersales_warranty_start = template.aftersales_warranty_start or "delivery"
            line.aftersales_service_included = template.aftersales_service_included

    @api.model
    def _aftersales_freeze_missing_terms(self):
        """Freeze the product's terms on confirmed lines that have none: lines confirmed before
        the suite was installed (their contract terms were never recorded). Returns the lines."""
        lines = self.search([("state", "=", "sale"), ("aftersales_warranty_start", "=", False)])
        for template, template_lines in lines.grouped(lambda line: line.product_id.product_tmpl_id).items():
            template_lines.write(
                {
                    "aftersales_warranty_months": template.aftersales_warranty_months,
                    "aftersales_warranty_start": template.aftersales_warranty_start or "delivery",
                    "aftersales_service_included": template.aftersales_service_included,
                }
            )
        return lines

    def _aftersales_returnable_qty(self):
        """Delivered (net of validated returns) minus what returns already under way will take back."""
        self.ensure_one()
        pending = self.move_ids.filtered(
            lambda move: move.origin_returned_move_id and move.state not in ("done", "cancel")
        )
        return self.qty_delivered - sum(pending.mapped("product_uom_qty"))

    def write(self, vals):
        if any(term in vals for term in CONTRACT_TERMS) and self.filtered(lambda line: line.state == "sale"):
            # The warranty terms of a confirmed order are part of the contract.
            check_group(self.env, MANAGER, _("change the warranty terms of a confirmed order"))
        return super().write(vals)

    # ------------------------------------------------------------------
    # Warranty engine
    # ------------------------------------------------------------------

    def _aftersales_warranty_start_date(self, lot=None, delivered_on=None):
        """The date the warranty of this line (or of one serial sold on it) starts.

        ``delivered_on``: the serial's first delivery on this line when the caller already
        read it (``stock.lot._aftersales_sold_on``), to spare the query."""
        self.ensure_one()
        basis = self.aftersales_warranty_start or "delivery"
        if basis == "sale":
            return self.order_id.date_order and self.order_id.date_order.date()
        if basis == "invoice":
            invoices = self.invoice_lines.move_id.filtered(
                lambda move: move.state == "posted" and move.move_type == "out_invoice"
            )
            dates = invoices.mapped("invoice_date")
            return min(dates) if dates else False
        if lot and delivered_on is not None:
            return delivered_on
        if lot and lot.id and self.id:  # saved records (not a form's new ones): one query
            return self._aftersales_lot_delivery_date(lot)
        move_lines = self.move_ids._aftersales_delivered().move_line_ids
        if lot:
            move_lines = move_lines.filtered(lambda ml: ml.lot_id == lot)
        dates = move_lines.mapped("date")
        return min(dates).date() if dates else False

    def _aftersales_lot_delivery_date(self, lot):
        """The first delivery of ``lot`` to the customer on this line, in one query (the
        warranty look-up of a serial is a hot path)."""
        self.env["stock.move"]._aftersales_flush_delivered()
        [[first]] = self.env.execute_query(
            SQL(
                """SELECT MIN(line.date)
                     FROM stock_move_line line
                     JOIN stock_move move ON move.id = line.move_id
                     %s
                    WHERE move.sale_line_id = %s
                      AND %s
                      AND line.lot_id = %s""",
                DELIVERED_JOIN,
                self.id,
                DELIVERED_WHERE,
                lot.id,
            )
        )
        return first.date() if first else False

    def _aftersales_warranty_status(self, lot=None, on_date=None, delivered_on=None):
        """``{'state', 'start_date', 'end_date'}`` of this line's warranty on ``on_date``."""
        self.ensure_one()
        on_date = on_date or fields.Date.context_today(self)
        start = self._aftersales_warranty_start_date(lot, delivered_on)
        if not self.aftersales_warranty_months or not start:
            return {"state": "none", "start_date": start or False, "end_date": False}
        end = start + relativedelta(months=self.aftersales_warranty_months, days=-1)
        return {
            "state": "in_warranty" if on_date <= end else "expired",
            "start_date": start,
            "end_date": end,
        }
