import ast

from odoo import _, fields, models

from .aftersales_guard_mixin import MANAGER, editable, set_counts

ASSIGNMENTS = [
    ("manual", "Manual"),
    ("round_robin", "Round Robin"),
    ("balanced", "Balanced Load"),
]
# What still weighs on a member's load.
OPEN_TICKET_STATES = ("draft", "review", "quotation", "ready", "dispatched")


class AftersalesTeam(models.Model):
    """A service team (售后服务部 or one of its groups): its members share the requests that
    reach it, by its own email alias or when staff pick it, assigned in turn or by load."""

    _name = "aftersales.team"
    _description = "After-Sales Team"
    # The guard checks what a client sends before the alias mixin turns it into an alias.
    _inherit = ["aftersales.guard.mixin", "mail.alias.mixin"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    member_ids = fields.Many2many(
        "res.users",
        "aftersales_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        domain=[("share", "=", False)],
        check_company=True,
    )
    assignment = fields.Selection(
        ASSIGNMENTS,
        string="Assign New Requests",
        default="round_robin",
        required=True,
        help="Round robin: to each member in turn. Balanced load: to the member with the fewest open "
        "requests of the team. Manual: nobody until someone picks it.",
    )
    last_assigned_id = fields.Many2one("res.users", readonly=True, copy=False)
    ticket_ids = fields.One2many("aftersales.ticket", "team_id", string="Tickets")
    open_ticket_count = fields.Integer(string="Open Requests", compute="_compute_open_ticket_count")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "A team with this name already exists in this company."),
    ]

    def _editable_fields(self):
        return super()._editable_fields() + [
            editable(
                "name sequence active color company_id member_ids assignment alias_name alias_contact", None, MANAGER
            )
        ]

    def _compute_open_ticket_count(self):
        set_counts(self, "open_ticket_count", "aftersales.ticket", "team_id", [("state", "in", OPEN_TICKET_STATES)])

    # ------------------------------------------------------------------
    # Mail alias: an email to the team's address registers a request of the team
    # ------------------------------------------------------------------

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("aftersales.ticket")
        if self.id:
            defaults = ast.literal_eval(self.alias_defaults or "{}")
            defaults.update({"team_id": self.id, "company_id": self.company_id.id})
            values["alias_defaults"] = repr(defaults)
        return values

    # ------------------------------------------------------------------
    # Assignment
    # ------------------------------------------------------------------

    def _next_assignees(self, count):
        """Who the next ``count`` requests of this team go to (a list of users, one per request),
        by the team's rule; empty when manual or without active members."""
        self.ensure_one()
        members = self.member_ids.filtered("active").sorted("id")
        if self.assignment == "manual" or not members:
            return []
        if self.assignment == "balanced":
            return self._least_loaded(members, count)
        start = 0
        if self.last_assigned_id in members:
            start = members.ids.index(self.last_assigned_id.id) + 1
        return [members[(start + step) % len(members)] for step in range(count)]

    def _take_turns(self, count):
        """The next ``count`` assignees (``_next_assignees``), the team remembering the last one."""
        assignees = self._next_assignees(count)
        if assignees:
            self.last_assigned_id = assignees[-1]
        return assignees

    def _least_loaded(self, members, count):
        load = dict(
            self.env["aftersales.ticket"]
            .sudo()
            ._read_group(
                [("team_id", "=", self.id), ("user_id", "in", members.ids), ("state", "in", OPEN_TICKET_STATES)],
                ["user_id"],
                ["__count"],
            )
        )
        load = {member: load.get(member, 0) for member in members}
        chosen = []
        for _index in range(count):
            member = min(members, key=lambda user: (load[user], user.id))
            load[member] += 1
            chosen.append(member)
        return chosen

    def action_view_tickets(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_service.aftersales_ticket_action")
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id}
        action["name"] = _("Requests of %(team)s", team=self.name)
        return action
