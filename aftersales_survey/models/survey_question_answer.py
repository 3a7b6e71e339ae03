from odoo import fields, models


class SurveyQuestionAnswer(models.Model):
    _inherit = "survey.question.answer"

    aftersales_alert = fields.Boolean(
        string="Alerts the After-Sales Manager",
        help="Choosing this answer in a ticket's satisfaction survey reports a breach of the service "
        "standards: the after-sales manager gets a to-do at once.",
    )
