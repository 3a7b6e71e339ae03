from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import CUSTOMER_MAIL, AftersalesCommon


@tagged("post_install", "-at_install")
class TestTeams(AftersalesCommon):
    """Service teams share the requests that reach them; tags label requests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "aftersales_service.group_aftersales_user"
        cls.member_a = new_test_user(cls.env, "as_team_a", groups=groups)
        cls.member_b = new_test_user(cls.env, "as_team_b", groups=groups)
        cls.member_c = new_test_user(cls.env, "as_team_c", groups=groups)
        cls.team = cls.env["aftersales.team"].create(
            {"name": "North", "member_ids": [(6, 0, (cls.member_a | cls.member_b | cls.member_c).ids)]}
        )
        cls.tag = cls.env["aftersales.tag"].create({"name": "Key account"})

    def tickets_of_team(self, count, **values):
        return self.env["aftersales.ticket"].create(
            [
                {"partner_id": self.customer.id, "title": f"Req {i}", "team_id": self.team.id, **values}
                for i in range(count)
            ]
        )

    def test_round_robin_gives_each_member_in_turn(self):
        tickets = self.tickets_of_team(4)
        self.assertEqual(tickets.mapped("user_id").ids, (self.member_a | self.member_b | self.member_c).ids)
        self.assertEqual(
            [ticket.user_id for ticket in tickets], [self.member_a, self.member_b, self.member_c, self.member_a]
        )
        self.assertEqual(self.team.last_assigned_id, self.member_a)
        (later,) = self.tickets_of_team(1)
        self.assertEqual(later.user_id, self.member_b, "the turn goes on from the last one")

    def test_balanced_load_gives_the_member_with_the_fewest_open_requests(self):
        self.team.assignment = "balanced"
        self.tickets_of_team(2, user_id=self.member_a.id)
        done = self.tickets_of_team(3, user_id=self.member_b.id)
        done.action_cancel()  # cancelled ones weigh nothing
        self.tickets_of_team(1, user_id=self.member_c.id)
        first, second, third = self.tickets_of_team(3)
        self.assertEqual((first.user_id, second.user_id, third.user_id), (self.member_b, self.member_b, self.member_c))

    def test_manual_team_and_a_named_responsible_are_left_alone(self):
        (named,) = self.tickets_of_team(1, user_id=self.user_sales.id)
        self.assertEqual(named.user_id, self.user_sales)
        self.team.assignment = "manual"
        (manual,) = self.tickets_of_team(1, user_id=False)
        self.assertFalse(manual.user_id)

    def typed_request(self, creator, title, responsible=None):
        """A request registered in the form by ``creator``, filed into the team."""
        with Form(self.env["aftersales.ticket"].with_user(creator)) as form:
            form.partner_id = self.customer
            form.title = title
            form.team_id = self.team
            self.assertEqual(form.user_id, creator, "the form proposes its creator")
            if responsible:
                form.user_id = responsible
        return form.record

    def test_a_request_typed_into_a_team_goes_by_the_teams_rule(self):
        """The form proposes its creator as responsible; filed into a team with a rule, the request
        goes to the member the rule picks, unless the creator named someone else."""
        creator = self.user_sales
        ticket = self.typed_request(creator, "Grinding noise")
        self.assertEqual(ticket.user_id, self.member_a, "round robin, not the form's default")
        # A colleague named by hand (by someone who may file requests for others) stays.
        ticket = self.typed_request(self.user_tech, "Leak", responsible=self.member_c)
        self.assertEqual(ticket.user_id, self.member_c)
        self.assertEqual(self.team.last_assigned_id, self.member_a, "a chosen responsible takes no turn")
        self.team.assignment = "balanced"
        self.assertEqual(self.typed_request(creator, "Noise again").user_id, self.member_b, "no open request")
        self.team.assignment = "manual"
        self.assertEqual(self.typed_request(creator, "Manual").user_id, creator, "without a rule, the creator's")

    def test_an_email_to_the_teams_alias_registers_a_request_of_the_team(self):
        domain = self.env["mail.alias.domain"].create({"name": "service.example"})
        self.company.alias_domain_id = domain
        self.team.write({"alias_name": "north", "alias_domain_id": domain.id})
        self.assertEqual(self.team.alias_email, "north@service.example")
        ticket_id = self.env["mail.thread"].message_process(
            False,
            CUSTOMER_MAIL.format(
                email="service@huabei.example", to="north@service.example", subject="Grinding noise", msgid="team-1"
            ),
        )
        ticket = self.env["aftersales.ticket"].browse(ticket_id)
        self.assertEqual((ticket.team_id, ticket.partner_id, ticket.channel), (self.team, self.customer, "email"))
        self.assertEqual(ticket.user_id, self.member_a, "the team's rule assigns it")

    def test_only_managers_configure_teams_and_tags(self):
        with self.assertRaises(AccessError):
            self.team.with_user(self.user_sales).write({"assignment": "manual"})
        with self.assertRaises(AccessError):
            self.env["aftersales.tag"].with_user(self.user_sales).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.team.with_user(self.user_manager).write({"last_assigned_id": self.member_c.id})
        self.team.with_user(self.user_manager).write({"assignment": "balanced", "alias_name": "north-team"})
        self.assertEqual(self.team.assignment, "balanced")

    def test_staff_label_and_group_requests_by_team_and_tag(self):
        ticket = self.new_ticket(user_id=self.user_sales.id)
        ticket.with_user(self.user_sales).write({"team_id": self.team.id, "tag_ids": [(6, 0, self.tag.ids)]})
        Ticket = self.env["aftersales.ticket"]
        by_team = dict(Ticket._read_group([("id", "=", ticket.id)], ["team_id"], ["__count"]))
        by_tag = dict(Ticket._read_group([("id", "=", ticket.id)], ["tag_ids"], ["__count"]))
        self.assertEqual((by_team, by_tag), ({self.team: 1}, {self.tag: 1}))
        Analysis = self.env["aftersales.ticket.analysis"]
        rows = dict(Analysis._read_group([("ticket_id", "=", ticket.id)], ["tag_ids"], ["ticket_count:sum"]))
        self.assertEqual(rows, {self.tag: 1}, "the reports group by tag")
        rows = dict(Analysis._read_group([("ticket_id", "=", ticket.id)], ["team_id"], ["ticket_count:sum"]))
        self.assertEqual(rows, {self.team: 1}, "and by team")

    def test_another_companys_team_is_hidden(self):
        other = self.env["res.company"].create({"name": "Second Branch"})
        team = self.env["aftersales.team"].create({"name": "South", "company_id": other.id})
        self.assertFalse(self.env["aftersales.team"].with_user(self.user_manager).search([("id", "=", team.id)]))
