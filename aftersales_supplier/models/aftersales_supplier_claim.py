from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from odoo.addons.aftersales_service.models.aftersales_guard_mixin import (
    MANAGER,
    editable,
    form_action,
    staff_field,
    transition,
)
from odoo.addons.aftersales_service.models.aftersales_state_mixin import state_field

CLAIM_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent to Vendor"),
    ("acknowledged", "Acknowledged"),
    ("in_progress", "In Progress"),
    ("resolved", "Resolved"),
    ("rejected", "Rejected"),
]
OPEN_STATES = ("sent", "acknowledged", "in_progress")
# Claims are owned by purchasing; after-sales managers may stand in.
PURCHASING = ("purchase.group_purchase_user", MANAGER)
# Where the vendor's answer is carried out: replacement, return or credit note.
SETTLING_STATES = ("acknowledged", "in_progress")


class AftersalesSupplierClaim(models.Model):
    """A claim against the vendor of a failed part (外协/配套件质量问题), owned by purchasing."""

    _name = "aftersales.supplier.claim"
    _description = "Supplier Claim"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.state.mixin"]
    _list_action = "aftersales_supplier.aftersales_supplier_claim_action"
    # A claim dropped on a kanban column runs that column's action (see aftersales.state.mixin).
    # What each status allows (see aftersales.state.mixin).
    _actions = {
        "action_send": ("draft",),
        "action_acknowledge": ("sent",),
        "action_start": ("acknowledged",),
        "action_create_replacement_order": SETTLING_STATES,
        "action_return_to_vendor": SETTLING_STATES,
        "action_create_vendor_refund": SETTLING_STATES,
        "action_resolve": ("in_progress",),
        "action_reject": OPEN_STATES,
    }
    _state_actions = {
        "sent": "action_send",
        "acknowledged": "action_acknowledge",
        "in_progress": "action_start",
        "resolved": "action_resolve",
        "rejected": "action_reject",
    }
    _order = "id desc"
    _check_company_auto = True
    _guard_links = ("ticket_id",)
    _history_states = ("resolved", "rejected")

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    name = fields.Char(string="Reference", readonly=True, copy=False, default="New")
    ticket_id = fields.Many2one(
        "aftersales.ticket", string="Service Ticket", index=True, check_company=True, tracking=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_id = fields.Many2one("product.product", string="Part", required=True, check_company=True, tracking=True)
    lot_id = fields.Many2one(
        "stock.lot", string="Serial Number", domain="[('product_id', '=', product_id)]", check_company=True
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    receipt_move_line_id = fields.Many2one(
        "stock.move.line", string="Receipt", compute="_compute_receipt", store=True, precompute=True
    )
    receipt_date = fields.Date(compute="_compute_receipt", store=True, precompute=True)
    purchase_order_id = fields.Many2one(
        "purchase.order",
        compute="_compute_vendor",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        tracking=True,
        ondelete="restrict",  # the purchase a claim rests on is never lost
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        required=True,
        compute="_compute_vendor",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        tracking=True,
        index=True,
    )
    commercial_partner_id = fields.Many2one(related="partner_id.commercial_partner_id", store=True, index=True)
    vendor_warranty_end = fields.Date(compute="_compute_claimable", store=True)
    is_claimable = fields.Boolean(compute="_compute_claimable", store=True)
    claimable_reason = fields.Char(string="Vendor Warranty", compute="_compute_claimable", store=True)
    claim_type = fields.Selection(
        [("repair", "Repair"), ("replace", "Replace"), ("refund", "Refund")],
        required=True,
        default="replace",
        tracking=True,
    )
    expected_amount = fields.Monetary(
        currency_field="currency_id", compute="_compute_expected_amount", store=True, readonly=False, precompute=True
    )
    recovered_amount = fields.Monetary(currency_field="currency_id", tracking=True)
    recovery_rate = fields.Float(compute="_compute_recovery_rate", store=True, aggregator="avg")
    deadline = fields.Date(tracking=True, default=lambda self: fields.Date.context_today(self) + relativedelta(days=14))
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    overdue_notified = fields.Boolean(copy=False)
    user_id = staff_field("Purchaser", check_company=False)
    state = state_field(CLAIM_STATES, default="draft")
    description = fields.Html()
    resolution = fields.Text(tracking=True)
    replacement_order_id = fields.Many2one("purchase.order", readonly=True, copy=False, ondelete="restrict")
    return_picking_id = fields.Many2one("stock.picking", string="Return to Vendor", readonly=True, copy=False)
    refund_move_id = fields.Many2one("account.move", string="Vendor Credit Note", readonly=True, copy=False)

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The claimed quantity must be positive."),
        ("amounts_positive", "CHECK(expected_amount >= 0 AND recovered_amount >= 0)", "Amounts cannot be negative."),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("lot_id", "product_id")
    def _compute_receipt(self):
        for claim in self:
            move_line = claim._find_receipt_move_line()
            claim.receipt_move_line_id = move_line
            claim.receipt_date = move_line.date.date() if move_line else False

    @api.depends("receipt_move_line_id", "product_id")
    def _compute_vendor(self):
        """The vendor of the receipt of that serial, else the product's first vendor."""
        for claim in self:
            purchase_line = claim.receipt_move_line_id.move_id.purchase_line_id
            if purchase_line:
                claim.purchase_order_id = purchase_line.order_id
                claim.partner_id = purchase_line.order_id.partner_id
            elif not claim.partner_id:
                claim.partner_id = claim._product_vendor_info().partner_id

    @api.depends("partner_id", "product_id", "receipt_date")
    def _compute_claimable(self):
        today = fields.Date.context_today(self)
        for claim in self:
            info = claim._product_vendor_info()
            months = info.aftersales_warranty_months
            received = (
                claim.receipt_date
                or claim.purchase_order_id.date_approve
                and claim.purchase_order_id.date_approve.date()
            )
            if not claim.partner_id or not claim.product_id:
                claim.update({"vendor_warranty_end": False, "is_claimable": False, "claimable_reason": False})
            elif not months:
                claim.update(
                    {
                        "vendor_warranty_end": False,
                        "is_claimable": False,
                        "claimable_reason": _(
                            "No vendor warranty is recorded for this part on the vendor's price list."
                        ),
                    }
                )
            elif not received:
                claim.update(
                    {
                        "vendor_warranty_end": False,
                        "is_claimable": True,
                        "claimable_reason": _(
                            "No receipt found: the vendor's %(months)s-month warranty applies from delivery to us.",
                            months=months,
                        ),
                    }
                )
            else:
                end = received + relativedelta(months=months, days=-1)
                claimable = today <= end
                claim.update(
                    {
                        "vendor_warranty_end": end,
                        "is_claimable": claimable,
                        "claimable_reason": (
                            _("Under vendor warranty until %(date)s.", date=end)
                            if claimable
                            else _("The vendor warranty ended on %(date)s.", date=end)
                        ),
                    }
                )

    @api.depends("product_id", "quantity", "purchase_order_id")
    def _compute_expected_amount(self):
        for claim in self:
            line = claim.receipt_move_line_id.move_id.purchase_line_id
            unit = line.price_unit if line else claim._product_vendor_info().price or claim.product_id.standard_price
            claim.expected_amount = unit * claim.quantity

    @api.depends("expected_amount", "recovered_amount")
    def _compute_recovery_rate(self):
        for claim in self:
            claim.recovery_rate = (
                100.0 * claim.recovered_amount / claim.expected_amount if claim.expected_amount else 0.0
            )

    @api.depends("deadline", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for claim in self:
            claim.is_overdue = claim.state in OPEN_STATES and bool(claim.deadline) and claim.deadline < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on overdue claims."))
        today = fields.Date.context_today(self)
        if (operator == "=") == value:
            return [("state", "in", OPEN_STATES), ("deadline", "<", today)]
        return ["|", ("state", "not in", OPEN_STATES), "|", ("deadline", "=", False), ("deadline", ">=", today)]

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------

    @api.constrains("lot_id", "product_id")
    def _check_lot(self):
        self._check_serial_of_product()

    def _editable_fields(self):
        return super()._editable_fields() + [
            # What is claimed, from whom: until the claim is sent.
            editable(
                "company_id ticket_id product_id lot_id quantity claim_type description purchase_order_id "
                "partner_id expected_amount",
                ("draft",),
                None,
            ),
            editable("deadline user_id", ("draft", *OPEN_STATES), PURCHASING),
            # What the vendor did, while the claim is open; final once resolved or rejected.
            editable("recovered_amount resolution", OPEN_STATES, PURCHASING),
        ]

    @api.model
    def _prepare_new_values(self, vals_list):
        vals_list = super()._prepare_new_values(vals_list)
        self.env["ir.sequence"]._assign_names(vals_list, "aftersales.supplier.claim")
        return vals_list

    @api.model_create_multi
    def create(self, vals_list):
        self._check_vendor_known(vals_list)
        claims = super().create(vals_list)
        for claim in claims.filtered("ticket_id"):
            claim.ticket_id.message_post(
                body=_(
                    "Supplier claim %(claim)s opened against %(vendor)s.",
                    claim=claim.name,
                    vendor=claim.partner_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return claims

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(claim.state != "draft" for claim in self):
            raise UserError(_("Only draft claims can be deleted."))

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:
            self._tell_ticket()
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @transition
    def action_send(self):
        self._check_purchasing_action("action_send", _("send"))
        for claim in self:
            if not claim.is_claimable:
                raise UserError(
                    _(
                        "Claim %(claim)s cannot be sent: %(reason)s",
                        claim=claim.name,
                        reason=claim.claimable_reason or _("no vendor warranty."),
                    )
                )
            if not claim.partner_id.email:
                raise UserError(_("Vendor %(vendor)s has no email address.", vendor=claim.partner_id.display_name))
        template = self.env.ref("aftersales_supplier.mail_template_supplier_claim")
        # Whoever in purchasing sends the claim owns it from now on, unless a buyer already does.
        self.filtered(lambda c: not c.user_id.has_group("purchase.group_purchase_user")).user_id = self.env.user
        for claim in self:
            claim.message_subscribe(partner_ids=claim.partner_id.ids)
            claim.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        self._write_transition({"state": "sent"})
        self._schedule_follow_up(_("Vendor to acknowledge the claim"))
        return True

    @transition
    def action_acknowledge(self):
        return self._vendor_step("action_acknowledge", _("acknowledge"), "acknowledged", _("Vendor to start the claim"))

    @transition
    def action_start(self):
        return self._vendor_step("action_start", _("start"), "in_progress", _("Vendor to settle the claim"))

    def _vendor_step(self, action, action_label, state, follow_up):
        """A step the vendor took, recorded by purchasing, with the follow-up of the next one."""
        self._check_purchasing_action(action, action_label)
        self._write_transition({"state": state})
        self._schedule_follow_up(follow_up)
        return True

    @transition
    def action_resolve(self):
        self._check_purchasing_action("action_resolve", _("resolve"))
        for claim in self:
            if not (
                claim.replacement_order_id or claim.return_picking_id or claim.refund_move_id or claim.recovered_amount
            ):
                raise UserError(
                    _(
                        "Record what the vendor did for %(claim)s: a replacement order, a return, "
                        "a credit note or the amount recovered.",
                        claim=claim.name,
                    )
                )
            if not claim.recovered_amount and claim.refund_move_id.state == "posted":
                claim.recovered_amount = claim.refund_move_id.amount_untaxed
        self._write_transition({"state": "resolved"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    @transition
    def action_reject(self):
        self._check_purchasing_action("action_reject", _("reject"))
        if any(not (claim.resolution or "").strip() for claim in self):
            raise UserError(_("Write down the vendor's reason in the resolution before rejecting the claim."))
        self._write_transition({"state": "rejected"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    @transition
    def action_create_replacement_order(self):
        """A purchase order for the replacement part, at no charge, through purchasing's own flow."""
        self._check_outcome("replace")
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "origin": self.name,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product_id.id,
                            "product_qty": self.quantity,
                            "price_unit": 0.0,
                            "name": _("Replacement under claim %(claim)s", claim=self.name),
                        }
                    )
                ],
            }
        )
        self.replacement_order_id = order
        return form_action(order)

    @transition
    def action_return_to_vendor(self):
        """Send the faulty part back with stock's return of the original receipt."""
        self._check_outcome(("repair", "replace", "refund"))
        receipt = self.receipt_move_line_id.picking_id
        if not receipt:
            raise UserError(
                _(
                    "No receipt of %(part)s from %(vendor)s was found to return.",
                    part=self.product_id.display_name,
                    vendor=self.partner_id.display_name,
                )
            )
        # The very move that received this part goes back, not every line of the same product.
        wizard = receipt._aftersales_return_moves_wizard({self.receipt_move_line_id.move_id: self.quantity})
        self.return_picking_id = wizard.action_create_returns()["res_id"]
        return form_action(self.return_picking_id)

    @transition
    def action_create_vendor_refund(self):
        """The vendor's credit note for the failed part: Odoo's reversal of the vendor bill that
        charged it, so that accounts and taxes are the bill's; only the claimed part is kept."""
        self._check_outcome("refund")
        bill = self._claimed_bill()
        # Purchasing may draft credit notes but not edit journal items: the server trims the
        # reversal to the claimed part, as superuser, after the checks above.
        refund = bill.sudo()._reverse_moves(
            [
                {
                    "ref": _("Supplier claim %(claim)s", claim=self.name),
                    "invoice_origin": self.name,
                    "date": fields.Date.context_today(self),
                    "invoice_date": fields.Date.context_today(self),
                }
            ]
        )
        claimed = refund.invoice_line_ids.filtered(lambda line: line.product_id == self.product_id)[:1]
        refund.write(
            {
                "invoice_line_ids": [Command.unlink(line.id) for line in refund.invoice_line_ids - claimed]
                + [Command.update(claimed.id, {"quantity": self.quantity})]
            }
        )
        self.refund_move_id = refund
        return form_action(refund.with_env(self.env))

    def _claimed_bill(self):
        """The posted vendor bill of the purchase order that charged the claimed part."""
        self.ensure_one()
        bill = self.purchase_order_id.invoice_ids.filtered(
            lambda move: (
                move.move_type == "in_invoice"
                and move.state == "posted"
                and self.product_id in move.invoice_line_ids.product_id
            )
        )[:1]
        if not bill:
            raise UserError(
                _(
                    "Purchase order %(order)s has no posted vendor bill of %(part)s: the credit note reverses "
                    "that bill, so post it first.",
                    order=self.purchase_order_id.name or "-",
                    part=self.product_id.display_name,
                )
            )
        return bill

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _check_purchasing(self):
        """Claims are owned by purchasing: after-sales users only open and follow them."""
        self._check_group(PURCHASING, _("move a supplier claim forward"))

    def _check_purchasing_action(self, action, action_label):
        """The claim's status allows ``action``, and purchasing, who owns claims, runs it."""
        self._check_action(action, action_label)
        self._check_purchasing()

    def _check_outcome(self, claim_types):
        self.ensure_one()
        self._check_state(SETTLING_STATES, _("settle"))
        self._check_purchasing()
        claim_types = (claim_types,) if isinstance(claim_types, str) else claim_types
        if self.claim_type not in claim_types:
            labels = dict(self._fields["claim_type"]._description_selection(self.env))
            raise UserError(
                _(
                    "Claim %(claim)s asks for %(type)s, not for this outcome.",
                    claim=self.name,
                    type=labels[self.claim_type],
                )
            )

    @api.model
    def _check_vendor_known(self, vals_list):
        """A claim needs a vendor: say so plainly when neither a receipt nor the product names one."""
        for vals in vals_list:
            if vals.get("partner_id"):
                continue
            draft = self.new(vals)
            if not draft.partner_id:
                raise UserError(
                    _(
                        "No vendor is known for %(part)s: it was never received from a vendor and its product "
                        "lists none. Choose the vendor of the claim.",
                        part=draft.product_id.display_name or _("this part"),
                    )
                )

    def _find_receipt_move_line(self):
        """The done receipt from a vendor of this serial (or, without serial, none)."""
        self.ensure_one()
        if not self.lot_id:
            return self.env["stock.move.line"]
        return (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("lot_id", "=", self.lot_id.id),
                    ("state", "=", "done"),
                    ("location_id.usage", "=", "supplier"),
                ],
                order="date desc",
                limit=1,
            )
            .with_env(self.env)
        )

    def _product_vendor_info(self):
        """The price-list line of this vendor for the part (or the part's first vendor)."""
        self.ensure_one()
        sellers = self.product_id.seller_ids.filtered(
            lambda info: (
                (not info.product_id or info.product_id == self.product_id)
                and (not info.company_id or info.company_id == self.company_id)
            )
        )
        if self.partner_id:
            sellers = sellers.filtered(
                lambda info: info.partner_id.commercial_partner_id == self.partner_id.commercial_partner_id
            )
        return sellers[:1]

    def _schedule_follow_up(self, summary):
        for claim in self:
            claim.activity_unlink(["mail.mail_activity_data_todo"])
            claim.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=claim.deadline or fields.Date.context_today(self),
                summary=summary,
                user_id=(claim.user_id or self.env.user).id,
            )

    def _tell_ticket(self):
        """The service ticket follows the claim's progress (跟进加工进度)."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        for claim in self.filtered("ticket_id"):
            claim.ticket_id.sudo().message_post(
                body=_("Supplier claim %(claim)s: %(state)s", claim=claim.name, state=labels[claim.state]),
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _cron_remind_overdue(self):
        """Once per claim, tell the purchaser that the vendor missed the deadline."""
        overdue = self.search([("is_overdue", "=", True), ("overdue_notified", "=", False)])
        for claim in overdue:
            claim.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Claim overdue"),
                note=_("The vendor did not settle %(claim)s by %(date)s.", claim=claim.name, date=claim.deadline),
                user_id=(claim.user_id or self.env.user).id,
            )
        overdue.write({"overdue_notified": True})
        return True
