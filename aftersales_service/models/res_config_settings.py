from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_response_hours = fields.Integer(related="company_id.aftersales_response_hours", readonly=False)
    aftersales_response_calendar_id = fields.Many2one(
        related="company_id.aftersales_response_calendar_id", readonly=False
    )
    aftersales_repeat_days = fields.Integer(related="company_id.aftersales_repeat_days", readonly=False)
    aftersales_manager_id = fields.Many2one(related="company_id.aftersales_manager_id", readonly=False)
    aftersales_quality_user_id = fields.Many2one(related="company_id.aftersales_quality_user_id", readonly=False)
    aftersales_labour_product_id = fields.Many2one(related="company_id.aftersales_labour_product_id", readonly=False)
    aftersales_travel_product_id = fields.Many2one(related="company_id.aftersales_travel_product_id", readonly=False)
    aftersales_callout_product_id = fields.Many2one(related="company_id.aftersales_callout_product_id", readonly=False)
    aftersales_cash_journal_id = fields.Many2one(related="company_id.aftersales_cash_journal_id", readonly=False)
    aftersales_bank_journal_id = fields.Many2one(related="company_id.aftersales_bank_journal_id", readonly=False)
    aftersales_labour_cost_rate = fields.Monetary(related="company_id.aftersales_labour_cost_rate", readonly=False)
    aftersales_gm_approval_amount = fields.Monetary(related="company_id.aftersales_gm_approval_amount", readonly=False)
    aftersales_notify_registered = fields.Boolean(related="company_id.aftersales_notify_registered", readonly=False)
    aftersales_notify_quotation = fields.Boolean(related="company_id.aftersales_notify_quotation", readonly=False)
    aftersales_notify_dispatched = fields.Boolean(related="company_id.aftersales_notify_dispatched", readonly=False)
    aftersales_notify_done = fields.Boolean(related="company_id.aftersales_notify_done", readonly=False)
    aftersales_notify_closed = fields.Boolean(related="company_id.aftersales_notify_closed", readonly=False)
