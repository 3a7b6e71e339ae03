from . import test_supplier_claim
