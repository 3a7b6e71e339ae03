from . import aftersales_revisit_tier
from . import res_partner
