"""The rotas' reads, by concern. Import what you need from here (`selectors.oncall_at`)."""

from .feeds import person_shift_feeds, person_shifts_ical, rotation_shifts_ical
from .pages import (
    fairness,
    oncall_now,
    override_get,
    override_list,
    person_rotation_ids,
    person_shifts,
    role_list,
    rota_grid,
    rota_problems,
    rotation_api_list,
    rotation_get,
    rotation_list,
)
from .rota import (
    ROTA_DEPENDENCIES,
    Holder,
    Person,
    RotationSnapshot,
    Shift,
    oncall_at,
    rotation_snapshot,
    shifts_between,
)

__all__ = [
    "ROTA_DEPENDENCIES",
    "Holder",
    "Person",
    "RotationSnapshot",
    "Shift",
    "fairness",
    "oncall_at",
    "oncall_now",
    "override_get",
    "override_list",
    "person_rotation_ids",
    "person_shift_feeds",
    "person_shifts",
    "person_shifts_ical",
    "role_list",
    "rota_grid",
    "rota_problems",
    "rotation_api_list",
    "rotation_get",
    "rotation_list",
    "rotation_shifts_ical",
    "rotation_snapshot",
    "shifts_between",
]
