from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_low_score_threshold = fields.Float(related="company_id.aftersales_low_score_threshold", readonly=False)
    aftersales_survey_id = fields.Many2one(related="company_id.aftersales_survey_id", readonly=False)
