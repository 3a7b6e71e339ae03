from odoo import _, api, fields, models
from odoo.tools import SQL

from .aftersales_ticket import OPEN_STATES


class AftersalesTicketResponse(models.Model):
    """The hourly job that flags tickets whose 24-hour answer (24小时内答复) is overdue and
    escalates them to the managers, in batches that two servers never take twice."""

    # One concern of the ticket per file, so that the ticket stays readable (see aftersales_ticket.py).
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cron_flag_response_breaches(self, batch_size=5000):
        """Flag unanswered tickets whose response deadline passed, once, and give the
        manager one activity per newly overdue ticket (see ``_cron_in_batches``)."""
        return self._cron_in_batches(
            self._response_breach_domain(),
            batch_size,
            lambda overdue: overdue._flag_response_breach(),
            order="response_deadline, id",
        )

    @api.model
    def _cron_in_batches(self, domain, batch_size, process, order="id"):
        """``process`` the tickets of ``domain``, ``batch_size`` at a time, each batch locked
        (``FOR NO KEY UPDATE SKIP LOCKED``): a second run at the same time skips them, and one
        that read the tickets before this run committed fails to lock them rather than process
        them twice. Run by the scheduler, one call processes one batch and reports its
        progress; the scheduler commits and calls again."""
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        done = 0
        while True:
            batch = self._lock_for_update(domain, batch_size, order=order)
            if batch:
                process(batch)
                done += len(batch)
            if len(batch) < batch_size or in_cron:
                break
        remaining = self.search_count(domain) if in_cron and len(batch) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return True

    @api.model
    def _response_breach_domain(self):
        return [
            ("state", "in", OPEN_STATES),
            ("first_response_date", "=", False),
            ("response_breached", "=", False),
            ("response_deadline", "<", fields.Datetime.now()),
        ]

    @api.model
    def _lock_for_update(self, domain, limit, order="id"):
        """Up to ``limit`` tickets matching ``domain`` that no other transaction holds, locked."""
        query = self._search(domain, order=order, limit=limit)
        rows = self.env.execute_query(
            SQL("%s FOR NO KEY UPDATE OF %s SKIP LOCKED", query.select(), SQL.identifier(self._table))
        )
        return self.browse(row[0] for row in rows)

    def _flag_response_breach(self):
        # The flag is not tracked: no tracked value of thousands of tickets to read and compare.
        self.with_context(tracking_disable=True).write({"response_breached": True})
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        managers = {company: company._aftersales_escalation_users("manager") for company in self.company_id}
        # Translated once per batch, not once per ticket (a batch holds thousands).
        summary = _("Response overdue")
        note = _("%(ticket)s was not answered within %(hours)s hours.")
        today = fields.Date.context_today(self)
        # One to-do per ticket and manager, without a notification mail each, written in bulk:
        # a run may flag thousands of tickets.
        self.env["mail.activity"]._aftersales_bulk_create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "activity_type_id": todo.id,
                    "summary": summary,
                    "note": note % {"ticket": ticket.name, "hours": ticket.company_id.aftersales_response_hours},
                    "user_id": manager.id,
                    "date_deadline": today,
                }
                for ticket in self
                for manager in managers[ticket.company_id]
            ]
        )
