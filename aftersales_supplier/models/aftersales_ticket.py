from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.aftersales_service.models.aftersales_guard_mixin import form_action


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    claim_ids = fields.One2many("aftersales.supplier.claim", "ticket_id", string="Supplier Claims")
    claim_count = fields.Integer(compute="_compute_claim_count")
    claim_progress = fields.Char(compute="_compute_claim_count")

    def _compute_claim_count(self):
        state_labels = dict(self.env["aftersales.supplier.claim"]._fields["state"]._description_selection(self.env))
        for ticket in self:
            claims = ticket.sudo().claim_ids
            ticket.claim_count = len(claims)
            ticket.claim_progress = ", ".join(f"{claim.name}: {state_labels[claim.state]}" for claim in claims) or False

    def action_create_supplier_claim(self, product_id=False, lot_id=False, quantity=1.0):
        """Claim the failed part from its vendor (跟进加工进度). Callable over XML-RPC;
        the part defaults to the ticket's product and serial."""
        self.ensure_one()
        self.check_access("read")
        self.env["aftersales.supplier.claim"].check_access("create")
        if self.state == "cancel":
            raise UserError(_("Ticket %(ticket)s is cancelled: no supplier claim can be made.", ticket=self.name))
        claim = self.env["aftersales.supplier.claim"].create(
            {
                "ticket_id": self.id,
                "company_id": self.company_id.id,
                "product_id": product_id or self.product_id.id,
                "lot_id": lot_id or (False if product_id else self.lot_id.id),
                "quantity": quantity,
            }
        )
        return form_action(claim)

    def action_view_supplier_claims(self):
        self.ensure_one()
        self.check_access("read")
        return self.env["aftersales.supplier.claim"]._action_open(
            [("ticket_id", "=", self.id)], {"default_ticket_id": self.id}
        )
