from . import aftersales_satisfaction_analysis
