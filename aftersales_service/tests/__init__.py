from . import test_warranty
from . import test_ticket_flow
from . import test_settlement
from . import test_sla_repeat
from . import test_mail_gateway
from . import test_access
from . import test_access_matrix
from . import test_public_methods
from . import test_integrity
from . import test_portal
from . import test_dispatch
from . import test_portal_signing
from . import test_report
from . import test_i18n
from . import test_tour
from . import test_reports
from . import test_policy_gaps
from . import test_xss
from . import test_performance
<<<<<<< HEAD
from . import test_customer_copies
=======
from . import test_record_rules
>>>>>>> h-rules
