from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, plaintext2html, split_every

from odoo.addons.aftersales_service.models.aftersales_guard_mixin import (
    customer_field,
    editable,
    form_action,
    staff_field,
    transition,
)
from odoo.addons.aftersales_service.models.aftersales_state_mixin import state_field

from .aftersales_revisit_tier import REVISIT_CHANNELS

REVISIT_STATES = [("planned", "Planned"), ("done", "Done"), ("cancel", "Cancelled")]
# High-water mark of the revisit planner (ir.config_parameter): UTC datetime of the last
# complete run's scan, or REVISIT_MARK_NEVER before the first one.
REVISIT_MARK_KEY = "aftersales_survey.revisit_mark"
REVISIT_MARK_NEVER = "never"
REVISIT_OUTCOMES = [("satisfied", "Satisfied"), ("suggestion", "Suggestion"), ("complaint", "Complaint")]


class AftersalesRevisit(models.Model):
    """A scheduled revisit (回访) of a key or long-term customer."""

    _name = "aftersales.revisit"
    _description = "Customer Revisit"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.state.mixin", "aftersales.interest.mixin"]
    # A card dropped on a kanban column runs that column's action (see aftersales.state.mixin).
    # What each status allows (see aftersales.state.mixin).
    _actions = {
        "action_done": ("planned",),
        "action_send_email": ("planned",),
        "action_cancel": ("planned",),
        "action_reset_planned": ("cancel",),
    }
    _state_actions = {"done": "action_done", "cancel": "action_cancel", "planned": "action_reset_planned"}
    _order = "due_date, id"
    _check_company_auto = True
    _guard_links = ("sale_order_id",)

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    name = fields.Char(string="Reference", readonly=True, copy=False, default="New")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    partner_id = customer_field(help="The customer's commercial entity: a contact person is replaced by their company.")
    tier_id = fields.Many2one(related="partner_id.aftersales_tier_id", store=True)
    sale_order_id = fields.Many2one(
        "sale.order",
        index="btree_not_null",
        domain="[('partner_id', 'child_of', partner_id), ('state', '=', 'sale')]",
        check_company=True,
        ondelete="restrict",  # the order a revisit follows up is never lost
    )
    due_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True, index=True)
    done_date = fields.Date(string="Revisited On", readonly=True, copy=False)
    channel = fields.Selection(
        REVISIT_CHANNELS,
        required=True,
        tracking=True,
        compute="_compute_channel",
        store=True,
        readonly=False,
        precompute=True,
    )
    state = state_field(REVISIT_STATES, default="planned")
    outcome = fields.Selection(REVISIT_OUTCOMES, tracking=True, copy=False)
    note = fields.Text(string="Notes", help="What the customer said, their suggestions or complaints.")
    user_id = staff_field("Salesperson", index=True)
    is_overdue = fields.Boolean(string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue")
    ticket_id = fields.Many2one(
        "aftersales.ticket", string="Complaint Ticket", readonly=True, copy=False, check_company=True
    )
    feedback_id = fields.Many2one(
        "aftersales.feedback", string="Suggestion", readonly=True, copy=False, check_company=True
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("name", "partner_id.name")
    def _compute_display_name(self):
        # The calendar and the links from other records name the customer, not only the reference.
        for revisit in self:
            revisit.display_name = " · ".join(filter(None, [revisit.name, revisit.partner_id.name]))

    @api.depends("partner_id")
    def _compute_channel(self):
        for revisit in self:
            if not revisit.channel or revisit.partner_id.aftersales_tier_id:
                revisit.channel = revisit.partner_id.aftersales_tier_id.channel or revisit.channel or "phone"

    @api.depends("state", "due_date")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for revisit in self:
            revisit.is_overdue = revisit.state == "planned" and revisit.due_date < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Operation not supported on Overdue."))
        overdue = [("state", "=", "planned"), ("due_date", "<", fields.Date.context_today(self))]
        if (operator == "=") == value:
            return overdue
        return ["!", "&", *overdue]

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def _editable_fields(self):
        # Sales plans and records the revisit; once it took place (or was cancelled) it is history.
        return super()._editable_fields() + [
            editable(
                "company_id partner_id sale_order_id due_date channel user_id note outcome "
                "interest_product_ids interest_note",
                ("planned",),
            ),
        ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_partner(vals)
        return super().create(vals_list)

    @api.model
    def _prepare_new_values(self, vals_list):
        vals_list = super()._prepare_new_values(vals_list)
        self.env["ir.sequence"]._assign_names(vals_list, "aftersales.revisit")
        return vals_list

    def write(self, vals):
        self._normalize_partner(vals)
        return super().write(vals)

    def _normalize_partner(self, vals):
        """Revisits belong to the commercial partner, whoever was picked."""
        if vals.get("partner_id"):
            vals["partner_id"] = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(revisit.state == "done" for revisit in self):
            raise UserError(_("A revisit that took place cannot be deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @transition
    def action_done(self):
        """Record that the customer was revisited, with the outcome.

        A complaint opens an after-sales ticket; a suggestion is logged for sales."""
        self._check_action("action_done", _("mark as done"))
        missing = self.filtered(lambda revisit: not revisit.outcome)
        if missing:
            raise UserError(
                _(
                    "Record the outcome of revisit %(revisit)s (satisfied, suggestion or complaint) "
                    "before marking it as done.",
                    revisit=missing[0].name,
                )
            )
        self._write_transition({"state": "done", "done_date": fields.Date.context_today(self)})
        for revisit in self:
            if revisit.outcome == "complaint":
                revisit._open_complaint_ticket()
            elif revisit.outcome == "suggestion":
                revisit._log_suggestion()
        self.activity_feedback(["mail.mail_activity_data_todo"], feedback=_("Customer revisited."))
        return True

    @transition
    def action_cancel(self):
        self._run_action("action_cancel", _("cancel"), {"state": "cancel"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    @transition
    def action_reset_planned(self):
        return self._run_action("action_reset_planned", _("plan again"), {"state": "planned"})

    def action_send_email(self):
        """Revisit by email: send the shipped revisit letter to the customer."""
        self._check_action("action_send_email", _("send the revisit email of"))
        wrong = self.filtered(lambda revisit: revisit.channel != "email")
        if wrong:
            raise UserError(_("Revisit %(revisit)s is not done by email.", revisit=wrong[0].name))
        no_email = self.filtered(lambda revisit: not revisit.partner_id.email)
        if no_email:
            raise UserError(
                _("Customer %(customer)s has no email address.", customer=no_email[0].partner_id.display_name)
            )
        template = self.env.ref("aftersales_survey.mail_template_revisit")
        self.message_post_with_source(template, subtype_xmlid="mail.mt_comment", message_type="comment")
        return True

    def action_view_ticket(self):
        self.ensure_one()
        return form_action(self.ticket_id)

    def _interest_partner(self):
        return self.partner_id

    @api.model
    def action_generate_revisits(self):
        """Public (XML-RPC) entry point of the revisit planner: plans the revisits of the caller's
        own companies (the planner runs as superuser) and returns how many were created."""
        self.check_access("create")
        return len(self.sudo()._cron_generate_revisits(companies=self.env.companies))

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _prepare_ticket_values(self):
        self.ensure_one()
        ticket_channels = dict(self.env["aftersales.ticket"]._fields["channel"].selection)
        return {
            "partner_id": self.partner_id.id,
            "sale_order_id": self.sale_order_id.id,
            "company_id": self.company_id.id,
            "request_type": "complaint",
            "channel": self.channel if self.channel in ticket_channels else "other",
            "title": _("Complaint from revisit %(revisit)s", revisit=self.name),
            "description": plaintext2html(self.note) if self.note else False,
            "user_id": self.user_id.id,
        }

    def _open_complaint_ticket(self):
        self.ensure_one()
        ticket = self.env["aftersales.ticket"].create(self._prepare_ticket_values())
        self.ticket_id = ticket
        self.message_post(body=_("Complaint ticket %(ticket)s opened.", ticket=ticket.name))
        ticket.message_post(body=_("Opened from revisit %(revisit)s.", revisit=self.name))
        return ticket

    def _log_suggestion(self):
        self.ensure_one()
        feedback = self.env["aftersales.feedback"].create(
            {
                "partner_id": self.partner_id.id,
                "kind": "suggestion",
                "severity": "minor",
                "description": self.note or _("Suggestion made during revisit %(revisit)s.", revisit=self.name),
                "revisit_id": self.id,
                "user_id": self.user_id.id,
                "company_id": self.company_id.id,
            }
        )
        self.feedback_id = feedback
        return feedback

    @api.model
    def _cron_generate_revisits(self, batch_size=1000, companies=None):
        """Plan the next revisit of every tiered customer with confirmed sales.

        Due = max(latest order confirmation, last revisit done) + the tier's interval.
        One planned revisit per customer at a time, so running it again creates nothing.

        Incremental: after a complete run, the planner keeps a high-water mark (the
        ``aftersales_survey.revisit_mark`` parameter) and then only looks again at the
        customers for whom something changed since: an order confirmed or modified, a
        revisit done or cancelled, the customer (or its tier) edited. Everything is read
        with grouped queries: the cost does not grow with the orders.

        Safe to run twice at once: the mark's row is locked for the whole run and a second
        run that finds it locked plans nothing. Run by the scheduler, one call plans one
        batch and reports its progress, so the scheduler resumes with the next batch.

        ``companies`` limits a run started by a user to their companies; such a run leaves the
        high-water mark where it was, so the scheduler's next run still covers every company."""
        mark = self._lock_revisit_mark()
        cron = self.env["ir.cron"]
        if mark is False:
            cron._notify_progress(done=0, remaining=0)
            return self.browse()
        scan_start = self._revisit_scan_start()
        todo_ids, latest, last_done = self._revisit_todo(mark, companies)
        batches = list(split_every(batch_size, todo_ids))
        if self.env.context.get("ir_cron_progress_id"):
            batches = batches[:1]  # the scheduler commits and calls again for the rest
        created = self.browse()
        for batch in batches:
            created |= self._create_revisits_batch(self.env["res.partner"].browse(batch), latest, last_done)
        remaining = len(todo_ids) - len(created)
        # Always rewrite the row: a concurrent run that read before this one commits then
        # fails to lock it instead of planning the same customers again.
        self._write_revisit_mark(mark if remaining or companies is not None else scan_start)
        cron._notify_progress(done=len(created), remaining=remaining)
        return created

    def _lock_revisit_mark(self):
        """Lock the planner's high-water mark: its datetime, None before the first complete
        run, False when another run holds it."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT value FROM ir_config_parameter WHERE key = %s FOR NO KEY UPDATE SKIP LOCKED",
                REVISIT_MARK_KEY,
            )
        )
        row = cr.fetchone()
        if row is None:
            cr.execute(SQL("SELECT 1 FROM ir_config_parameter WHERE key = %s", REVISIT_MARK_KEY))
            if cr.fetchone():
                return False  # the row exists and another run holds it
            cr.execute(
                SQL(
                    """INSERT INTO ir_config_parameter (key, value, create_uid, write_uid, create_date, write_date)
                       VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (key) DO NOTHING RETURNING value""",
                    REVISIT_MARK_KEY,
                    REVISIT_MARK_NEVER,
                    self.env.uid,
                    self.env.uid,
                    cr.now(),
                    cr.now(),
                )
            )
            row = cr.fetchone()
            if row is None:
                return False  # another run created it meanwhile
        value = row[0]
        return None if value == REVISIT_MARK_NEVER else fields.Datetime.to_datetime(value)

    def _write_revisit_mark(self, mark):
        self.env.cr.execute(
            SQL(
                "UPDATE ir_config_parameter SET value = %s, write_uid = %s, write_date = %s WHERE key = %s",
                fields.Datetime.to_string(mark) if mark else REVISIT_MARK_NEVER,
                self.env.uid,
                self.env.cr.now(),
                REVISIT_MARK_KEY,
            )
        )

    def _revisit_scan_start(self):
        """The time from which the next run must look again: this transaction's start, or
        the start of the oldest transaction still running on the database, whose writes
        (stamped with its own start) this run cannot see yet."""
        self.env.cr.execute(
            SQL(
                """SELECT COALESCE(EXTRACT(EPOCH FROM now() - MIN(xact_start)), 0)
                     FROM pg_stat_activity
                    WHERE datname = current_database() AND xact_start IS NOT NULL"""
            )
        )
        lag = max(float(self.env.cr.fetchone()[0]), 0.0)
        return self.env.cr.now() - timedelta(seconds=lag)

    def _revisit_candidates(self, mark):
        """Commercial partners for whom something that plans a revisit changed since ``mark``."""
        since = [("write_date", ">=", mark)]
        orders = self.env["sale.order"].search([("state", "=", "sale"), *since])
        closed = self.search([("state", "!=", "planned"), *since])
        partners = self.env["res.partner"].with_context(active_test=False).search(since)
        return (orders.partner_id | closed.partner_id | partners).commercial_partner_id

    def _revisit_todo(self, mark, companies=None):
        """Customers to plan (sorted ids), their latest order and their last revisit done."""
        domain = [("state", "=", "sale"), ("partner_id.commercial_partner_id.aftersales_tier_id", "!=", False)]
        if companies is not None:
            domain.append(("company_id", "in", companies.ids))
        if mark is not None:
            candidates = self._revisit_candidates(mark)
            if not candidates:
                return [], {}, {}
            domain.append(("partner_id.commercial_partner_id", "in", candidates.ids))
        # Latest confirmed order per ordering contact, one grouped query for all orders.
        groups = self.env["sale.order"]._read_group(domain, ["partner_id"], ["date_order:max", "id:max"])
        latest = {}  # commercial partner id -> (date of latest order, order id)
        for partner, last_date, last_id in groups:
            commercial = partner.commercial_partner_id
            if commercial.id not in latest or (last_date, last_id) > latest[commercial.id]:
                latest[commercial.id] = (last_date, last_id)
        if not latest:
            return [], {}, {}
        open_partners = {
            partner.id
            for [partner] in self._read_group(
                [("state", "=", "planned"), ("partner_id", "in", list(latest))], ["partner_id"]
            )
        }
        last_done = {
            partner.id: done_date
            for partner, done_date in self._read_group(
                [("state", "=", "done"), ("partner_id", "in", list(latest))], ["partner_id"], ["done_date:max"]
            )
        }
        return sorted(set(latest) - open_partners), latest, last_done

    def _create_revisits_batch(self, partners, latest, last_done):
        """Create the revisits of ``partners`` and give each salesperson a To-Do."""
        orders = self.env["sale.order"].browse([latest[partner.id][1] for partner in partners])
        orders.fetch(["user_id", "company_id"])
        vals_list = []
        for partner in partners:
            order_date, order_id = latest[partner.id]
            order = orders.browse(order_id)
            start = max(order_date.date(), last_done.get(partner.id) or date.min)
            tier = partner.aftersales_tier_id
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "sale_order_id": order.id,
                    "company_id": order.company_id.id,
                    "due_date": start + relativedelta(months=tier.interval_months),
                    "channel": tier.channel,
                    "user_id": order.user_id.id or False,
                }
            )
        revisits = self.with_context(tracking_disable=True, mail_create_nolog=True).create(vals_list)
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        activity_vals = []
        for revisit in revisits.filtered("user_id"):
            activity_vals.append(
                {
                    "res_model_id": model_id,
                    "res_id": revisit.id,
                    "activity_type_id": todo.id,
                    "summary": _("Revisit %(customer)s", customer=revisit.partner_id.name),
                    "date_deadline": revisit.due_date,
                    "user_id": revisit.user_id.id,
                    "automated": True,
                }
            )
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(activity_vals)
        return revisits
