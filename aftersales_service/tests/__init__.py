from . import test_warranty
from . import test_ticket_flow
from . import test_settlement
from . import test_sla_repeat
from . import test_mail_gateway
from . import test_access
from . import test_portal
