from odoo.tests import TransactionCase, tagged

from odoo.addons.aftersales_service.tests.access_matrix import AccessMatrixMixin

WORK = {"user": "rwc", "technician": "rwc", "quality": "rwc", "manager": "rwcu"}


@tagged("post_install", "-at_install")
class TestSurveyAccessMatrix(AccessMatrixMixin, TransactionCase):
    addon = "aftersales_survey"
    matrix = {
        "aftersales.revisit.tier": {"user": "r", "technician": "r", "quality": "r", "manager": "rwcu"},
        "aftersales.revisit": WORK,
        "aftersales.feedback": WORK,
        "aftersales.care.plan": WORK,
        "aftersales.care.plan.line": {"user": "rwcu", "technician": "rwcu", "quality": "rwcu", "manager": "rwcu"},
        "aftersales.survey.campaign.wizard": WORK,
        # Reports: read by quality and managers only.
        "aftersales.satisfaction.analysis": {"quality": "r", "manager": "r"},
    }
