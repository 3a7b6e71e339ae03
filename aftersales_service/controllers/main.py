from odoo import _, fields, http
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

PORTAL_REQUEST_TYPES = ("repair", "installation", "maintenance", "training", "complaint", "consultation")
# The portal renders reports as superuser, where QWeb groups= hide nothing: it always prints
# the customer copy of the field form, never the internal one (costs, findings for quality).
CUSTOMER_FORM_REPORT = "aftersales_service.action_report_aftersales_dispatch"


class AftersalesPortal(CustomerPortal):
    """Customers follow their service requests and submit new ones."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "aftersales_count" in counters:
            Ticket = request.env["aftersales.ticket"]
            values["aftersales_count"] = Ticket.search_count([]) if Ticket.has_access("read") else 0
        return values

    @http.route(["/my/aftersales", "/my/aftersales/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_aftersales(self, page=1, **kw):
        Ticket = request.env["aftersales.ticket"]
        total = Ticket.search_count([])
        pager = portal_pager(url="/my/aftersales", total=total, page=page, step=self._items_per_page)
        tickets = Ticket.search(
            [], order="request_date desc, id desc", limit=self._items_per_page, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        # The search ran as the customer (record rules); the list also shows the product, which a
        # portal user may not read.
        values.update(
            {"tickets": tickets.sudo(), "pager": pager, "page_name": "aftersales", "default_url": "/my/aftersales"}
        )
        return request.render("aftersales_service.portal_my_aftersales", values)

    @http.route("/my/aftersales/<int:ticket_id>", type="http", auth="public", website=True)
    def portal_aftersales_ticket(self, ticket_id, access_token=None, **kw):
        try:
            ticket_sudo = self._document_check_access("aftersales.ticket", ticket_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            ticket_sudo,
            access_token,
            {"page_name": "aftersales_ticket", "ticket": ticket_sudo},
            "my_aftersales_history",
            False,
            **kw,
        )
        return request.render("aftersales_service.portal_aftersales_ticket", values)

    @http.route("/my/aftersales/forms/<int:form_id>", type="http", auth="public", website=True)
    def portal_aftersales_form(self, form_id, access_token=None, report_type=None, download=False, **kw):
        try:
            form_sudo = self._document_check_access("aftersales.dispatch", form_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=form_sudo,
                report_type=report_type,
                report_ref=CUSTOMER_FORM_REPORT,
                download=download,
            )
        values = self._get_page_view_values(
            form_sudo,
            access_token,
            {"page_name": "aftersales_form", "form": form_sudo, "ticket": form_sudo.ticket_id},
            "my_aftersales_forms_history",
            False,
            **kw,
        )
        return request.render("aftersales_service.portal_aftersales_form", values)

    @http.route("/my/aftersales/forms/<int:form_id>/sign", type="json", auth="public", website=True)
    def portal_aftersales_form_sign(self, form_id, access_token=None, name=None, signature=None):
        """The customer signs the field form (签字) from the portal."""
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            form_sudo = self._document_check_access("aftersales.dispatch", form_id, access_token)
        except (AccessError, MissingError):
            return {"error": _("Invalid field form.")}
        if not form_sudo._can_be_signed():
            return {"error": _("This field form cannot be signed now.")}
        name = (name or "").strip()
        if not name:
            return {"error": _("Please write your name.")}
        if not signature:
            return {"error": _("The signature is missing or is not an image.")}
        try:
            # The same limits as for any write of the field, with the message the customer can act on.
            form_sudo._check_images({"signature": signature})
        except ValidationError as error:
            return {"error": error.args[0]}
        form_sudo.write({"signed_by": name, "signed_on": fields.Datetime.now(), "signature": signature})
        form_sudo.message_post(
            body=_("Field form signed by %(name)s", name=name),
            author_id=form_sudo.partner_id.id if request.env.user._is_public() else request.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return {"force_refresh": True, "redirect_url": form_sudo.get_portal_url(query_string="&message=sign_ok")}

    @http.route("/my/aftersales/new", type="http", auth="user", methods=["GET"], website=True)
    def portal_aftersales_new(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(self._aftersales_form_values(kw))
        return request.render("aftersales_service.portal_aftersales_new", values)

    @http.route("/my/aftersales/new", type="http", auth="user", methods=["POST"], website=True)
    def portal_aftersales_submit(self, **post):
        errors = {}
        title = (post.get("title") or "").strip()
        description = (post.get("description") or "").strip()
        if not title:
            errors["title"] = _("Tell us briefly what happened.")
        request_type = post.get("request_type") or "repair"
        if request_type not in PORTAL_REQUEST_TYPES:
            errors["request_type"] = _("Choose a request type from the list.")
        line = self._customer_sale_line(post.get("sale_line_id"))
        if line is None:
            errors["sale_line_id"] = _("Choose one of your own purchases.")
        if errors:
            values = self._prepare_portal_layout_values()
            values.update(self._aftersales_form_values(post), errors=errors)
            return request.render("aftersales_service.portal_aftersales_new", values)
        partner = request.env.user.partner_id
        # Portal users cannot create tickets themselves: every value below is
        # either fixed here or was checked to belong to the customer.
        ticket = (
            request.env["aftersales.ticket"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": (line.company_id if line else request.env.company).id,
                    "title": title,
                    "description": plaintext2html(description) if description else False,
                    "request_type": request_type,
                    "channel": "portal",
                    "sale_line_id": line.id if line else False,
                    "user_id": (line.order_id.user_id.id if line else False),
                }
            )
        )
        ticket.message_subscribe(partner_ids=partner.ids)
        return request.redirect(ticket.get_portal_url())

    def _aftersales_form_values(self, data):
        commercial = request.env.user.commercial_partner_id
        lines = (
            request.env["sale.order.line"]
            .sudo()
            .search(
                [
                    ("order_id.partner_id", "child_of", commercial.id),
                    ("state", "=", "sale"),
                    ("product_id.type", "!=", "service"),
                ],
                order="id desc",
                limit=200,
            )
        )
        return {
            "page_name": "aftersales_new",
            "sale_lines": lines,
            "request_types": [
                (key, label)
                for key, label in request.env["aftersales.ticket"]
                ._fields["request_type"]
                ._description_selection(request.env)
                if key in PORTAL_REQUEST_TYPES
            ],
            "data": data,
            "errors": {},
        }

    def _customer_sale_line(self, raw_id):
        """The posted sale line when it is one of the customer's own, False when none
        was given, None when it is not theirs (or not a number)."""
        if not raw_id:
            return False
        try:
            line_id = int(raw_id)
        except (TypeError, ValueError):
            return None
        commercial = request.env.user.commercial_partner_id
        line = (
            request.env["sale.order.line"]
            .sudo()
            .search(
                [("id", "=", line_id), ("order_id.partner_id", "child_of", commercial.id), ("state", "=", "sale")],
                limit=1,
            )
        )
        return line or None
