"""The permission matrix's vocabulary, shared by the matrix test and each app's rows: the
people (roles) every write route is tried as, the world they act in, and a row."""

from collections.abc import Callable
from dataclasses import dataclass, field

from accounts.models import User
from handbook.models import Page, Team

ROLES = ("anonymous", "other", "member", "lead", "admin")
WRITE_METHODS = ("post", "put", "patch", "delete")
EXCLUDED_PREFIXES = ("admin/",)  # the admin's own checks are Django's; see test_admin_pages


@dataclass
class World:
    team_a: Team
    team_b: Team
    people: dict[str, User | None]
    page: Page  # a/page, A's, links to a/index and a/old
    moved: Page  # a/moved, A's, moved from a/old
    b_page: Page  # b/page, B's, links to a/old
    calendar_tokens: dict[str, str] = field(default_factory=dict)  # each person's, raw
    extra: dict = field(default_factory=dict)  # what other apps add (their objects)

    def revision_id(self) -> int:
        return self.page.history.order_by("history_id").first().history_id


@dataclass(frozen=True)
class Row:
    """One write route (or one case of it): who may, how to call it, what it changes."""

    route: str  # URL name, with its namespace
    method: str
    allowed: frozenset[str]  # roles that may
    kwargs: Callable[[World], dict] = lambda world: {}
    data: Callable[[World], dict] = lambda world: {}
    # What the call changes when allowed (and must not when refused); None: nothing to see
    # (the answer alone tells).
    effect: Callable[[World], bool] | None = None
    case: str = ""
    api: bool = False
    extra: dict = field(default_factory=dict)  # headers
    query: Callable[[World], str] = lambda world: ""  # a query string for the URL
    public: bool = False  # open to anyone by nature (logging in): only never a 500


ANYONE = frozenset(ROLES)
LOGGED_IN = frozenset(ROLES) - {"anonymous"}
A_MEMBERS = frozenset({"member", "lead", "admin"})
A_MANAGERS = frozenset({"lead", "admin"})
ADMINS = frozenset({"admin"})
