from markupsafe import Markup

from odoo import _, fields, models
from odoo.exceptions import UserError

from .aftersales_guard_mixin import transition


class AftersalesInterestMixin(models.AbstractModel):
    """A visit that finds interest in our products or spare parts (宣传公司产品及配件)
    hands it to the customer's salesperson: an opportunity when CRM is installed,
    a draft quotation otherwise."""

    _name = "aftersales.interest.mixin"
    _description = "Sales Interest Noted on a Visit"

    interest_product_ids = fields.Many2many("product.product", string="Interested In")
    interest_note = fields.Text(string="Interest Notes", groups="aftersales_service.group_aftersales_user")
    opportunity_ref = fields.Reference(
        [("crm.lead", "Opportunity"), ("sale.order", "Quotation")], string="Sales Follow-up", readonly=True, copy=False
    )

    def _interest_partner(self):
        raise NotImplementedError

    @transition
    def action_create_opportunity(self):
        for record in self:
            if record.opportunity_ref:
                raise UserError(_("A sales follow-up was already created for %(name)s.", name=record.display_name))
            if not record.interest_product_ids and not (record.interest_note or "").strip():
                raise UserError(_("Note the products or spare parts the customer is interested in first."))
            target = record._create_lead() if record._crm_available() else record._create_interest_quotation()
            record.opportunity_ref = f"{target._name},{target.id}"
        return True

    def _crm_available(self):
        return "crm.lead" in self.env

    def _salesperson(self):
        partner = self._interest_partner()
        return partner.user_id or partner.commercial_partner_id.user_id or self.env.user

    def _interest_description(self):
        lines = Markup("").join(Markup("<li>%s</li>") % product.display_name for product in self.interest_product_ids)
        note = Markup("<p>%s</p>") % self.interest_note if self.interest_note else Markup()
        return Markup("<p>%s</p><ul>%s</ul>%s") % (_("Noted during %(visit)s:", visit=self.display_name), lines, note)

    def _create_lead(self):
        partner = self._interest_partner()
        # The visitor need not have CRM rights: the lead is the salesperson's.
        return (
            self.env["crm.lead"]
            .sudo()
            .create(
                {
                    "name": _("Interest from %(customer)s", customer=partner.commercial_partner_id.name),
                    "type": "opportunity",
                    "partner_id": partner.id,
                    "user_id": self._salesperson().id,
                    "company_id": self.company_id.id,
                    "description": self._interest_description(),
                }
            )
        )

    def _create_interest_quotation(self):
        partner = self._interest_partner()
        order = (
            self.env["sale.order"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "user_id": self._salesperson().id,
                    "company_id": self.company_id.id,
                    "origin": self.display_name,
                    "note": self._interest_description(),
                    "order_line": [
                        fields.Command.create({"product_id": product.id}) for product in self.interest_product_ids
                    ],
                }
            )
        )
        order.activity_schedule(
            "mail.mail_activity_data_todo", summary=_("Customer interest from a visit"), user_id=order.user_id.id
        )
        return order
