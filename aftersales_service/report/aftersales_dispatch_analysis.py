from odoo import fields, models


class AftersalesDispatchAnalysis(models.Model):
    """Dispatch register (派遣记录) and cost report (费用报表): one row per field form
    and technician, the form's costs shared between its technicians."""

    _name = "aftersales.dispatch.analysis"
    _description = "Dispatch Register and Costs"
    _auto = False
    _order = "planned_start desc"
    _rec_name = "dispatch_id"

    dispatch_id = fields.Many2one("aftersales.dispatch", string="Field Form", readonly=True)
    ticket_id = fields.Many2one("aftersales.ticket", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    technician_id = fields.Many2one("res.users", readonly=True)
    state = fields.Selection(
        [("planned", "Planned"), ("on_site", "On Site"), ("done", "Done"), ("filed", "Filed"), ("cancel", "Cancelled")],
        readonly=True,
    )
    is_billable = fields.Boolean(string="Paid Service", readonly=True)
    planned_start = fields.Datetime(readonly=True)
    arrival_date = fields.Datetime(string="Arrived On", readonly=True)
    departure_date = fields.Datetime(string="Left On", readonly=True)
    duration_hours = fields.Float(string="Time on Site (hours)", readonly=True)
    arrived_on_time_pct = fields.Float(string="Arrived on Time (%)", readonly=True, aggregator="avg")
    visit_count = fields.Float(string="Visits", readonly=True)
    labour_hours = fields.Float(readonly=True)
    labour_cost = fields.Monetary(readonly=True)
    parts_cost = fields.Monetary(readonly=True)
    travel_cost = fields.Monetary(readonly=True)
    expense_amount = fields.Monetary(string="Other Expenses", readonly=True)
    total_cost = fields.Monetary(readonly=True)
    free_cost = fields.Monetary(string="Warranty Cost", readonly=True, help="Cost of free (warranty) work.")
    billable_cost = fields.Monetary(string="Billed Work Cost", readonly=True)
    fee_collected = fields.Monetary(string="Fee Collected on Site", readonly=True)

    @property
    def _table_query(self):
        return """
            WITH parts AS (
                SELECT dispatch_id, SUM(quantity * cost) AS cost
                  FROM aftersales_dispatch_part
              GROUP BY dispatch_id
            ), crew AS (
                SELECT form.id AS dispatch_id, rel.res_users_id AS technician_id,
                       COUNT(*) OVER (PARTITION BY form.id) AS size
                  FROM aftersales_dispatch form
             LEFT JOIN aftersales_dispatch_res_users_rel rel ON rel.aftersales_dispatch_id = form.id
            ), costs AS (
                SELECT form.id,
                       form.labour_hours * COALESCE(company.aftersales_labour_cost_rate, 0) AS labour_cost,
                       COALESCE(parts.cost, 0) AS parts_cost
                  FROM aftersales_dispatch form
                  JOIN res_company company ON company.id = form.company_id
             LEFT JOIN parts ON parts.dispatch_id = form.id
            )
            SELECT row_number() OVER (ORDER BY form.id, crew.technician_id) AS id,
                   form.id AS dispatch_id,
                   form.ticket_id,
                   form.company_id,
                   company.currency_id,
                   ticket.partner_id,
                   ticket.product_id,
                   crew.technician_id,
                   form.state,
                   ticket.is_billable,
                   form.planned_start,
                   form.arrival_date,
                   form.departure_date,
                   EXTRACT(EPOCH FROM form.departure_date - form.arrival_date) / 3600.0 AS duration_hours,
                   CASE WHEN form.arrival_date IS NULL OR ticket.requested_arrival IS NULL THEN NULL
                        WHEN form.arrival_date <= ticket.requested_arrival THEN 100.0 ELSE 0.0 END
                       AS arrived_on_time_pct,
                   1.0 / crew.size AS visit_count,
                   form.labour_hours / crew.size AS labour_hours,
                   costs.labour_cost / crew.size AS labour_cost,
                   costs.parts_cost / crew.size AS parts_cost,
                   COALESCE(form.travel_cost, 0) / crew.size AS travel_cost,
                   COALESCE(form.expense_amount, 0) / crew.size AS expense_amount,
                   (costs.labour_cost + costs.parts_cost + COALESCE(form.travel_cost, 0)
                    + COALESCE(form.expense_amount, 0)) / crew.size AS total_cost,
                   CASE WHEN ticket.is_billable THEN 0 ELSE (costs.labour_cost + costs.parts_cost
                        + COALESCE(form.travel_cost, 0) + COALESCE(form.expense_amount, 0)) / crew.size END
                       AS free_cost,
                   CASE WHEN ticket.is_billable THEN (costs.labour_cost + costs.parts_cost
                        + COALESCE(form.travel_cost, 0) + COALESCE(form.expense_amount, 0)) / crew.size ELSE 0 END
                       AS billable_cost,
                   COALESCE(form.fee_collected, 0) / crew.size AS fee_collected
              FROM aftersales_dispatch form
              JOIN crew ON crew.dispatch_id = form.id
              JOIN costs ON costs.id = form.id
              JOIN aftersales_ticket ticket ON ticket.id = form.ticket_id
              JOIN res_company company ON company.id = form.company_id
             WHERE form.active
        """
