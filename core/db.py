"""The database as a limited resource: telling "no connection to be had" from a real fault."""

import psycopg
from psycopg_pool import PoolTimeout

# SQLSTATE 53300: the server refuses connections beyond its max_connections.
TOO_MANY_CONNECTIONS = "53300"
RETRY_AFTER_SECONDS = 5


def connection_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` (or what it was raised from) means no database connection could be had
    right now: the pool stayed empty for its whole timeout, or the server is full. Such a
    request is answered 503 with Retry-After; it did nothing, so the client may retry."""
    while exc is not None:
        if isinstance(exc, PoolTimeout):
            return True
        if isinstance(exc, psycopg.OperationalError) and (
            getattr(exc, "sqlstate", None) == TOO_MANY_CONNECTIONS or "too many clients" in str(exc)
        ):
            return True
        exc = exc.__cause__ or exc.__context__
    return False
