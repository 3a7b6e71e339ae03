from odoo import api, fields, models


class AftersalesResponseMixin(models.AbstractModel):
    """The 24-hour answer (24小时内答复) of a request from a customer: its deadline from when it
    was received and the company's response time, the first answer the customer received, and
    whether that answer (or its absence, flagged by a scheduled job) came too late."""

    _name = "aftersales.response.mixin"
    _description = "After-Sales Response Clock"

    # The datetime field from which the clock runs (when the request was received).
    _response_start_field = "create_date"

    response_deadline = fields.Datetime(compute="_compute_response_deadline", store=True, precompute=True)
    first_response_date = fields.Datetime(readonly=True, copy=False)
    response_breached = fields.Boolean(
        string="Response Overdue", compute="_compute_response_breached", store=True, copy=False, index=True
    )

    @api.depends(
        lambda self: (
            self._response_start_field,
            "company_id.aftersales_response_hours",
            "company_id.aftersales_response_calendar_id",
        )
    )
    def _compute_response_deadline(self):
        for record in self:
            start = record[record._response_start_field]
            hours = record.company_id.aftersales_response_hours or 24
            record.response_deadline = start and record.company_id._aftersales_deadline(start, hours)

    @api.depends("first_response_date", "response_deadline")
    def _compute_response_breached(self):
        # Unanswered ones are flagged by the scheduled job when their deadline passes.
        for record in self:
            if record.first_response_date:
                record.response_breached = record.first_response_date > record.response_deadline
            elif not record.response_breached:
                record.response_breached = False

    def _message_post_after_hook(self, message, msg_vals):
        if self._is_answer_to_customer(message):
            self.filtered(lambda record: not record.first_response_date).sudo().write(
                {"first_response_date": fields.Datetime.now()}
            )
        return super()._message_post_after_hook(message, msg_vals)

    def _is_answer_to_customer(self, message):
        """What the customer receives from our staff (a message sent from the chatter, read by
        email or on the portal, or a phone call logged as done with what was said), never an
        internal note or hand-off."""
        if not self.env.user._is_internal():
            return False
        if message.message_type == "comment" and message.subtype_id == self.env.ref("mail.mt_comment"):
            return True
        return message.mail_activity_type_id.category == "phonecall"
