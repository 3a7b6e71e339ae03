from odoo.tests import tagged

from .common import AftersalesCommon
from .public_methods import PublicMethodsMixin


@tagged("post_install", "-at_install")
class TestServicePublicMethods(PublicMethodsMixin, AftersalesCommon):
    def probe_records(self):
        order = self.sell(partner=self.other_customer)
        ticket = self.new_ticket(
            partner_id=self.other_customer.id,
            request_type="consultation",
            review_note="<p>Visit</p>",
            sale_order_id=order.id,
        )
        ticket.action_submit_review()
        ticket.action_approve()
        ticket.action_dispatch()
        form = ticket.dispatch_ids
        form.part_line_ids = [(0, 0, {"product_id": self.seal.id, "quantity": 1})]
        change = self.env["aftersales.change.request"].create(
            {"dispatch_id": form.id, "request_type": "alternative", "reason": "Replace the unit"}
        )
        solution = self.env["aftersales.fault.solution"].create(
            {"fault_category_id": self.fault.id, "symptom": "Noise", "solution": "Tighten"}
        )
        ticket.action_dispute()
        inspection = ticket.inspection_ids
        complaint = self.new_ticket(
            partner_id=self.other_customer.id, request_type="complaint", sale_line_id=order.order_line.id
        )
        settlement = self.env["aftersales.settlement"].create(
            {"ticket_id": complaint.id, "line_ids": [(0, 0, {"sale_line_id": order.order_line.id})]}
        )
        return [
            ticket,
            form,
            form.part_line_ids,
            change,
            solution,
            inspection,
            self.fault,
            order,
            complaint,
            settlement,
            settlement.line_ids,
            self.env["aftersales.team"].create({"name": "Probe team"}),
        ]
