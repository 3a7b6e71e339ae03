from odoo import _, fields, http
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request
from odoo.osv import expression
from odoo.tools import plaintext2html
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

PORTAL_REQUEST_TYPES = ("repair", "installation", "maintenance", "training", "complaint", "consultation")
# Photos of the fault (or a PDF of a report) sent with a portal request: the type is read from
# the file's content, never from the name or type the browser sends.
PORTAL_ATTACHMENT_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf")
PORTAL_ATTACHMENT_MAX_FILES = 5
PORTAL_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# What the customer's request list is searched in, filtered and sorted by.
OPEN_TICKET_STATES = ("draft", "review", "quotation", "ready", "dispatched")
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

    def _aftersales_searchbar_sortings(self):
        return {
            "date": {"label": _("Newest"), "order": "request_date desc, id desc"},
            "name": {"label": _("Reference"), "order": "name desc, id desc"},
            "state": {"label": _("Status"), "order": "state, request_date desc, id desc"},
        }

    def _aftersales_searchbar_filters(self):
        return {
            "all": {"label": _("All"), "domain": []},
            "open": {"label": _("In Progress"), "domain": [("state", "in", OPEN_TICKET_STATES)]},
            "done": {"label": _("Done or Closed"), "domain": [("state", "in", ("done", "closed"))]},
        }

    def _aftersales_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": _("Search in All")},
            "name": {"input": "name", "label": _("Search in Reference")},
            "title": {"input": "title", "label": _("Search in Subject")},
            "product": {"input": "product", "label": _("Search in Product")},
        }

    def _aftersales_search_domain(self, search_in, search):
        # Product names are searched as superuser (a portal user may not read products); the
        # result only narrows the customer's own tickets, searched under their record rules.
        if not search:
            return []
        domains = []
        if search_in in ("name", "all"):
            domains.append([("name", "ilike", search)])
        if search_in in ("title", "all"):
            domains.append([("title", "ilike", search)])
        if search_in in ("product", "all"):
            products = request.env["product.product"].sudo()._search([("name", "ilike", search)])
            domains.append([("product_id", "in", products)])
        return expression.OR(domains) if domains else []

    @http.route(["/my/aftersales", "/my/aftersales/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_aftersales(self, page=1, sortby=None, filterby=None, search=None, search_in="all", **kw):
        Ticket = request.env["aftersales.ticket"]
        sortings = self._aftersales_searchbar_sortings()
        filters = self._aftersales_searchbar_filters()
        inputs = self._aftersales_searchbar_inputs()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        search_in = search_in if search_in in inputs else "all"
        search = (search or "").strip()[:100]
        domain = expression.AND([filters[filterby]["domain"], self._aftersales_search_domain(search_in, search)])
        total = Ticket.search_count(domain)
        pager = portal_pager(
            url="/my/aftersales",
            url_args={"sortby": sortby, "filterby": filterby, "search_in": search_in, "search": search},
            total=total,
            page=page,
            step=self._items_per_page,
        )
        tickets = Ticket.search(
            domain, order=sortings[sortby]["order"], limit=self._items_per_page, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        # The search ran as the customer (record rules); the list also shows the product, which a
        # portal user may not read.
        values.update(
            {
                "tickets": tickets.sudo(),
                "pager": pager,
                "page_name": "aftersales",
                "default_url": "/my/aftersales",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "searchbar_inputs": inputs,
                "search_in": search_in,
                "search": search,
            }
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
        files, file_error = self._aftersales_posted_files()
        if file_error:
            errors["attachments"] = file_error
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
        self._aftersales_attach_files(ticket, files)
        return request.redirect(ticket.get_portal_url())

    def _aftersales_posted_files(self):
        """``([(name, content, mimetype)], error)``: the photos or PDFs sent with the request,
        or why they are refused (too many, too large, not an image or a PDF)."""
        uploads = [upload for upload in request.httprequest.files.getlist("attachments") if upload.filename]
        if len(uploads) > PORTAL_ATTACHMENT_MAX_FILES:
            return [], _("Send at most %(count)s files.", count=PORTAL_ATTACHMENT_MAX_FILES)
        files = []
        for upload in uploads:
            content = upload.read(PORTAL_ATTACHMENT_MAX_BYTES + 1)
            if len(content) > PORTAL_ATTACHMENT_MAX_BYTES:
                return [], _(
                    "%(file)s is larger than %(size)s MB.",
                    file=upload.filename,
                    size=PORTAL_ATTACHMENT_MAX_BYTES // (1024 * 1024),
                )
            mimetype = guess_mimetype(content)
            if mimetype not in PORTAL_ATTACHMENT_TYPES:
                return [], _("%(file)s is not a photo (JPEG, PNG, GIF, WebP) or a PDF.", file=upload.filename)
            files.append((upload.filename[:200], content, mimetype))
        return files, None

    def _aftersales_attach_files(self, ticket, files):
        """The customer's photos, on the request's chatter as their own message (mail.thread
        stores them as attachments of the ticket)."""
        if not files:
            return
        ticket.message_post(
            body=_("Photos and documents sent with the request."),
            attachments=[(name, content) for name, content, _mimetype in files],
            author_id=request.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

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
