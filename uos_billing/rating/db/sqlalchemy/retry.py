# Copyright 2026 uos-billing developers
#
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.
"""Write transactions retried the way oslo.db retries them.

A deadlock, a lost race (optional: a concurrent insert of the same unique
row) and SQLite's "database is locked" are retried by oslo.db's
wrap_db_retry, the whole transaction again. SQLite takes one writer at a
time, and a transaction that read before it writes is refused at once,
not queued, when another one writes: under concurrent writers the retry
is what queues them. When the file stays locked through every retry the
request is answered ServiceUnavailable (HTTP 503): nothing was written.
"""

import functools

from oslo_db import api as oslo_db_api
from oslo_db import exception as db_exc
from sqlalchemy import exc as sqla_exc

from uos_billing.core import errors

BUSY = ('the database is busy: SQLite takes one writer at a time and other '
        'writers kept it locked; nothing was written, send the request '
        'again (run MariaDB or PostgreSQL for concurrent writers)')


def sqlite_busy(exc):
    """Whether exc is SQLite's "database is locked" (or "busy")."""
    inner = getattr(exc, 'inner_exception', None)
    if isinstance(exc, sqla_exc.OperationalError):
        inner = exc
    if not isinstance(inner, sqla_exc.OperationalError):
        return False
    text = str(inner.orig if inner.orig is not None else inner)
    return 'database is locked' in text or 'database is busy' in text


def _expected(races, exc):
    if races and isinstance(exc, db_exc.DBDuplicateEntry):
        return True
    return sqlite_busy(exc)


def transaction(races=False):
    """Retry a write transaction; races: also a DBDuplicateEntry.

    Short, jittered intervals (0.1 s, then up to 2 s): a SQLite writer
    holds the lock for milliseconds, and jitter keeps the retries of
    parallel requests from colliding again.
    """
    def decorator(func):
        retried = oslo_db_api.wrap_db_retry(
            max_retries=10, retry_interval=0.1, max_retry_interval=2,
            jitter=True, retry_on_deadlock=True,
            exception_checker=functools.partial(_expected, races))(func)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            try:
                return retried(*args, **kwargs)
            except (db_exc.DBError, sqla_exc.OperationalError) as exc:
                if sqlite_busy(exc):
                    raise errors.ServiceUnavailable(BUSY) from exc
                raise
        return wrapper
    return decorator
