from . import aftersales_survey_campaign_wizard
