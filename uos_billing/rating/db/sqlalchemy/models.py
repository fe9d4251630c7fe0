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
"""Tables of the billing rating module (SPEC section 3), prefix billing_."""

import sqlalchemy as sa

from cloudkitty.common.db import models as ck_models

from uos_billing.rating.db.sqlalchemy import types

Base = ck_models.get_base()


class Product(Base):
    __tablename__ = 'billing_product'

    id = sa.Column(sa.String(36), primary_key=True)
    name = sa.Column(sa.String(255), nullable=False)
    service = sa.Column(sa.String(64), nullable=False, index=True)
    region = sa.Column(sa.String(255), nullable=False, default='*')
    # Canonical JSON (sorted keys) of groupby/metadata field -> value.
    match = sa.Column(sa.Text, nullable=False, default='{}')
    unit = sa.Column(sa.String(64), nullable=False, default='')
    on_demand_price = sa.Column(types.Money(), nullable=False)
    monthly_price = sa.Column(types.Money(), nullable=True)
    yearly_price = sa.Column(types.Money(), nullable=True)
    currency = sa.Column(sa.String(3), nullable=False)
    effective_from = sa.Column(sa.DateTime, nullable=False)
    effective_to = sa.Column(sa.DateTime, nullable=True)
    description = sa.Column(sa.Text, nullable=True)
    created_at = sa.Column(sa.DateTime, nullable=False)
    created_by = sa.Column(sa.String(255), nullable=True)
    # Moves on every insert and update: with the row count it tells a rating
    # process whether its cached price book is still current.
    updated_at = sa.Column(sa.DateTime, nullable=False)


class PriceBookRevision(Base):
    """One row whose revision moves with every product write.

    Product writes lock it first (so that two admins cannot add
    overlapping products at once, on any backend), and rating processes
    compare it with the revision of the price book they cached.
    """
    __tablename__ = 'billing_price_book'

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=False)
    revision = sa.Column(sa.Integer, nullable=False)


class Account(Base):
    __tablename__ = 'billing_account'

    project_id = sa.Column(sa.String(64), primary_key=True)
    currency = sa.Column(sa.String(3), nullable=False)
    balance = sa.Column(types.Money(), nullable=False)
    credit_limit = sa.Column(types.Money(), nullable=False)
    low_balance_threshold = sa.Column(types.Money(), nullable=True)
    status = sa.Column(sa.String(16), nullable=False, default='active')
    owed_since = sa.Column(sa.DateTime, nullable=True)
    created_at = sa.Column(sa.DateTime, nullable=False)
    updated_at = sa.Column(sa.DateTime, nullable=False)
    # Bumped by every write transaction of the project (they all lock this
    # row first): a reader that loaded the project's orders can tell whether
    # they are still current once it holds the lock.
    revision = sa.Column(sa.Integer, nullable=False, default=0)


class LedgerEntry(Base):
    __tablename__ = 'billing_ledger'
    __table_args__ = (
        sa.Index('ix_billing_ledger_project_period', 'project_id',
                 'period_begin'),
        # The prepaid coverage of a period: a project's payments by end.
        sa.Index('ix_billing_ledger_project_kind_end', 'project_id', 'kind',
                 'period_end'),
        sa.UniqueConstraint('key_hash', name='uq_billing_ledger_key_hash'),
        sa.UniqueConstraint('uuid', name='uq_billing_ledger_uuid'),
    )

    # Internal: the order of the entries. The API shows uuid instead (the
    # integer would tell members how many entries the cloud makes).

    id = sa.Column(sa.BigInteger().with_variant(sa.Integer, 'sqlite'),
                   primary_key=True, autoincrement=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    project_id = sa.Column(sa.String(64), nullable=False)
    kind = sa.Column(sa.String(16), nullable=False)
    amount = sa.Column(types.Money(), nullable=False)
    balance_after = sa.Column(types.Money(), nullable=False)
    order_id = sa.Column(sa.String(36), nullable=True, index=True)
    period_begin = sa.Column(sa.DateTime, nullable=True)
    period_end = sa.Column(sa.DateTime, nullable=True)
    idempotency_key = sa.Column(sa.String(255), nullable=False)
    # The key's identity, byte for byte (uos_billing.core.idempotency).
    key_hash = sa.Column(sa.String(64), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False)
    created_by = sa.Column(sa.String(255), nullable=True)
    note = sa.Column(sa.Text, nullable=True)


class Order(Base):
    __tablename__ = 'billing_order'
    __table_args__ = (
        # Serves both a project's orders and a resource's orders.
        sa.Index('ix_billing_order_project_resource', 'project_id',
                 'resource_id', 'service'),
        # A project's prepaid orders, without its on-demand ones.
        sa.Index('ix_billing_order_project_mode', 'project_id', 'mode'),
    )

    id = sa.Column(sa.String(36), primary_key=True)
    project_id = sa.Column(sa.String(64), nullable=False)
    resource_id = sa.Column(sa.String(255), nullable=False)
    service = sa.Column(sa.String(64), nullable=False)
    product_id = sa.Column(sa.String(36), nullable=True)
    mode = sa.Column(sa.String(16), nullable=False)
    status = sa.Column(sa.String(16), nullable=False)
    unit_price = sa.Column(types.Money(), nullable=True)
    term_start = sa.Column(sa.DateTime, nullable=True)
    term_end = sa.Column(sa.DateTime, nullable=True)
    count = sa.Column(sa.Integer, nullable=True)
    auto_renew = sa.Column(sa.Boolean, nullable=False, default=False)
    renewals = sa.Column(sa.Integer, nullable=False, default=0)
    # Day of month of the first purchase: renewals end on it, clamped.
    anchor_day = sa.Column(sa.Integer, nullable=True)
    created_at = sa.Column(sa.DateTime, nullable=False)
    closed_at = sa.Column(sa.DateTime, nullable=True)


class Charge(Base):
    __tablename__ = 'billing_charge'
    __table_args__ = (
        # SPEC's key plus line_key: the state collector emits one point per
        # (VM, state), so one resource may have several lines per period.
        # Ordered so that it also serves the lookups of a project's period.
        sa.UniqueConstraint('project_id', 'period_begin', 'resource_id',
                            'service', 'line_key',
                            name='uq_billing_charge_line'),
    )

    id = sa.Column(sa.BigInteger().with_variant(sa.Integer, 'sqlite'),
                   primary_key=True, autoincrement=True)
    project_id = sa.Column(sa.String(64), nullable=False)
    resource_id = sa.Column(sa.String(255), nullable=False)
    service = sa.Column(sa.String(64), nullable=False)
    line_key = sa.Column(sa.String(128), nullable=False, default='')
    period_begin = sa.Column(sa.DateTime, nullable=False)
    period_end = sa.Column(sa.DateTime, nullable=False)
    qty = sa.Column(types.Quantity(), nullable=False)
    billed_seconds = sa.Column(sa.Integer, nullable=False)
    amount = sa.Column(types.Money(), nullable=False)
    order_id = sa.Column(sa.String(36), nullable=True)
    product_id = sa.Column(sa.String(36), nullable=True)
    mode = sa.Column(sa.String(16), nullable=False)


class RatedPeriod(Base):
    """A (project, period) the module rated: the record of exactly once.

    Written, once, by the period's first posting, whatever it charged: a
    period that charges nothing (under a prepaid term, or without usage)
    has no ledger entry, and this row says it was rated all the same.
    Append-only.
    """
    __tablename__ = 'billing_rated_period'

    project_id = sa.Column(sa.String(64), primary_key=True)
    period_begin = sa.Column(sa.DateTime, primary_key=True)
    period_end = sa.Column(sa.DateTime, nullable=False)
    rated_at = sa.Column(sa.DateTime, nullable=False)


class ServiceCharge(Base):
    """What one charge or adjustment entry charged per service.

    Append-only, written with its entry: the difference per service
    between the period's lines after the posting and what the period's
    earlier entries recorded, so that an entry's rows add up to its
    amount (as a positive charge) and a month's statement breaks its
    charges down by the entries of the month, whatever re-rating does to
    the charge lines later. A re-rating that moves money between services
    and keeps the total writes no entry, hence no rows: the next entry of
    the period carries that move.
    """
    __tablename__ = 'billing_service_charge'
    __table_args__ = (
        sa.Index('ix_billing_service_charge_project_period', 'project_id',
                 'period_begin'),
        sa.Index('ix_billing_service_charge_entry', 'entry_id'),
    )

    id = sa.Column(sa.BigInteger().with_variant(sa.Integer, 'sqlite'),
                   primary_key=True, autoincrement=True)
    # billing_ledger.id of the charge or adjustment entry.
    entry_id = sa.Column(sa.BigInteger().with_variant(sa.Integer, 'sqlite'),
                         nullable=False)
    project_id = sa.Column(sa.String(64), nullable=False)
    period_begin = sa.Column(sa.DateTime, nullable=False)
    service = sa.Column(sa.String(64), nullable=False)
    # Charged more is positive, as the charge lines' amounts.
    amount = sa.Column(types.Money(), nullable=False)


class Hold(Base):
    """A prepaid term's price set aside until its resource exists.

    Read and written under the project's account lock, like every other
    write of the project. A hold is live while its status is held and its
    expires_at is ahead (uos_billing.core.holds).
    """
    __tablename__ = 'billing_hold'
    __table_args__ = (
        # A project's live holds: held ones that have not expired.
        sa.Index('ix_billing_hold_project_status_expires', 'project_id',
                 'status', 'expires_at'),
    )

    id = sa.Column(sa.String(36), primary_key=True)
    project_id = sa.Column(sa.String(64), nullable=False, index=True)
    service = sa.Column(sa.String(64), nullable=False)
    product_id = sa.Column(sa.String(36), nullable=False)
    mode = sa.Column(sa.String(16), nullable=False)
    count = sa.Column(sa.Integer, nullable=False)
    amount = sa.Column(types.Money(), nullable=False)
    currency = sa.Column(sa.String(3), nullable=False)
    auto_renew = sa.Column(sa.Boolean, nullable=False, default=False)
    status = sa.Column(sa.String(16), nullable=False)
    expires_at = sa.Column(sa.DateTime, nullable=False)
    resource_id = sa.Column(sa.String(255), nullable=True)
    order_id = sa.Column(sa.String(36), nullable=True)
    created_at = sa.Column(sa.DateTime, nullable=False)
    created_by = sa.Column(sa.String(255), nullable=True)
    updated_at = sa.Column(sa.DateTime, nullable=False)


class EnforcementAction(Base):
    """What the enforcement ladder and the checker did, who and why.

    Append-only. Written under the project's account lock; the unique
    key_hash of its idempotency_key makes each action happen at most once
    (a warning per owed episode, a stop per server and episode, one undo
    per stop, one notice per prepaid term...). dry_run rows say what would
    have been done.
    """
    __tablename__ = 'billing_enforcement_action'
    __table_args__ = (
        sa.Index('ix_billing_enforcement_action_project_resource',
                 'project_id', 'resource_id'),
        sa.UniqueConstraint(
            'key_hash', name='uq_billing_enforcement_action_key_hash'),
    )

    id = sa.Column(sa.BigInteger().with_variant(sa.Integer, 'sqlite'),
                   primary_key=True, autoincrement=True)
    project_id = sa.Column(sa.String(64), nullable=False)
    resource_id = sa.Column(sa.String(255), nullable=True)
    action = sa.Column(sa.String(32), nullable=False)
    reason = sa.Column(sa.Text, nullable=False)
    actor = sa.Column(sa.String(255), nullable=False)
    dry_run = sa.Column(sa.Boolean, nullable=False, default=False)
    # JSON object of the figures behind the action (owed_since, amounts).
    detail = sa.Column(sa.Text, nullable=True)
    idempotency_key = sa.Column(sa.String(255), nullable=False)
    # The key's identity, byte for byte (uos_billing.core.idempotency).
    key_hash = sa.Column(sa.String(64), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False)


class IdempotentRequest(Base):
    """An order operation sent with a client's idempotency key.

    Written in the transaction of the operation it answers, under the
    project's account lock: the retry of a request that committed finds
    it (after a crash, a lost answer, a parallel duplicate) and is
    answered its result, the first answer; one that did not commit left
    nothing. Append-only.
    """
    __tablename__ = 'billing_request'
    __table_args__ = (
        sa.UniqueConstraint('key_hash', name='uq_billing_request_key_hash'),
    )

    id = sa.Column(sa.BigInteger().with_variant(sa.Integer, 'sqlite'),
                   primary_key=True, autoincrement=True)
    project_id = sa.Column(sa.String(64), nullable=False)
    # uos_billing.core.idempotency.OPERATIONS
    operation = sa.Column(sa.String(16), nullable=False)
    # The key as the client sent it.
    idempotency_key = sa.Column(sa.String(255), nullable=False)
    # The identity of (operation, project, key), byte for byte.
    key_hash = sa.Column(sa.String(64), nullable=False)
    # The identity of what the request asked for.
    fingerprint = sa.Column(sa.String(64), nullable=False)
    # The order the request bought or changed.
    order_id = sa.Column(sa.String(36), nullable=True)
    # The first answer, as JSON (uos_billing.rating.db.sqlalchemy.replays).
    result = sa.Column(sa.Text, nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False)
    created_by = sa.Column(sa.String(255), nullable=True)
