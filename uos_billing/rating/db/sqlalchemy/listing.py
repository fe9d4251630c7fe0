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
"""Paged reads of the API: products, accounts, ledger, orders, statements.

Paging is oslo.db's: sorted on a unique key, the page after the marker
row, never an offset.
"""

from oslo_db.sqlalchemy import utils as oslo_utils
import sqlalchemy as sa

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import ledger
from uos_billing.core import money
from uos_billing.rating.db.sqlalchemy import models


def _naive(dt):
    return None if dt is None else clock.naive_utc(dt)


def row_dict(row):
    """A row as a dict of its columns (instants as aware UTC)."""
    out = {}
    for column in row.__table__.columns:
        value = getattr(row, column.name)
        if isinstance(column.type, sa.DateTime) and value is not None:
            value = clock.instant(value)
        out[column.name] = value
    return out


def _page(session, query, model, sort_keys, limit, marker, marker_key,
          marker_scope=()):
    """One page of query after the row whose marker_key is marker.

    marker_scope: criteria the marker row must meet too (a project's own
    rows): any other is unknown, as far as the caller knows.
    """
    marker_row = None
    if marker is not None:
        marker_row = session.query(model).filter(
            getattr(model, marker_key) == marker,
            *marker_scope).one_or_none()
        if marker_row is None:
            raise errors.InvalidInput('marker', 'no %s %s to page from' % (
                model.__tablename__[len('billing_'):], marker))
    return [row_dict(row) for row in oslo_utils.paginate_query(
        query, model, limit, sort_keys, marker=marker_row, sort_dir='asc')]


class Listings(object):
    """Reads of the billing API, mixed into BillingDB."""

    def list_products(self, limit, marker=None, service=None, region=None,
                      active_at=None):
        model = models.Product

        def read(session):
            query = session.query(model)
            if service is not None:
                query = query.filter(model.service == service)
            if region is not None:
                query = query.filter(model.region.in_((region, '*')))
            if active_at is not None:
                at = _naive(active_at)
                query = query.filter(model.effective_from <= at, sa.or_(
                    model.effective_to.is_(None), model.effective_to > at))
            return _page(session, query, model, ['created_at', 'id'], limit,
                         marker, 'id')
        return self._read(read)

    def get_product_row(self, product_id):
        row = self._read(lambda s: s.get(models.Product, product_id))
        if row is None:
            raise errors.NotFound('product', product_id)
        return row_dict(row)

    def product_in_use(self, session, product_id):
        """Whether an order or a charge line refers to the product."""
        for model in (models.Order, models.Charge):
            used = session.execute(sa.select(model.id).where(
                model.product_id == product_id).limit(1)).first()
            if used is not None:
                return True
        return False

    def list_accounts(self, limit, marker=None, status=None,
                      project_id=None):
        model = models.Account

        def read(session):
            query = session.query(model)
            if status is not None:
                query = query.filter(model.status == status)
            if project_id is not None:
                query = query.filter(model.project_id == project_id)
            return _page(session, query, model, ['project_id'], limit,
                         marker, 'project_id')
        return self._read(read)

    @staticmethod
    def has_ledger(session, project_id):
        """Whether the project's ledger has any entry."""
        return session.execute(sa.select(models.LedgerEntry.id).where(
            models.LedgerEntry.project_id == project_id).limit(1)
        ).first() is not None

    def list_transactions(self, project_id, limit, marker=None, kind=None,
                          begin=None, end=None):
        """A project's ledger entries, oldest first (begin, end: created).

        marker is the uuid of one of the project's entries; the page is
        ordered by the internal id.
        """
        model = models.LedgerEntry

        def read(session):
            query = session.query(model).filter(
                model.project_id == project_id)
            if kind is not None:
                query = query.filter(model.kind == kind)
            if begin is not None:
                query = query.filter(model.created_at >= _naive(begin))
            if end is not None:
                query = query.filter(model.created_at < _naive(end))
            return _page(session, query, model, ['id'], limit, marker,
                         'uuid', [model.project_id == project_id])
        return self._read(read)

    def list_orders_page(self, limit, marker=None, project_id=None,
                         status=None, mode=None, resource_id=None):
        model = models.Order

        def read(session):
            query = session.query(model)
            for column, value in (('project_id', project_id),
                                  ('status', status), ('mode', mode),
                                  ('resource_id', resource_id)):
                if value is not None:
                    query = query.filter(getattr(model, column) == value)
            return _page(session, query, model, ['created_at', 'id'], limit,
                         marker, 'id')
        return self._read(read)

    def get_order_row(self, order_id):
        row = self._read(lambda s: s.get(models.Order, order_id))
        if row is None:
            raise errors.NotFound('order', order_id)
        return row_dict(row)

    def statement_data(self, project_id, window):
        """What a month's statement is made of, read in one transaction.

        The month's entries are those created in it; its charges per
        service are what its charge and adjustment entries recorded per
        service when they were posted (billing_service_charge), so that
        they add up to the month's charges and never change once the
        month is closed.
        """
        entry = models.LedgerEntry

        def read(session):
            account = session.get(models.Account, project_id)
            if account is None:
                raise errors.NotFound('account', project_id)
            before = session.execute(
                sa.select(entry.balance_after).where(
                    entry.project_id == project_id,
                    entry.created_at < _naive(window.begin))
                .order_by(entry.id.desc()).limit(1)).scalar()
            in_month = sa.and_(entry.project_id == project_id,
                               entry.created_at >= _naive(window.begin),
                               entry.created_at < _naive(window.end))
            entries = [tuple(row) for row in session.execute(
                sa.select(entry.kind, entry.amount).where(in_month)
                .order_by(entry.id))]
            charged = models.ServiceCharge
            lines = [tuple(row) for row in session.execute(
                sa.select(charged.service, charged.amount)
                .join(entry, entry.id == charged.entry_id)
                .where(in_month, charged.project_id == project_id))]
            return account.currency, before, entries, lines
        return self._read(read)

    def charged_since(self, project_id, since):
        """What the periods beginning at or after since charged in all."""
        entry = models.LedgerEntry
        # Summed here, not by SQL: SQLite would sum the amounts as floats.
        amounts = self._read(lambda s: list(s.execute(
            sa.select(entry.amount).where(
                entry.project_id == project_id,
                entry.kind.in_((ledger.CHARGE, ledger.ADJUSTMENT)),
                entry.period_begin >= _naive(since))).scalars()))
        return -money.sum_of(amounts)
