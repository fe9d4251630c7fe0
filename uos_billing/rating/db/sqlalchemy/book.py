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
"""A project's writes inside one transaction, its account row locked."""

import typing

from oslo_utils import uuidutils
import sqlalchemy as sa
from sqlalchemy.orm import attributes as orm_attributes

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import idempotency
from uos_billing.core import ledger
from uos_billing.core import money
from uos_billing.core import orders as core_orders
from uos_billing.core import terms
from uos_billing.rating.db.sqlalchemy import bulk
from uos_billing.rating.db.sqlalchemy import models


_LEDGER = models.LedgerEntry.__table__
_ACCOUNT = models.Account.__table__
_SERVICE_CHARGE = models.ServiceCharge.__table__
#: The account's columns a transaction moves, written by Book.close().
_ACCOUNT_STATE = ('balance', 'status', 'owed_since', 'revision',
                  'updated_at')


# Statements built once: SQLAlchemy then reuses their cache key.
_INSERT_LEDGER = _LEDGER.insert()
_INSERT_RATED = models.RatedPeriod.__table__.insert()
_UPDATE_ACCOUNT = (
    sa.update(_ACCOUNT)
    .where(_ACCOUNT.c.project_id == sa.bindparam('account'))
    .values({name: sa.bindparam(name) for name in _ACCOUNT_STATE}))


def period_posted(project_id, begin):
    """Whether a project's period was rated.

    Its billing_rated_period row says so, or a charge or adjustment entry
    for it: a processor still running the code before that table (while
    the cloud upgrades) posts entries and no row.
    """
    rated, entry = models.RatedPeriod, models.LedgerEntry
    return sa.or_(
        sa.exists().where(rated.project_id == project_id,
                          rated.period_begin == begin),
        sa.exists().where(
            entry.project_id == project_id, entry.period_begin == begin,
            entry.kind.in_((ledger.CHARGE, ledger.ADJUSTMENT))))


def _scope_head_query():
    project_id, begin = sa.bindparam('project_id'), sa.bindparam('begin')
    order = models.Order
    price_book = (sa.select(models.PriceBookRevision.revision)
                  .where(models.PriceBookRevision.id == 1)
                  .scalar_subquery())
    posted = period_posted(project_id, begin)
    prepaid = sa.exists().where(
        order.project_id == project_id,
        order.mode.in_(terms.PREPAID_MODES),
        sa.or_(order.status == core_orders.ACTIVE, order.closed_at > begin))
    return sa.select(price_book.label('price_book'), posted.label('posted'),
                     prepaid.label('prepaid'))


_SCOPE_HEAD = _scope_head_query()


class ScopeHead(typing.NamedTuple):
    """What a posting reads of its project when nobody else wrote to it."""
    # The price book's revision.
    price_book: int
    # Whether the period was rated already (period_posted()).
    period_posted: bool
    # Whether the project has a prepaid order active, or closed after the
    # period's begin (which may cover the period).
    prepaid: bool


def naive(dt):
    return None if dt is None else clock.naive_utc(dt)


def account_state(row):
    return ledger.AccountState(
        balance=row.balance, credit_limit=row.credit_limit,
        low_balance_threshold=row.low_balance_threshold,
        status=row.status,
        owed_since=None if row.owed_since is None else clock.instant(
            row.owed_since))


class Book(object):
    """The writes of one project inside one transaction."""

    def __init__(self, session, account, now, created=False):
        self.session = session
        self.account = account
        self.now = now
        # True when this transaction opened the account.
        self.created = created
        self.events = []
        self.written = False

    @property
    def project_id(self):
        return self.account.project_id

    @property
    def currency(self):
        return self.account.currency

    @property
    def state(self):
        return account_state(self.account)

    def find_entry(self, key):
        """The ledger entry of key, compared byte for byte, or None."""
        return self.session.execute(
            sa.select(models.LedgerEntry).where(
                models.LedgerEntry.key_hash == idempotency.digest(key))
        ).scalar_one_or_none()

    def post(self, kind, amount, key, order_id=None, period=None,
             created_by=None, note=None):
        """Append a ledger entry and move the cached balance with it.

        The entry is inserted at once (one INSERT, no ORM flush of its
        own), after whatever ORM changes are pending, and returned as a
        LedgerEntry with its id.
        """
        amount = money.stored(amount)
        before = self.state
        after, events = ledger.post(before, amount, self.now)
        values = dict(
            uuid=uuidutils.generate_uuid(),
            project_id=self.project_id, kind=kind, amount=amount,
            balance_after=after.balance, order_id=order_id,
            period_begin=naive(period.begin) if period else None,
            period_end=naive(period.end) if period else None,
            idempotency_key=key, key_hash=idempotency.digest(key),
            created_at=naive(self.now),
            created_by=created_by, note=note)
        session = self.session
        if session.new or session.dirty:
            # The writes keep their order.
            session.flush()
        result = session.connection().execute(_INSERT_LEDGER, values)
        entry = models.LedgerEntry(id=result.inserted_primary_key[0],
                                   **values)
        self.written = True
        self._set_state(after, events)
        return entry

    def _set_account(self, **values):
        """Set account columns; close() writes them in one UPDATE."""
        account = self.account
        for name, value in values.items():
            # Not an ORM change: no flush of the account of its own.
            orm_attributes.set_committed_value(account, name, value)
        self.written = True

    def _set_state(self, state, events):
        self._set_account(balance=state.balance, status=state.status,
                          owed_since=naive(state.owed_since))
        for event in events:
            self.events.append((event, self.event_payload()))

    def set_state(self, state, events=()):
        self._set_state(state, events)

    def event_payload(self):
        account = self.account
        return {
            'project_id': account.project_id,
            'currency': account.currency,
            'balance': money.to_str(account.balance),
            'credit_limit': money.to_str(account.credit_limit),
            'low_balance_threshold': (
                None if account.low_balance_threshold is None
                else money.to_str(account.low_balance_threshold)),
            'status': account.status,
            'owed_since': (None if account.owed_since is None
                           else account.owed_since.isoformat() + 'Z'),
        }

    def scope_head(self, period_begin):
        """The ScopeHead of the period starting at period_begin.

        One round trip, under the account's lock.
        """
        row = self.session.execute(_SCOPE_HEAD, {
            'project_id': self.project_id,
            'begin': naive(period_begin)}).one()
        return ScopeHead(row.price_book, bool(row.posted), bool(row.prepaid))

    def period_amounts(self, period_begin):
        """Amounts of the charge and adjustment entries of a period."""
        return list(self.session.execute(
            sa.select(models.LedgerEntry.amount).where(
                models.LedgerEntry.project_id == self.project_id,
                models.LedgerEntry.period_begin == naive(period_begin),
                models.LedgerEntry.kind.in_((ledger.CHARGE,
                                             ledger.ADJUSTMENT)))
            .order_by(models.LedgerEntry.id)).scalars())

    def record_rated(self, period):
        """The record of the period's first rating (RatedPeriod)."""
        self.session.connection().execute(_INSERT_RATED, {
            'project_id': self.project_id,
            'period_begin': naive(period.begin),
            'period_end': naive(period.end), 'rated_at': naive(self.now)})
        self.written = True

    def period_service_charges(self, period_begin):
        """What the period's entries recorded per service: {service: sum}."""
        charged = {}
        for service, amount in self.session.execute(
                sa.select(models.ServiceCharge.service,
                          models.ServiceCharge.amount).where(
                    models.ServiceCharge.project_id == self.project_id,
                    models.ServiceCharge.period_begin == naive(
                        period_begin))):
            charged[service] = charged.get(service, money.ZERO) + amount
        return charged

    def record_service_charges(self, entry, differences):
        """The per-service rows of a charge or adjustment entry."""
        if differences:
            bulk.insert(
                self.session.connection(), _SERVICE_CHARGE,
                ('entry_id', 'project_id', 'period_begin', 'service',
                 'amount'),
                [[entry.id, self.project_id, entry.period_begin, service,
                  amount] for service, amount in differences.items()])

    def period_lines(self, period_begin, names):
        """The charge lines of a period, as a set of tuples of columns."""
        columns = [getattr(models.Charge, name) for name in names]
        return {tuple(row) for row in self.session.execute(
            sa.select(*columns).where(
                models.Charge.project_id == self.project_id,
                models.Charge.period_begin == naive(period_begin)))}

    def write_charges(self, period, columns, rows, replace):
        """Insert a period's charge rows, replacing earlier ones if asked.

        rows are sequences of the values of columns.
        """
        if replace:
            self.session.execute(sa.delete(models.Charge).where(
                models.Charge.project_id == self.project_id,
                models.Charge.period_begin == naive(period.begin)))
        if rows:
            bulk.insert(self.session.connection(), models.Charge.__table__,
                        columns, rows)
        self.written = True

    def insert_orders(self, rows):
        """Insert orders given as dicts of the same columns."""
        if rows:
            columns = list(rows[0])
            bulk.insert(self.session.connection(), models.Order.__table__,
                        columns, [[row[c] for c in columns] for row in rows])
            self.written = True

    def get_order(self, order_id):
        """An order of the project, locked for a change."""
        # Its caller changes it, possibly in a flush before close().
        self.written = True
        order = self.session.execute(
            sa.select(models.Order).where(
                models.Order.id == order_id,
                models.Order.project_id == self.project_id)
            .with_for_update()).scalar_one_or_none()
        if order is None:
            raise errors.NotFound('order', order_id)
        return order

    def active_orders(self, resource_id, service):
        return list(self.session.execute(
            sa.select(models.Order).where(
                models.Order.project_id == self.project_id,
                models.Order.resource_id == resource_id,
                models.Order.service == service,
                models.Order.status == core_orders.ACTIVE)).scalars())

    def order_payments(self, order_id):
        return list(self.session.execute(
            sa.select(models.LedgerEntry).where(
                models.LedgerEntry.order_id == order_id,
                models.LedgerEntry.kind == ledger.ORDER_PAYMENT)
            .order_by(models.LedgerEntry.id)).scalars())

    def close(self):
        """Bump the project's revision if this transaction wrote anything.

        The account's state and revision are written in one UPDATE.
        """
        if self.written or self.session.new or self.session.dirty:
            account = self.account
            self._set_account(revision=(account.revision or 0) + 1,
                              updated_at=naive(self.now))
            values = {name: getattr(account, name)
                      for name in _ACCOUNT_STATE}
            values['account'] = account.project_id
            self.session.connection().execute(_UPDATE_ACCOUNT, values)
        self.revision = self.account.revision
