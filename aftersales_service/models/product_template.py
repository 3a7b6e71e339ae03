from odoo import fields, models

WARRANTY_START = [
    ("delivery", "Delivery"),
    ("invoice", "Invoice"),
    ("sale", "Sale Confirmation"),
]


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_warranty_months = fields.Integer(
        string="Warranty (months)",
        help="Free-of-charge repair period; 0 means no warranty.",
    )
    aftersales_warranty_start = fields.Selection(
        WARRANTY_START,
        string="Warranty Starts At",
        default="delivery",
        required=True,
    )
    aftersales_service_included = fields.Boolean(
        string="Installation & Training Included",
        default=True,
        help="Installation, commissioning and training of this product are part of the "
        "sale; requests beyond that are paid service.",
    )
    aftersales_spare_part = fields.Boolean(
        string="Spare Part",
        help="Technicians may take this product from stock to the customer's site on a field form; "
        "other stored products never leave stock through a field form.",
    )
    aftersales_ticket_count = fields.Integer(compute="_compute_aftersales_ticket_count")

    def _compute_aftersales_ticket_count(self):
        counts = dict(
            self.env["aftersales.ticket"]._read_group(
                [("product_id.product_tmpl_id", "in", self.ids)],
                ["product_id"],
                ["__count"],
            )
        )
        for template in self:
            template.aftersales_ticket_count = sum(
                count for product, count in counts.items() if product.product_tmpl_id == template
            )

    def action_view_aftersales_tickets(self):
        return self.env["aftersales.ticket"]._action_open(
            [("product_id.product_tmpl_id", "in", self.ids)], {"default_product_id": self.product_variant_id.id}
        )
