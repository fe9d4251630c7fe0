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
"""SQLAlchemy access to the billing tables.

Every write of a project happens in :meth:`BillingDB.project_transaction`,
which locks the project's account row first: that row is the project's
write lock (two processors rating one scope, a purchase racing a posting)
and its revision tells a reader whether the orders it loaded are current.
"""

import contextlib
import dataclasses
import json
import typing

from cloudkitty import db
from oslo_config import cfg
from oslo_utils import timeutils
import sqlalchemy as sa

from uos_billing.conf import opts
from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import ledger
from uos_billing.core import money
from uos_billing.core import orders as core_orders
from uos_billing.core import pricebook
from uos_billing.core import rating as core_rating
from uos_billing.core import terms
from uos_billing.rating.db.sqlalchemy import book as book_mod
from uos_billing.rating.db.sqlalchemy import catalog
from uos_billing.rating.db.sqlalchemy import listing
from uos_billing.rating.db.sqlalchemy import migration
from uos_billing.rating.db.sqlalchemy import models
from uos_billing.rating.db.sqlalchemy import retry

CONF = cfg.CONF


def get_backend():
    return BillingDB()


def _aware(dt):
    return None if dt is None else clock.instant(dt)


def _naive(dt):
    return None if dt is None else clock.naive_utc(dt)


row_dict = listing.row_dict


def product_from_row(row):
    return pricebook.Product.build(
        id=row.id, name=row.name, service=row.service, region=row.region,
        match=json.loads(row.match), unit=row.unit,
        on_demand_price=row.on_demand_price,
        monthly_price=row.monthly_price, yearly_price=row.yearly_price,
        currency=row.currency,
        effective_from=_aware(row.effective_from),
        effective_to=_aware(row.effective_to))


@dataclasses.dataclass
class ScopeSnapshot:
    """What rating a project's period needs from the database, read once."""
    project_id: str
    revision: typing.Optional[int]
    currency: typing.Optional[str]
    on_demand_orders: dict
    prepaid_active: list
    coverage: dict
    # The price book revision read in the same transaction.
    price_book: typing.Optional[int] = None
    # Whether the period was rated when this was read; it holds
    # while the account's revision has not moved.
    period_posted: bool = True

    def copy(self):
        return dataclasses.replace(
            self, on_demand_orders=dict(self.on_demand_orders),
            prepaid_active=list(self.prepaid_active),
            coverage={k: list(v) for k, v in self.coverage.items()})


class BillingDB(listing.Listings, catalog.Catalog):

    product_of = staticmethod(product_from_row)

    def get_migration(self):
        return migration

    # Price book

    def price_book_fingerprint(self):
        """The price book's revision: it moves with every product write."""
        return self._read(self._price_book_revision)

    @staticmethod
    def _price_book_revision(session):
        return session.execute(
            sa.select(models.PriceBookRevision.revision).where(
                models.PriceBookRevision.id == 1)).scalar_one()

    @staticmethod
    def _lock_price_book(session):
        """Serialize product writes and move the price book's revision."""
        row = session.execute(
            sa.select(models.PriceBookRevision).where(
                models.PriceBookRevision.id == 1)
            .with_for_update()).scalar_one()
        row.revision += 1

    def load_products(self):
        return self._read(lambda s: [
            product_from_row(row) for row in
            s.execute(sa.select(models.Product)).scalars()])

    def get_product(self, product_id):
        row = self._read(lambda s: s.get(models.Product, product_id))
        if row is None:
            raise errors.NotFound('product', product_id)
        return product_from_row(row)

    @retry.transaction()
    def create_product(self, product, created_by=None, description=None,
                       now=None):
        """Insert a core Product, refusing an ambiguous one (Conflict)."""
        now = clock.instant(now or timeutils.utcnow(with_timezone=True))
        with db.session_for_write() as session:
            self._lock_price_book(session)
            self._check_overlap(session, product)
            self._insert_product(session, product, description, created_by,
                                 now)
        return product

    @retry.transaction()
    def end_product(self, product_id, at, now=None):
        """End a product at instant at (price changes are new rows)."""
        at = clock.instant(at)
        now = clock.instant(now or timeutils.utcnow(with_timezone=True))
        with db.session_for_write() as session:
            self._lock_price_book(session)
            row = session.get(models.Product, product_id)
            if row is None:
                raise errors.NotFound('product', product_id)
            if at < _aware(row.effective_from):
                raise errors.InvalidInput(
                    'effective_to', 'product %s starts at %s, it cannot end '
                    'before' % (product_id, _aware(row.effective_from)))
            row.effective_to = _naive(at)
            row.updated_at = _naive(now)
            return product_from_row(row)

    # Reads of one project

    def load_scope(self, project_id, period, known=None):
        """Orders and prepaid coverage of a project around a period."""
        return self._read(lambda s: self.read_scope(s, project_id, period,
                                                    known))

    def read_scope(self, session, project_id, period, known=None):
        """Read what rating project_id's period needs.

        known is (revision, on-demand orders) as this process left them
        after its last posting for the project: while the account's
        revision has not moved, nobody else wrote, and the (possibly
        thousands of) on-demand orders are not read again.
        """
        # The price book's revision, the account's, and whether the period
        # was posted already, in one round trip.
        posted = book_mod.period_posted(project_id, _naive(period.begin))
        head = session.execute(
            sa.select(models.PriceBookRevision.revision.label('price_book'),
                      models.Account.revision, models.Account.currency,
                      posted.label('posted'))
            .select_from(models.PriceBookRevision)
            .outerjoin(models.Account,
                       models.Account.project_id == project_id)
            .where(models.PriceBookRevision.id == 1)).one()
        revision = head.revision
        # Plain columns, not ORM objects. An order closed during the period
        # still owns the period's lines: re-rating must not open another.
        query = sa.select(
            models.Order.id, models.Order.resource_id, models.Order.service,
            models.Order.mode, models.Order.status,
            models.Order.term_end).where(
                models.Order.project_id == project_id,
                sa.or_(models.Order.status == core_orders.ACTIVE,
                       models.Order.closed_at > _naive(period.begin)))
        reuse = known is not None and revision is not None and \
            known[0] == revision
        if reuse:
            query = query.where(models.Order.mode.in_(terms.PREPAID_MODES))
        orders = session.execute(query).all()
        if reuse:
            on_demand = dict(known[1])
        else:
            on_demand = {(o.resource_id, o.service): o.id for o in orders
                         if o.mode == terms.ON_DEMAND}
        prepaid_rows = [o for o in orders if o.mode != terms.ON_DEMAND]
        prepaid = [{'id': o.id, 'term_end': _aware(o.term_end)}
                   for o in prepaid_rows if o.status == core_orders.ACTIVE]
        # Coverage comes from the payments of prepaid orders active in the
        # period: without any, there is none to read.
        coverage = (self._coverage(session, project_id, period)
                    if prepaid_rows else {})
        return ScopeSnapshot(
            project_id=project_id, revision=revision,
            currency=head.currency, on_demand_orders=on_demand,
            prepaid_active=prepaid, coverage=coverage,
            price_book=head.price_book, period_posted=bool(head.posted))

    def _coverage(self, session, project_id, period):
        """Paid prepaid windows that overlap period, per (resource, service).

        Taken from the payment entries (each covers one term), cut at the
        order's closing, so that re-rating an old period sees the terms
        that were paid then, whatever renewals happened since.
        """
        rows = session.execute(
            sa.select(models.LedgerEntry.period_begin,
                      models.LedgerEntry.period_end, models.Order)
            .join(models.Order,
                  models.Order.id == models.LedgerEntry.order_id)
            .where(models.LedgerEntry.project_id == project_id,
                   models.LedgerEntry.kind == ledger.ORDER_PAYMENT,
                   models.LedgerEntry.period_end > _naive(period.begin),
                   models.LedgerEntry.period_begin < _naive(period.end)))
        products = {}
        coverage = {}
        for begin, end, order in rows:
            paid = core_orders.PaidTerm(
                order.id, clock.Window(_aware(begin), _aware(end)),
                _aware(order.closed_at)).effective()
            if paid is None:
                continue
            if order.product_id not in products:
                products[order.product_id] = product_from_row(
                    session.get(models.Product, order.product_id))
            coverage.setdefault((order.resource_id, order.service), []).append(
                core_rating.Coverage(order.id, order.resource_id,
                                     order.service, order.mode,
                                     products[order.product_id], paid))
        return coverage

    def get_account(self, project_id):
        row = self._read(lambda s: s.get(models.Account, project_id))
        if row is None:
            raise errors.NotFound('account', project_id)
        return row_dict(row)

    def list_ledger(self, project_id):
        return self._read(lambda s: [row_dict(r) for r in s.execute(
            sa.select(models.LedgerEntry)
            .where(models.LedgerEntry.project_id == project_id)
            .order_by(models.LedgerEntry.id)).scalars()])

    def list_orders(self, project_id):
        return self._read(lambda s: [row_dict(r) for r in s.execute(
            sa.select(models.Order)
            .where(models.Order.project_id == project_id)
            .order_by(models.Order.created_at, models.Order.id)).scalars()])

    def list_charges(self, project_id, period_begin=None):
        query = sa.select(models.Charge).where(
            models.Charge.project_id == project_id)
        if period_begin is not None:
            query = query.where(
                models.Charge.period_begin == _naive(period_begin))
        query = query.order_by(models.Charge.period_begin,
                               models.Charge.resource_id,
                               models.Charge.service, models.Charge.line_key)
        return self._read(lambda s: [row_dict(r)
                                     for r in s.execute(query).scalars()])

    # Writes of one project

    @contextlib.contextmanager
    def project_transaction(self, project_id, now, currency=None,
                            create=True):
        """Lock (or open) the project's account and yield its Book.

        Everything written through the Book commits together when the block
        ends, or not at all. Notifications are returned on the Book's
        events, for the caller to send once the commit succeeded.
        """
        now = clock.instant(now)
        with db.session_for_write() as session:
            account = session.execute(
                sa.select(models.Account)
                .where(models.Account.project_id == project_id)
                .with_for_update()).scalar_one_or_none()
            created = account is None
            if created:
                if not create:
                    raise errors.NotFound('account', project_id)
                account = self._new_account(session, project_id, now,
                                            currency)
            book = book_mod.Book(session, account, now, created)
            yield book
            book.close()

    def _new_account(self, session, project_id, now, currency):
        # A concurrent creator makes the flush fail with DBDuplicateEntry;
        # callers retry the whole transaction (oslo_db wrap_db_retry) and
        # then find the row.
        account = models.Account(
            project_id=project_id,
            currency=money.check_currency(
                currency or CONF.billing.default_currency, 'currency'),
            balance=money.ZERO,
            credit_limit=opts.default_credit_limit(CONF),
            low_balance_threshold=opts.default_low_balance_threshold(CONF),
            status=ledger.ACTIVE, created_at=_naive(now),
            updated_at=_naive(now), revision=0)
        session.add(account)
        session.flush()
        return account

    @staticmethod
    def _read(func):
        with db.session_for_read() as session:
            return func(session)
