from odoo.tests import TransactionCase, tagged

from odoo.addons.aftersales_service.tests.access_matrix import AccessMatrixMixin


@tagged("post_install", "-at_install")
class TestSupplierAccessMatrix(AccessMatrixMixin, TransactionCase):
    addon = "aftersales_supplier"
    matrix = {
        # After-sales raises claims; purchasing works them; managers on either side delete them.
        "aftersales.supplier.claim": {
            "user": "rc",
            "technician": "rc",
            "quality": "rc",
            "manager": "rwcu",
            "purchase": "rwc",
        },
    }
