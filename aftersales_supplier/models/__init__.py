from . import product_supplierinfo
from . import aftersales_supplier_claim
from . import aftersales_ticket
from . import purchase_order
from . import res_partner
