from . import aftersales_quarter_summary
