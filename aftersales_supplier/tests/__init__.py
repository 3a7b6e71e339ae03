from . import test_supplier_claim
from . import test_tour
from . import test_access_matrix
from . import test_vendor_copies
from . import test_record_rules
from . import test_history_import
