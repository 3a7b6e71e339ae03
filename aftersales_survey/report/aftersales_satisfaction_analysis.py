from odoo import fields, models

from ..models.survey_user_input import EVALUATION_CHANNELS


class AftersalesSatisfactionAnalysis(models.Model):
    """Customers' evaluations of their tickets (满意度调查表, P6 三.7; 客户满意度调查指标, P2): one row
    per completed evaluation and technician who served the ticket, to compare technicians,
    products and months."""

    _name = "aftersales.satisfaction.analysis"
    _description = "Satisfaction Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "ticket_id"

    answer_id = fields.Many2one("survey.user_input", string="Survey Answer", readonly=True)
    ticket_id = fields.Many2one("aftersales.ticket", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    technician_id = fields.Many2one("res.users", readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    date = fields.Datetime(string="Evaluated On", readonly=True)
    channel = fields.Selection(EVALUATION_CHANNELS, string="Evaluated", readonly=True)
    score = fields.Float(string="Satisfaction (%)", readonly=True, aggregator="avg")
    breach_pct = fields.Float(
        string="Standards Breached (%)",
        readonly=True,
        aggregator="avg",
        help="Share of evaluations in which the customer reports rude staff, money or gifts asked for, "
        "a late arrival or an unsolved problem.",
    )
    evaluation_count = fields.Float(
        string="Evaluations", readonly=True, help="Shared between the technicians who served the ticket."
    )

    @property
    def _table_query(self):
        return """
            WITH crew AS (
                SELECT DISTINCT form.ticket_id, rel.res_users_id AS technician_id
                  FROM aftersales_dispatch form
                  JOIN aftersales_dispatch_res_users_rel rel ON rel.aftersales_dispatch_id = form.id
                 WHERE form.state != 'cancel'
            ), sized AS (
                SELECT ticket_id, technician_id, COUNT(*) OVER (PARTITION BY ticket_id) AS size
                  FROM crew
            ), breaches AS (
                SELECT line.user_input_id
                  FROM survey_user_input_line line
                  JOIN survey_question_answer choice ON choice.id = line.suggested_answer_id
                 WHERE choice.aftersales_alert
              GROUP BY line.user_input_id
            )
            SELECT row_number() OVER (ORDER BY answer.id, sized.technician_id) AS id,
                   answer.id AS answer_id,
                   ticket.id AS ticket_id,
                   ticket.company_id,
                   ticket.partner_id,
                   ticket.product_id,
                   sized.technician_id,
                   ticket.user_id,
                   COALESCE(answer.end_datetime, answer.create_date) AS date,
                   answer.aftersales_channel AS channel,
                   answer.scoring_percentage AS score,
                   CASE WHEN breaches.user_input_id IS NULL THEN 0.0 ELSE 100.0 END AS breach_pct,
                   1.0 / COALESCE(sized.size, 1) AS evaluation_count
              FROM survey_user_input answer
              JOIN aftersales_ticket ticket ON ticket.id = answer.aftersales_ticket_id
         LEFT JOIN sized ON sized.ticket_id = ticket.id
         LEFT JOIN breaches ON breaches.user_input_id = answer.id
             WHERE answer.state = 'done' AND NOT COALESCE(answer.test_entry, FALSE)
        """
