from odoo import fields, models


class ProductSupplierinfo(models.Model):
    _inherit = "product.supplierinfo"

    aftersales_warranty_months = fields.Integer(
        string="Vendor Warranty (months)",
        help="How long after receipt a failed part can be claimed from this vendor; 0 means no warranty.",
    )
