from odoo import fields, models

from ..models.aftersales_ticket import REQUEST_TYPES, STATES, WARRANTY_STATES


class AftersalesTicketAnalysis(models.Model):
    """Quarterly analysis of repeated and high-impact problems (季度维护内容总结) and
    SLA compliance: one row per ticket, rates as averages of 0/100 flags so that the
    pivot shows percentages for any grouping."""

    _name = "aftersales.ticket.analysis"
    _description = "After-Sales Problem and SLA Analysis"
    _auto = False
    _order = "request_date desc"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one("aftersales.ticket", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    fault_category_id = fields.Many2one("aftersales.fault.category", readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    team_id = fields.Many2one("aftersales.team", readonly=True)
    # A row is its ticket (same id): the ticket's own tag table serves the report.
    tag_ids = fields.Many2many(
        "aftersales.tag", "aftersales_ticket_tag_rel", "ticket_id", "tag_id", string="Tags", readonly=True
    )
    request_type = fields.Selection(REQUEST_TYPES, readonly=True)
    state = fields.Selection(STATES, readonly=True)
    warranty_state = fields.Selection(WARRANTY_STATES, string="Warranty", readonly=True)
    request_date = fields.Datetime(string="Received On", readonly=True)
    ticket_count = fields.Integer(string="Tickets", readonly=True)
    repeat_count = fields.Integer(string="Repeat Repairs", readonly=True)
    major_count = fields.Integer(string="Major Issues", readonly=True)
    repeat_rate = fields.Float(string="Repeat Rate (%)", readonly=True, aggregator="avg")
    response_on_time_pct = fields.Float(string="Answered in Time (%)", readonly=True, aggregator="avg")
    response_hours = fields.Float(string="Hours to First Response", readonly=True, aggregator="avg")
    arrival_on_time_pct = fields.Float(string="Arrived on Time (%)", readonly=True, aggregator="avg")
    # 在短时间内排除故障 (P3 §2), 迅速、果断排除故障 (P6 二.2): how long the repair took.
    repair_hours = fields.Float(
        string="Hours to Repair",
        readonly=True,
        aggregator="avg",
        help="From the registration of the request to the work done.",
    )
    site_hours = fields.Float(
        string="Hours on Site",
        readonly=True,
        aggregator="avg",
        help="Time the technicians spent on site, from arrival to departure, over all field forms of the ticket.",
    )

    @property
    def _table_query(self):
        return """
            WITH arrival AS (
                SELECT ticket_id, MIN(arrival_date) AS arrival_date,
                       SUM(EXTRACT(EPOCH FROM departure_date - arrival_date)) / 3600.0 AS site_hours
                  FROM aftersales_dispatch
                 WHERE arrival_date IS NOT NULL AND state != 'cancel'
              GROUP BY ticket_id
            )
            SELECT ticket.id,
                   ticket.id AS ticket_id,
                   ticket.company_id,
                   ticket.commercial_partner_id AS partner_id,
                   ticket.product_id,
                   ticket.fault_category_id,
                   ticket.user_id,
                   ticket.team_id,
                   ticket.request_type,
                   ticket.state,
                   ticket.warranty_state,
                   ticket.request_date,
                   1 AS ticket_count,
                   CASE WHEN ticket.is_repeat THEN 1 ELSE 0 END AS repeat_count,
                   CASE WHEN ticket.is_major THEN 1 ELSE 0 END AS major_count,
                   CASE WHEN ticket.is_repeat THEN 100.0 ELSE 0.0 END AS repeat_rate,
                   CASE WHEN ticket.first_response_date IS NOT NULL
                             THEN CASE WHEN ticket.first_response_date <= ticket.response_deadline
                                       THEN 100.0 ELSE 0.0 END
                        WHEN ticket.response_breached THEN 0.0 END AS response_on_time_pct,
                   EXTRACT(EPOCH FROM ticket.first_response_date - ticket.request_date) / 3600.0 AS response_hours,
                   CASE WHEN arrival.arrival_date IS NULL OR ticket.requested_arrival IS NULL THEN NULL
                        WHEN arrival.arrival_date <= ticket.requested_arrival THEN 100.0 ELSE 0.0 END
                       AS arrival_on_time_pct,
                   EXTRACT(EPOCH FROM ticket.done_date - ticket.request_date) / 3600.0 AS repair_hours,
                   arrival.site_hours
              FROM aftersales_ticket ticket
         LEFT JOIN arrival ON arrival.ticket_id = ticket.id
             WHERE ticket.state != 'cancel'
        """
