"""The rotas' writes, by concern. Import what you need from here (`services.override_create`).

A service given the person acting (`user=`) checks rotations.permissions first, so the page,
the HTMX partial, the API and the admin obey one rule; `user=None` is the system itself."""

from .alerts import ack_token_person, alert_acknowledge, alert_escalate, alert_raise, alerts_due
from .handoffs import channel_header_refresh, handoffs_announce
from .overrides import override_cancel, override_create
from .plans import role_begun, role_plan_refresh
from .rotations import (
    RoleSpec,
    role_members_check,
    role_members_set,
    role_spec_from,
    role_start_check,
    rotation_create,
    rotation_delete,
    rotation_update,
)

__all__ = [
    "RoleSpec",
    "ack_token_person",
    "alert_acknowledge",
    "alert_escalate",
    "alert_raise",
    "alerts_due",
    "channel_header_refresh",
    "handoffs_announce",
    "override_cancel",
    "override_create",
    "role_begun",
    "role_members_check",
    "role_members_set",
    "role_plan_refresh",
    "role_spec_from",
    "role_start_check",
    "rotation_create",
    "rotation_delete",
    "rotation_update",
]
