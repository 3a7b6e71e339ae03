from . import aftersales_supplier_claim
