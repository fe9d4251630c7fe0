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
"""billing_request: order operations sent with an idempotency key.

record() runs inside the operation's project transaction (a Book), under
the account lock, and so does the first_answer() that decides: a
duplicate sent in parallel waits for the first to commit, then finds its
row. Should it not see the row (a snapshot taken before the first
committed), its insert fails on the unique key_hash and the operation is
retried, which then finds it. A first_answer() in a read session before
the operation answers a retry without redoing its checks.

The first answer is kept as JSON, its Decimals and instants tagged so
that a replay answers exactly the same values and types.
"""

import datetime
import decimal
import json

from oslo_utils import timeutils
import sqlalchemy as sa

from uos_billing.core import clock
from uos_billing.rating.db.sqlalchemy import models

REQUEST = models.IdempotentRequest
_DECIMAL = '$decimal'
_INSTANT = '$instant'


def _tagged(value):
    if isinstance(value, decimal.Decimal):
        return {_DECIMAL: str(value)}
    if isinstance(value, datetime.datetime):
        return {_INSTANT: clock.instant(value).isoformat()}
    raise TypeError('%r cannot be kept as a request result' % (value,))


def _untagged(obj):
    if len(obj) == 1:
        if _DECIMAL in obj:
            return decimal.Decimal(obj[_DECIMAL])
        if _INSTANT in obj:
            return clock.instant(timeutils.parse_isotime(obj[_INSTANT]))
    return obj


def encode(result):
    return json.dumps(result, default=_tagged, sort_keys=True)


def decode(text):
    return json.loads(text, object_hook=_untagged)


def first_answer(session, request):
    """The first result of request's key, or None when it is new.

    A key already used for another request is a Conflict naming it.
    Without a key there is nothing to replay.
    """
    if request.key is None:
        return None
    row = session.execute(
        sa.select(REQUEST.fingerprint, REQUEST.result).where(
            REQUEST.key_hash == request.scope_digest)).one_or_none()
    if row is None:
        return None
    request.check_replay(row.fingerprint)
    return decode(row.result)


def record(book, request, result, order_id=None, created_by=None):
    """Remember request's result, in the transaction that made it."""
    if request.key is None:
        return
    book.session.execute(sa.insert(REQUEST).values(
        project_id=request.project_id, operation=request.operation,
        idempotency_key=request.key, key_hash=request.scope_digest,
        fingerprint=request.fingerprint, order_id=order_id,
        result=encode(result), created_at=clock.naive_utc(book.now),
        created_by=created_by))
    book.written = True
