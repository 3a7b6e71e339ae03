from odoo import fields, models

from ..models.aftersales_ticket import REQUEST_TYPES


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
    request_type = fields.Selection(REQUEST_TYPES, string="Service Type", readonly=True)
    region_id = fields.Many2one("res.country.state", readonly=True)
    city = fields.Char(readonly=True)
    technician_id = fields.Many2one("res.users", readonly=True)
    assigned_by_id = fields.Many2one("res.users", string="Dispatcher", readonly=True)
    state = fields.Selection(
        [("planned", "Planned"), ("on_site", "On Site"), ("done", "Done"), ("filed", "Filed"), ("cancel", "Cancelled")],
        readonly=True,
    )
    is_billable = fields.Boolean(string="Paid Service", readonly=True)
    planned_start = fields.Datetime(readonly=True)
    requested_arrival = fields.Datetime(string="Required Arrival", readonly=True)
    arrival_date = fields.Datetime(string="Arrived On", readonly=True)
    departure_date = fields.Datetime(string="Left On", readonly=True)
    duration_hours = fields.Float(string="Time on Site (hours)", readonly=True)
    arrived_on_time_pct = fields.Float(string="Arrived on Time (%)", readonly=True, aggregator="avg")
    visit_count = fields.Float(string="Visits", readonly=True)
    labour_hours = fields.Float(readonly=True)
    labour_cost = fields.Monetary(readonly=True)
    parts_cost = fields.Monetary(readonly=True)
    travel_cost = fields.Monetary(string="Transport", readonly=True)
    lodging_cost = fields.Monetary(string="Lodging", readonly=True)
    allowance_amount = fields.Monetary(string="Travel Allowance", readonly=True)
    expense_amount = fields.Monetary(string="Other Expenses", readonly=True)
    total_cost = fields.Monetary(readonly=True)
    free_cost = fields.Monetary(string="Warranty Cost", readonly=True, help="Cost of free (warranty) work.")
    billable_cost = fields.Monetary(string="Billed Work Cost", readonly=True)
    fee_collected = fields.Monetary(string="Fee Collected on Site", readonly=True)
    # Cost set against income (成本报表): the untaxed amount of the confirmed order the work is
    # billed on, shared between the forms billed on it.
    revenue = fields.Monetary(string="Billed Revenue", readonly=True)
    margin = fields.Monetary(readonly=True)

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
            ), billed AS (
                SELECT form.id AS dispatch_id,
                       billing.amount_untaxed / COALESCE(NULLIF(billing.currency_rate, 0), 1)
                           / COUNT(*) OVER (PARTITION BY billing.id) AS revenue
                  FROM aftersales_dispatch form
                  JOIN sale_order billing ON billing.id = form.sale_order_id AND billing.state = 'sale'
                 WHERE form.active AND form.state != 'cancel'
            ), costs AS (
                SELECT form.id,
                       COALESCE(form.labour_hours, 0) * COALESCE(company.aftersales_labour_cost_rate, 0) AS labour_cost,
                       COALESCE(parts.cost, 0) AS parts_cost,
                       COALESCE(form.travel_cost, 0) + COALESCE(form.lodging_cost, 0)
                           + COALESCE(form.allowance_amount, 0) + COALESCE(form.expense_amount, 0) AS expenses,
                       COALESCE(billed.revenue, 0) AS revenue
                  FROM aftersales_dispatch form
                  JOIN res_company company ON company.id = form.company_id
             LEFT JOIN parts ON parts.dispatch_id = form.id
             LEFT JOIN billed ON billed.dispatch_id = form.id
            ), totals AS (
                SELECT *, labour_cost + parts_cost + expenses AS total FROM costs
            )
            SELECT row_number() OVER (ORDER BY form.id, crew.technician_id) AS id,
                   form.id AS dispatch_id,
                   form.ticket_id,
                   form.company_id,
                   company.currency_id,
                   ticket.partner_id,
                   ticket.product_id,
                   ticket.request_type,
                   customer.state_id AS region_id,
                   customer.city,
                   crew.technician_id,
                   form.assigned_by_id,
                   form.state,
                   ticket.is_billable,
                   form.planned_start,
                   ticket.requested_arrival,
                   form.arrival_date,
                   form.departure_date,
                   EXTRACT(EPOCH FROM form.departure_date - form.arrival_date) / 3600.0 AS duration_hours,
                   CASE WHEN form.arrival_date IS NULL OR ticket.requested_arrival IS NULL THEN NULL
                        WHEN form.arrival_date <= ticket.requested_arrival THEN 100.0 ELSE 0.0 END
                       AS arrived_on_time_pct,
                   1.0 / crew.size AS visit_count,
                   COALESCE(form.labour_hours, 0) / crew.size AS labour_hours,
                   costs.labour_cost / crew.size AS labour_cost,
                   costs.parts_cost / crew.size AS parts_cost,
                   COALESCE(form.travel_cost, 0) / crew.size AS travel_cost,
                   COALESCE(form.lodging_cost, 0) / crew.size AS lodging_cost,
                   COALESCE(form.allowance_amount, 0) / crew.size AS allowance_amount,
                   COALESCE(form.expense_amount, 0) / crew.size AS expense_amount,
                   costs.total / crew.size AS total_cost,
                   CASE WHEN ticket.is_billable THEN 0 ELSE costs.total / crew.size END AS free_cost,
                   CASE WHEN ticket.is_billable THEN costs.total / crew.size ELSE 0 END AS billable_cost,
                   COALESCE(form.fee_collected, 0) / crew.size AS fee_collected,
                   costs.revenue / crew.size AS revenue,
                   (costs.revenue - costs.total) / crew.size AS margin
              FROM aftersales_dispatch form
              JOIN crew ON crew.dispatch_id = form.id
              JOIN totals costs ON costs.id = form.id
              JOIN aftersales_ticket ticket ON ticket.id = form.ticket_id
         LEFT JOIN res_partner customer ON customer.id = ticket.partner_id
              JOIN res_company company ON company.id = form.company_id
             WHERE form.active
        """
