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
"""The billing_enforcement_action table, and the reads the ladder needs.

Actions are written under the project's account row lock (SELECT ... FOR
UPDATE, the lock every write of the project takes first), in a session of
their own: the account itself is not written, so a rating process's
cached view of the project stays current.
"""

import contextlib
import json

from cloudkitty import db
import sqlalchemy as sa

from uos_billing.core import clock
from uos_billing.core import enforcement as core
from uos_billing.core import idempotency
from uos_billing.core import terms
from uos_billing.rating.db.sqlalchemy import models

ACTION = models.EnforcementAction


def _aware(dt):
    return None if dt is None else clock.instant(dt)


class AccountView(object):
    """The few account columns the ladder reads."""

    def __init__(self, row):
        self.project_id = row.project_id
        self.status = row.status
        self.owed_since = _aware(row.owed_since)
        self.balance = row.balance
        self.credit_limit = row.credit_limit
        self.currency = row.currency


def read_account(session, project_id, lock=False):
    query = sa.select(models.Account).where(
        models.Account.project_id == project_id)
    if lock:
        query = query.with_for_update()
    row = session.execute(query).scalar_one_or_none()
    return None if row is None else AccountView(row)


def account(project_id):
    with db.session_for_read() as session:
        return read_account(session, project_id)


def reading():
    """A read session."""
    return db.session_for_read()


@contextlib.contextmanager
def locked(project_id):
    """A write session holding project_id's account lock, and the account.

    The account is None when the project has none.
    """
    with db.session_for_write() as session:
        yield session, read_account(session, project_id, lock=True)


def prepaid_orders(session, project_id):
    """(resource_id, mode, status, term_start, term_end) of prepaid orders."""
    order = models.Order
    return [tuple(row) for row in session.execute(
        sa.select(order.resource_id, order.mode, order.status,
                  order.term_start, order.term_end).where(
            order.project_id == project_id,
            order.mode.in_(terms.PREPAID_MODES),
            order.status == 'active'))]


def stop_actions(session, project_id):
    """The project's stop, start and release actions as core Actions."""
    rows = session.execute(
        sa.select(ACTION.id, ACTION.resource_id, ACTION.action,
                  ACTION.dry_run).where(
            ACTION.project_id == project_id,
            ACTION.action.in_(core.STOP_ACTIONS))
        .order_by(ACTION.id))
    return [core.Action(row.id, row.resource_id, row.action,
                        bool(row.dry_run)) for row in rows]


def has_key(session, key):
    """Whether an action of key was recorded (byte for byte)."""
    return session.execute(
        sa.select(ACTION.id).where(
            ACTION.key_hash == idempotency.digest(key))
    ).first() is not None


def record(session, project_id, action, reason, actor, key, now,
           resource_id=None, dry_run=False, detail=None):
    """Insert one action row; returns its id."""
    result = session.execute(sa.insert(ACTION).values(
        project_id=project_id, resource_id=resource_id, action=action,
        reason=reason, actor=actor, dry_run=bool(dry_run),
        detail=None if detail is None else json.dumps(detail,
                                                      sort_keys=True),
        idempotency_key=key, key_hash=idempotency.digest(key),
        created_at=clock.naive_utc(now)))
    return result.inserted_primary_key[0]


def list_actions(project_id=None):
    """Every recorded action (of a project), oldest first, as dicts."""
    query = sa.select(ACTION).order_by(ACTION.id)
    if project_id is not None:
        query = query.where(ACTION.project_id == project_id)
    with db.session_for_read() as session:
        return [{
            'id': row.id, 'project_id': row.project_id,
            'resource_id': row.resource_id, 'action': row.action,
            'reason': row.reason, 'actor': row.actor,
            'dry_run': bool(row.dry_run),
            'detail': json.loads(row.detail) if row.detail else None,
            'idempotency_key': row.idempotency_key,
            'created_at': clock.instant(row.created_at),
        } for row in session.execute(query).scalars()]
