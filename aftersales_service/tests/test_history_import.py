from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftersalesCommon

TICKETS_CSV = b"""name,partner_id,title,request_type,state,request_date,close_date
OLD-0001,Huabei Water Works,Seal replaced,repair,closed,2024-03-01 08:00:00,2024-03-05 17:00:00
OLD-0002,Huabei Water Works,Operator trained,training,closed,2024-04-01 08:00:00,2024-04-02 12:00:00
"""
OPEN_CSV = b"""partner_id,title,state
Huabei Water Works,Still open,dispatched
"""


@tagged("post_install", "-at_install")
class TestHistoryImport(AftersalesCommon):
    """Moving from a previous system: an after-sales manager imports finished documents with
    Odoo's import tool; nobody else does, whatever the context says."""

    def run_import(self, user, content, model="aftersales.ticket", context=None):
        Import = self.env["base_import.import"].with_user(user).with_context(**(context or {}))
        wizard = Import.create({"res_model": model, "file": content, "file_type": "text/csv"})
        header = content.decode().splitlines()[0].split(",")
        options = {"quoting": '"', "separator": ",", "has_headers": True}
        return wizard.execute_import(header, header, options)

    def imported(self):
        return self.env["aftersales.ticket"].search([("name", "in", ("OLD-0001", "OLD-0002"))])

    def test_a_manager_imports_closed_tickets(self):
        result = self.run_import(self.user_manager, TICKETS_CSV)
        self.assertFalse([m for m in result["messages"] if m["type"] == "error"], result["messages"])
        tickets = self.imported()
        self.assertEqual(len(tickets), 2)
        self.assertEqual(set(tickets.mapped("state")), {"closed"})
        self.assertEqual(str(tickets.sorted("name")[0].close_date), "2024-03-05 17:00:00", "its history is kept")
        customer_messages = tickets.message_ids.filtered(lambda message: self.customer in message.partner_ids)
        self.assertFalse(customer_messages, "the customer is not told again about old requests")

    def test_others_cannot_import_history(self):
        for user in (self.user_sales, self.user_quality):
            result = self.run_import(user, TICKETS_CSV)
            errors = " ".join(m["message"] for m in result["messages"] if m["type"] == "error")
            self.assertIn("may import historical", errors, user.login)
            self.assertFalse(self.imported())

    def test_the_import_context_key_grants_nothing(self):
        values = {"partner_id": self.customer.id, "title": "Forged", "state": "closed"}
        forged = {"import_file": True, "aftersales_importing_history": True}
        Ticket = self.env["aftersales.ticket"].with_context(**forged)
        with self.assertRaisesRegex(AccessError, "may import historical"):
            Ticket.with_user(self.user_sales).create(values)
        with self.assertRaisesRegex(UserError, "only by importing history"):
            Ticket.with_user(self.user_manager).create(values)
        result = self.run_import(self.user_sales, TICKETS_CSV, context=forged)
        self.assertTrue([m for m in result["messages"] if m["type"] == "error"])
        self.assertFalse(self.imported())

    def test_open_documents_are_not_imported_in_a_later_state(self):
        result = self.run_import(self.user_manager, OPEN_CSV)
        errors = " ".join(m["message"] for m in result["messages"] if m["type"] == "error")
        self.assertIn("changes only through its actions", errors)
        self.assertFalse(self.env["aftersales.ticket"].search([("title", "=", "Still open")]))

    def test_a_manager_imports_filed_field_forms(self):
        ticket = self.new_ticket(request_type="consultation")
        content = (
            "ticket_id/.id,state,planned_start,arrival_date,departure_date,signed_by,labour_hours\n"
            f"{ticket.id},filed,2024-03-02 08:00:00,2024-03-02 09:00:00,2024-03-02 15:00:00,Li Wei,6\n"
        ).encode()
        result = self.run_import(self.user_manager, content, model="aftersales.dispatch")
        self.assertFalse([m for m in result["messages"] if m["type"] == "error"], result["messages"])
        form = ticket.dispatch_ids
        self.assertEqual((form.state, form.signed_by, form.labour_hours), ("filed", "Li Wei", 6))
        result = self.run_import(self.user_tech, content, model="aftersales.dispatch")
        self.assertIn("may import historical", " ".join(m["message"] for m in result["messages"]))
        self.assertEqual(len(ticket.dispatch_ids), 1)
