from odoo import api, models


class SurveyUserInputLine(models.Model):
    _inherit = "survey.user_input.line"

    @api.model_create_multi
    def create(self, vals_list):
        answer_ids = {vals.get("user_input_id") for vals in vals_list if vals.get("user_input_id")}
        self._aftersales_answers(self.env["survey.user_input"].browse(answer_ids))._aftersales_check_answer_open()
        return super().create(vals_list)

    def write(self, vals):
        self._aftersales_answers(self.user_input_id)._aftersales_check_answer_open()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_ticket_evaluation(self):
        self._aftersales_answers(self.user_input_id)._aftersales_check_answer_open()

    def _aftersales_answers(self, answers):
        """The satisfaction answers of tickets among ``answers``: their score is the ticket's."""
        return answers.sudo().filtered("aftersales_ticket_id").with_env(self.env)
