from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_ticket_count = fields.Integer(compute="_compute_aftersales_ticket_count")

    def _compute_aftersales_ticket_count(self):
        counts = dict(
            self.env["aftersales.ticket"]._read_group(
                [("partner_id", "child_of", self.ids)], ["commercial_partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.aftersales_ticket_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_aftersales_tickets(self):
        return self.env["aftersales.ticket"]._action_open(
            [("commercial_partner_id", "in", self.commercial_partner_id.ids)], {"default_partner_id": self.id}
        )
