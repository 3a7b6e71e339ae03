from odoo.tests import TransactionCase, tagged

from .access_matrix import AccessMatrixMixin

# Roles left out of a row get nothing. Groups are cumulative: user < technician < quality < manager.
STAFF_ALL = {"user": "rwcu", "technician": "rwcu", "quality": "rwcu", "manager": "rwcu"}
READ_MANAGE = {"user": "r", "technician": "r", "quality": "r", "manager": "rwcu"}
REPORTS = {"quality": "r", "manager": "r"}
PROPOSE_REVIEW = {"user": "rc", "technician": "rc", "quality": "rwc", "manager": "rwcu"}


@tagged("post_install", "-at_install")
class TestServiceAccessMatrix(AccessMatrixMixin, TransactionCase):
    addon = "aftersales_service"
    matrix = {
        # Everyone in after-sales works tickets; only managers delete them; customers read their own.
        "aftersales.ticket": {"portal": "r", "user": "rwc", "technician": "rwc", "quality": "rwc", "manager": "rwcu"},
        "aftersales.ticket.part": STAFF_ALL,
        "aftersales.fault.category": READ_MANAGE,
        "aftersales.team": READ_MANAGE,
        "aftersales.tag": READ_MANAGE,
        # Field forms are filled by technicians; sales staff only read them.
        "aftersales.dispatch": {"portal": "r", "user": "r", "technician": "rwc", "quality": "rwc", "manager": "rwcu"},
        "aftersales.dispatch.part": {
            "portal": "r",
            "user": "r",
            "technician": "rwcu",
            "quality": "rwcu",
            "manager": "rwcu",
        },
        "aftersales.change.request": {"user": "r", "technician": "rwc", "quality": "rwc", "manager": "rwcu"},
        "aftersales.dispatch.analysis": REPORTS,
        "aftersales.ticket.analysis": REPORTS,
        "aftersales.quarter.summary": {"quality": "rwc", "manager": "rwc"},
        # Anyone proposes a known solution or asks for an inspection; quality decides.
        "aftersales.fault.solution": PROPOSE_REVIEW,
        "aftersales.inspection": PROPOSE_REVIEW,
        # Returns, exchanges and compensations: staff raise drafts; who decides is the general
        # manager's (an action, not an access right); managers delete drafts and cancelled ones.
        "aftersales.settlement": {"user": "rwc", "technician": "rwc", "quality": "rwc", "manager": "rwcu"},
        "aftersales.settlement.line": STAFF_ALL,
        # Quarterly reviews are quality's; the owners of corrective actions report on their own.
        "aftersales.quality.review": {"user": "r", "technician": "r", "quality": "rwc", "manager": "rwcu"},
        "aftersales.corrective.action": {"user": "rw", "technician": "rw", "quality": "rwc", "manager": "rwcu"},
    }
