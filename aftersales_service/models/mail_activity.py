from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model
    def _aftersales_bulk_create(self, vals_list):
        """``create(vals_list)`` for the thousands of to-dos a scheduled job may give at once
        (``res_model_id``, ``res_id``, ``activity_type_id``, ``summary``, ``note``, ``user_id``,
        ``date_deadline``, ``automated`` each): the rows and the assignees' subscriptions to the documents in a
        few statements, one bus notice per assignee. ``create`` would sanitize each note and
        name each document one by one, which makes a job of 10,000 to-dos last minutes. A note
        that is not markup is text, escaped into a paragraph (what the sanitizer stores)."""
        if not vals_list:
            return self
        now = self.env.cr.now()
        by_model = defaultdict(list)
        for vals in vals_list:
            by_model[vals["res_model_id"]].append(vals)
        users = self.env["res.users"].sudo().browse({vals["user_id"] for vals in vals_list})
        timezones = {user.id: user.tz or None for user in users}
        ids = []
        for model_id, rows in by_model.items():
            model = self.env["ir.model"].sudo().browse(model_id).model
            documents = self.env[model].sudo().browse({vals["res_id"] for vals in rows})
            names = dict(zip(documents.ids, documents.mapped("display_name"), strict=True))
            ids += self.env.execute_query(
                SQL(
                    """INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name, activity_type_id, summary,
                                                  note, user_id, user_tz, date_deadline, automated, active,
                                                  create_uid, create_date, write_uid, write_date)
                       SELECT %(model_id)s, %(model)s, row.res_id, row.res_name, row.type_id, row.summary,
                              row.note, row.user_id, row.tz, row.deadline, row.automated, TRUE,
                              %(uid)s, %(now)s, %(uid)s, %(now)s
                         FROM unnest(%(res_ids)s::int4[], %(names)s::varchar[], %(types)s::int4[],
                                     %(summaries)s::varchar[], %(notes)s::text[], %(users)s::int4[],
                                     %(tzs)s::varchar[], %(deadlines)s::date[], %(automated)s::bool[])
                           AS row(res_id, res_name, type_id, summary, note, user_id, tz, deadline, automated)
                    RETURNING id""",
                    model_id=model_id,
                    model=model,
                    uid=self.env.uid,
                    now=now,
                    res_ids=[vals["res_id"] for vals in rows],
                    names=[names[vals["res_id"]] for vals in rows],
                    types=[vals.get("activity_type_id") for vals in rows],
                    summaries=[vals.get("summary") for vals in rows],
                    notes=[self._aftersales_note_html(vals.get("note")) for vals in rows],
                    users=[vals["user_id"] for vals in rows],
                    tzs=[timezones[vals["user_id"]] for vals in rows],
                    deadlines=[fields.Date.to_date(vals["date_deadline"]) for vals in rows],
                    automated=[bool(vals.get("automated")) for vals in rows],
                )
            )
            self._aftersales_subscribe_assignees(model, {(vals["res_id"], vals["user_id"]) for vals in rows}, users)
            documents.invalidate_recordset()
        self.env["mail.followers"].invalidate_model()
        self.invalidate_model()
        # The assignees' activity counters in the web client (as create tells them).
        today = fields.Date.today()
        due = {vals["user_id"] for vals in vals_list if fields.Date.to_date(vals["date_deadline"]) <= today}
        users.browse(due)._bus_send("mail.activity/updated", {"activity_created": True})
        return self.browse(row[0] for row in ids)

    @api.model
    def _aftersales_note_html(self, note):
        if not note:
            return None
        return str(note if isinstance(note, Markup) else Markup("<p>%s</p>") % note)

    @api.model
    def _aftersales_subscribe_assignees(self, model, pairs, users):
        """Each assignee follows the document of their to-do, with the default subtypes, as
        ``create`` subscribes them; an existing subscription is left as it is."""
        partner_of = {user.id: user.partner_id.id for user in users}
        subtypes = self.env["mail.message.subtype"].default_subtypes(model)[0]
        pairs = sorted({(res_id, partner_of[user_id]) for res_id, user_id in pairs})
        self.env.execute_query(
            SQL(
                """WITH added AS (
                       INSERT INTO mail_followers (res_model, res_id, partner_id)
                       SELECT %(model)s, pair.res_id, pair.partner_id
                         FROM unnest(%(res_ids)s::int4[], %(partners)s::int4[]) AS pair(res_id, partner_id)
                       ON CONFLICT DO NOTHING
                    RETURNING id)
                   INSERT INTO mail_followers_mail_message_subtype_rel (mail_followers_id, mail_message_subtype_id)
                   SELECT added.id, subtype.id FROM added CROSS JOIN unnest(%(subtypes)s::int4[]) AS subtype(id)""",
                model=model,
                res_ids=[res_id for res_id, _partner in pairs],
                partners=[partner for _res_id, partner in pairs],
                subtypes=subtypes.ids,
            )
        )
