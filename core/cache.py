"""Django's Redis cache, reusing one redis-py client per connection pool.

Django's client builds a new `redis.Redis` object for every cache call (about 0.3 ms of
Python each, several times per page view). The client is thread-safe and the pool is shared
anyway, so one client per pool does the same work without the rebuild.
"""

import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients_by_pool", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient


# Values that never change under their key (the key names the data versions they were made
# from) may also be kept in each process's memory: a copy there can never be stale, and it
# saves a round trip to the shared cache on every request that reads it. Copies live at most
# LOCAL_TIMEOUT all the same, which bounds the harm of a change that bumped no version (a bulk
# update, a deploy running old code beside new).
LOCAL_ALIAS = "local"
LOCAL_TIMEOUT = 300
_MISSING = object()


def invalidates_on_commit(func):
    """Mark an on-commit callback that makes cached copies stale (bumps data versions)."""
    func.invalidates_caches = True
    return func


def _uncommitted_changes() -> bool:
    """Whether this connection is inside a transaction that changed cached data: what it reads
    now may yet be rolled back, so it must not be cached under any version."""
    from django.db import connection

    return connection.in_atomic_block and any(
        getattr(func, "invalidates_caches", False) for _, func, _ in connection.run_on_commit
    )


def layered_get(key: str, *, valid=None):
    """The value under `key` from this process's memory, else from the shared cache (kept in
    memory from then on); None when neither has it. `valid(value)` may reject a copy."""
    from django.core.cache import cache, caches

    local = caches[LOCAL_ALIAS]
    value = local.get(key, _MISSING)
    if value is not _MISSING and (valid is None or valid(value)):
        return value
    value = cache.get(key, _MISSING)
    if value is _MISSING or (valid is not None and not valid(value)):
        return None
    local.set(key, value, timeout=LOCAL_TIMEOUT)
    return value


def layered_set(key: str, value, *, timeout: int) -> None:
    from django.core.cache import cache, caches

    if _uncommitted_changes():
        return
    cache.set(key, value, timeout)
    caches[LOCAL_ALIAS].set(key, value, timeout=min(timeout, LOCAL_TIMEOUT))


def layered_get_or_set(key: str, compute, *, timeout: int, frozen: bool = False):
    """`frozen`: the value is never changed in place by anyone (frozen dataclasses, tuples),
    so this process may hand out the one object it holds instead of unpickling a copy from
    its memory cache on every call (for a rota's snapshot, a good part of a request)."""
    if frozen:
        return _frozen_get_or_set(key, compute, timeout=timeout)
    value = layered_get(key)
    if value is None:
        value = compute()
        layered_set(key, value, timeout=timeout)
    return value


# Objects handed out as they are (see layered_get_or_set(frozen=True)): key -> (expires at,
# value). Bounded by dropping everything when full; reads and writes of a dict are atomic.
FROZEN_MAX = 512
_frozen: dict[str, tuple[float, object]] = {}


def frozen_get(key: str):
    """The object this process holds under `key`, or None."""
    kept = _frozen.get(key)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    return None


def frozen_set(key: str, value, *, timeout: int = LOCAL_TIMEOUT) -> None:
    """Hold `value` (never to be changed in place) in this process under `key`, whose name
    says what it was made from, as for the layered caches."""
    if _uncommitted_changes():
        return
    if len(_frozen) >= FROZEN_MAX:
        _frozen.clear()
    _frozen[key] = (time.monotonic() + min(timeout, LOCAL_TIMEOUT), value)


def _frozen_get_or_set(key: str, compute, *, timeout: int):
    value = frozen_get(key)
    if value is None:
        value = layered_get(key)
        if value is None:
            value = compute()
            layered_set(key, value, timeout=timeout)
        frozen_set(key, value, timeout=timeout)
    return value


def frozen_clear() -> None:
    """Forget the objects this process holds (tests that clear the caches call it too)."""
    _frozen.clear()
