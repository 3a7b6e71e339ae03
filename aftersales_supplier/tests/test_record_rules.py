"""Who sees which supplier claim, at the model layer (as over XML-RPC).

Purchasing owns claims and sees them all; after-sales staff see the claims of the tickets
they see, and the ticket-less ones they made themselves."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.aftersales_service.tests.common import RecordRulesCommon


@tagged("post_install", "-at_install")
class TestSupplierClaimRecordRules(RecordRulesCommon):
    _users_prefix = "rr_claim"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env["res.partner"].create({"name": "Seal Works", "email": "claims@seals.example"})
        cls.seal.seller_ids = [Command.create({"partner_id": cls.vendor.id, "price": 20})]
        cls.buyer = new_test_user(cls.env, "rr_buyer", groups="purchase.group_purchase_user")
        cls.ticket_a = cls.new_ticket(user_id=cls.user_a.id, product_id=cls.seal.id)
        cls.ticket_b = cls.new_ticket(user_id=cls.user_b.id, product_id=cls.seal.id)
        Claim = cls.env["aftersales.supplier.claim"]
        cls.claim_a = Claim.create({"ticket_id": cls.ticket_a.id, "product_id": cls.seal.id})
        cls.claim_b = Claim.create({"ticket_id": cls.ticket_b.id, "product_id": cls.seal.id})
        # Purchasing's own claim, found on incoming goods, and one A made without a ticket.
        cls.claim_purchase = Claim.with_user(cls.buyer).create({"product_id": cls.seal.id})
        cls.claim_own_a = Claim.with_user(cls.user_a).create({"product_id": cls.seal.id})
        cls.claims = cls.claim_a | cls.claim_b | cls.claim_purchase | cls.claim_own_a

    def test_each_role_sees_its_claims(self):
        expected = {
            self.buyer: self.claims,
            self.user_a: self.claim_a | self.claim_own_a,
            self.user_b: self.claim_b,
            # Technicians see every ticket, so every ticket's claim; not purchasing's own.
            self.user_tech: self.claim_a | self.claim_b,
            self.user_quality: self.claim_a | self.claim_b,
            # Managers may stand in for purchasing.
            self.user_manager: self.claims,
        }
        for user, claims in expected.items():
            with self.subTest(user=user.login):
                self.assertSees(user, self.claims, claims)

    def test_no_claim_is_read_or_made_on_a_hidden_ticket(self):
        Claim = self.env["aftersales.supplier.claim"].with_user(self.user_a)
        with self.assertRaises(AccessError):
            self.claim_b.with_user(self.user_a).read(["state"])
        with self.assertRaises(AccessError):
            Claim.create({"ticket_id": self.ticket_b.id, "product_id": self.seal.id})
        self.assertEqual(self.ticket_b.claim_ids, self.claim_b)
        Claim.create({"ticket_id": self.ticket_a.id, "product_id": self.seal.id})

    def test_a_claim_follows_its_ticket_when_the_ticket_changes_hands(self):
        claim = (
            self.env["aftersales.supplier.claim"]
            .with_user(self.user_a)
            .create({"ticket_id": self.ticket_a.id, "product_id": self.seal.id})
        )
        self.assertSees(self.user_b, claim, claim.browse())
        self.ticket_a.user_id = self.user_b
        self.ticket_a.message_unsubscribe(partner_ids=self.user_a.partner_id.ids)
        self.assertSees(self.user_b, claim, claim)
        self.assertSees(self.user_a, claim, claim.browse(), "its creator no longer follows the ticket, nor the claim")

    def test_another_companys_purchasing_sees_nothing(self):
        buyer_b = self.branch_user("rr_branch_buyer", "purchase.group_purchase_user")
        self.assertSees(buyer_b, self.claims, self.claims.browse())
        # Within the company, after-sales staff still see only theirs.
        self.assertSees(self.user_a, self.claims, self.claim_a | self.claim_own_a)
