from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_low_score_threshold = fields.Float(
        string="Low Satisfaction Score (%)",
        default=60.0,
        help="A satisfaction survey scored below this percentage gives the after-sales manager a follow-up activity.",
    )
    aftersales_survey_id = fields.Many2one(
        "survey.survey",
        string="Satisfaction Survey",
        help="Survey sent to the customer when a ticket is done; the shipped survey when empty.",
    )
