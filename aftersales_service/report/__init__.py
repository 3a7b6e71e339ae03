from . import aftersales_dispatch_analysis
from . import aftersales_dispatch_internal_report
from . import aftersales_ticket_analysis
