from odoo import _, api, models
from odoo.exceptions import UserError, ValidationError
from odoo.models import NewId

# Field types whose values the ORM would only reject with a traceback, or not at all.
CHECKED_TYPES = ("selection", "date", "datetime", "integer", "float", "monetary")


class AftersalesStateMixin(models.AbstractModel):
    """Refuse an illegal move of an after-sales document with one clear message,
    the same from a button and from XML-RPC.

    RPC can write any stored field, ``state`` included: a state may only change
    through the document's actions, which check where it comes from. Values of the
    wrong kind are refused with the field's name instead of a traceback."""

    _name = "aftersales.state.mixin"
    _description = "After-Sales Document State Guard"

    @api.model_create_multi
    def create(self, vals_list):
        self._check_client_values(vals_list)
        if any("state" in vals for vals in vals_list):
            # Forms send the default state with every new record: only another one is a move.
            default = self.default_get(["state"]).get("state")
            self._guard_state_writes([vals for vals in vals_list if vals.get("state", default) != default])
        return super().create(vals_list)

    def write(self, vals):
        self._check_client_values([vals])
        self._guard_state_writes([vals])
        return super().write(vals)

    def _guard_state_writes(self, vals_list):
        if self.env.su or self.env.context.get("aftersales_transition"):
            return
        if any("state" in vals for vals in vals_list):
            raise UserError(
                _(
                    "The status of a %(document)s changes only through its actions (its buttons), not by writing it.",
                    document=self._document_label(),
                )
            )

    def _check_client_values(self, vals_list):
        for vals in vals_list:
            for name, value in vals.items():
                field = self._fields.get(name)
                if field is None or value is False or value is None or self._is_valid_value(field, value):
                    continue
                raise ValidationError(
                    _(
                        "%(value)s is not a valid value for %(field)s.",
                        value=repr(value),
                        field=field._description_string(self.env),
                    )
                )

    def _is_valid_value(self, field, value):
        if field.type == "many2one":
            if isinstance(value, models.BaseModel):
                return value._name == field.comodel_name and len(value) <= 1
            return isinstance(value, (int, NewId)) and not isinstance(value, bool)
        if field.type not in CHECKED_TYPES:
            return True
        try:
            field.convert_to_cache(value, self)
        except (ValueError, TypeError):
            return False
        return True

    def _write_transition(self, vals):
        """Write a new state decided by one of the document's actions."""
        return self.with_context(aftersales_transition=True).write(vals)

    def _document_label(self):
        return self.env["ir.model"].sudo()._get(self._name).name

    def _check_state(self, allowed, action_label):
        labels = dict(self._fields["state"]._description_selection(self.env))
        document = self._document_label()
        for record in self:
            if record.state not in allowed:
                raise UserError(
                    _(
                        "You cannot %(action)s %(document)s %(name)s while it is %(state)s.",
                        action=action_label,
                        document=document,
                        name=record.display_name,
                        state=labels[record.state],
                    )
                )
