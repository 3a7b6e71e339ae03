from . import test_satisfaction
from . import test_revisit
from . import test_feedback
from . import test_care_plan
from . import test_campaign
from . import test_access
from . import test_interest
from . import test_tour
