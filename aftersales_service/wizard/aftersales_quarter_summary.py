from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AftersalesQuarterSummary(models.TransientModel):
    """Print the quarter's maintenance summary (季度维护内容总结) for quality and engineering."""

    _name = "aftersales.quarter.summary"
    _description = "Quarterly Maintenance Summary"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    year = fields.Integer(required=True, default=lambda self: self._default_quarter()[0])
    quarter = fields.Selection(
        [("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")],
        required=True,
        default=lambda self: str(self._default_quarter()[1]),
    )
    date_from = fields.Date(compute="_compute_dates")
    date_to = fields.Date(compute="_compute_dates")

    @api.model
    def _default_quarter(self):
        """The last finished quarter."""
        last = fields.Date.context_today(self) - relativedelta(months=3)
        return last.year, (last.month - 1) // 3 + 1

    @api.depends("year", "quarter")
    def _compute_dates(self):
        for wizard in self:
            start = fields.Date.to_date(f"{wizard.year}-01-01") + relativedelta(months=3 * (int(wizard.quarter) - 1))
            wizard.date_from = start
            wizard.date_to = start + relativedelta(months=3, days=-1)

    @api.constrains("year")
    def _check_year(self):
        for wizard in self:
            if not 2000 <= wizard.year <= 2100:
                raise UserError(_("Choose a year between 2000 and 2100."))

    def action_print(self):
        self.ensure_one()
        return self.env.ref("aftersales_service.action_report_quarter_summary").report_action(self)

    def _summary(self):
        """The figures of the quarter, grouped in SQL (no loop over tickets)."""
        self.ensure_one()
        self.env.flush_all()  # the analysis is an SQL view over the tickets
        Analysis = self.env["aftersales.ticket.analysis"]
        domain = [
            ("company_id", "=", self.company_id.id),
            ("request_date", ">=", fields.Datetime.to_datetime(self.date_from)),
            ("request_date", "<", fields.Datetime.to_datetime(self.date_to + relativedelta(days=1))),
        ]
        [(tickets, repeats, majors, on_time, repair_hours, site_hours)] = Analysis._read_group(
            domain,
            [],
            [
                "ticket_count:sum",
                "repeat_count:sum",
                "major_count:sum",
                "response_on_time_pct:avg",
                "repair_hours:avg",
                "site_hours:avg",
            ],
        )
        by_product = Analysis._read_group(
            domain,
            ["product_id"],
            ["ticket_count:sum", "repeat_count:sum", "major_count:sum"],
            order="ticket_count:sum desc",
            limit=10,
        )
        by_fault = Analysis._read_group(
            domain,
            ["fault_category_id"],
            ["ticket_count:sum", "repeat_count:sum"],
            order="ticket_count:sum desc",
            limit=10,
        )
        flagged = self.env["aftersales.ticket"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("request_date", ">=", domain[1][2]),
                ("request_date", "<", domain[2][2]),
                ("state", "!=", "cancel"),
                "|",
                ("is_repeat", "=", True),
                ("is_major", "=", True),
            ],
            order="request_date",
        )
        return {
            "tickets": tickets or 0,
            "repeats": repeats or 0,
            "majors": majors or 0,
            "repeat_rate": 100.0 * (repeats or 0) / tickets if tickets else 0.0,
            "on_time": on_time or 0.0,
            "repair_hours": repair_hours or 0.0,
            "site_hours": site_hours or 0.0,
            # The departments' conclusions and corrective actions on this quarter (P3 std 6).
            "review": self.env["aftersales.quality.review"].search(
                [("company_id", "=", self.company_id.id), ("year", "=", self.year), ("quarter", "=", self.quarter)],
                limit=1,
            ),
            "by_product": by_product,
            "by_fault": by_fault,
            "flagged": flagged,
        }
