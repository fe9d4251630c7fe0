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
"""Funds holds: hold a prepaid term's price, confirm it into an order, or
release it (the admission filter's POST .../holds routes).

Each operation runs in the project's transaction, under its account lock,
like the purchases it competes with for the same money. A hold writes no
ledger entry; its confirmation is a purchase, through the very code of
BillingService.buy.
"""

from cloudkitty import db as ck_db
from oslo_config import cfg
from oslo_utils import uuidutils
import sqlalchemy as sa

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import holds as core_holds
from uos_billing.core import identifiers
from uos_billing.core import orders as core_orders
from uos_billing.core import rating as core_rating
from uos_billing.core import terms
from uos_billing.rating.db import api as db_api
from uos_billing.rating.db.sqlalchemy import api as sql_api
from uos_billing.rating.db.sqlalchemy import models
from uos_billing.rating import pricing
from uos_billing.rating import service

CONF = cfg.CONF


def hold_dict(row, at):
    """A hold as a dict of its columns, its status as of instant at."""
    out = sql_api.row_dict(row)
    out['status'] = core_holds.status_at(out['status'], out['expires_at'],
                                         at)
    return out


def get_hold(hold_id, now=None):
    """A hold, read outside any transaction (NotFound when there is none)."""
    with ck_db.session_for_read() as session:
        row = session.get(models.Hold, hold_id)
        if row is None:
            raise errors.NotFound('hold', hold_id)
        return hold_dict(row, service._now(now))


class HoldService(object):
    """Hold, confirm and release (etc/api-paste/README.rst)."""

    def __init__(self, dbapi=None):
        self.db = dbapi or db_api.get_instance()
        self.billing = service.BillingService(self.db)

    def _match(self, service_name, fields, now):
        """The product of the term, matched as a quote matches it."""
        prices = pricing.PRICE_BOOKS.get(self.db)
        product = prices.match(service_name, CONF.billing.region, fields,
                               now)
        if product is None:
            raise errors.InvalidInput(
                'fields', 'no product prices %s with these fields in region '
                '%s' % (service_name, CONF.billing.region))
        return product

    @service.operation
    def hold(self, project_id, service_name, mode, count, auto_renew=False,
             fields=None, product_id=None, created_by=None, now=None):
        """Set count terms' price of mode aside for project_id.

        402 (InsufficientFunds) when balance + credit limit - the
        project's live holds do not cover it, 409 when the account is
        frozen, 400 when no product matches or it has no price in mode.
        """
        now = service._now(now)
        terms.check_mode_count(mode, count)
        if mode not in terms.PREPAID_MODES:
            raise errors.InvalidInput('mode', 'a hold is for a prepaid '
                                              'term, not %s' % mode)
        if product_id is None:
            product = self._match(service_name, fields or {}, now)
        else:
            product = self.billing._product(product_id)
            self.billing.check_product(product, service_name, now)
        price, _unit_price = core_orders.term_price(product, mode, count)
        with self.db.project_transaction(project_id, now) as book:
            core_rating.check_currency(project_id, book.currency, product)
            core_holds.require_funds(project_id, book.state, price,
                                     book.currency,
                                     service.held_funds(book, now))
            row = models.Hold(
                id=uuidutils.generate_uuid(), project_id=project_id,
                service=service_name, product_id=product.id, mode=mode,
                count=count, amount=price, currency=book.currency,
                auto_renew=bool(auto_renew), status=core_holds.HELD,
                expires_at=clock.naive_utc(core_holds.expiry(
                    now, CONF.billing.hold_ttl)),
                created_at=clock.naive_utc(now), created_by=created_by,
                updated_at=clock.naive_utc(now))
            book.session.add(row)
            self._expire_stale(book, now)
            book.session.flush()
            result = hold_dict(row, now)
        return result, book.events

    @staticmethod
    def _locked(book, hold_id):
        row = book.session.execute(
            sa.select(models.Hold).where(
                models.Hold.id == hold_id,
                models.Hold.project_id == book.project_id)
            .with_for_update()).scalar_one_or_none()
        if row is None:
            raise errors.NotFound('hold', hold_id)
        return row

    @staticmethod
    def _expire_stale(book, now):
        """Record as expired the project's held holds past their expiry."""
        book.session.execute(
            sa.update(models.Hold).where(
                models.Hold.project_id == book.project_id,
                models.Hold.status == core_holds.HELD,
                models.Hold.expires_at <= clock.naive_utc(now))
            .values(status=core_holds.EXPIRED,
                    updated_at=clock.naive_utc(now))
            .execution_options(synchronize_session=False))

    def _project_of(self, hold_id):
        return get_hold(hold_id)['project_id']

    @service.operation
    def confirm(self, hold_id, resource_id, created_by=None, now=None):
        """Buy the held term for resource_id: (order, replayed).

        The purchase is BillingService.buy's, with the hold's product,
        mode, count and amount; its term starts now. The same resource
        again returns the same order (replayed); a released or expired
        hold, or one confirmed for another resource, is a Conflict.
        """
        now = service._now(now)
        # Not looked up in Gnocchi: Nova has just created the server,
        # Gnocchi learns of it with Ceilometer's first sample.
        identifiers.check_resource_id(resource_id)
        project_id = self._project_of(hold_id)
        with self.db.project_transaction(project_id, now,
                                         create=False) as book:
            row = self._locked(book, hold_id)
            status = core_holds.status_at(
                row.status, clock.instant(row.expires_at), now)
            if status == core_holds.CONFIRMED:
                if row.resource_id != resource_id:
                    raise errors.Conflict(
                        'hold %s was confirmed for resource %s, not %s' % (
                            hold_id, row.resource_id, resource_id))
                order = book.session.get(models.Order, row.order_id)
                replayed = True
            elif status != core_holds.HELD:
                raise errors.Conflict('hold %s is %s: it cannot be '
                                      'confirmed' % (hold_id, status))
            else:
                product_row = book.session.get(models.Product,
                                               row.product_id)
                if product_row is None:
                    raise errors.Conflict('the product %s of hold %s was '
                                          'deleted' % (row.product_id,
                                                       hold_id))
                product = sql_api.product_from_row(product_row)
                self.billing.check_product(product, row.service, now)
                order = self.billing.purchase(
                    book, resource_id, row.service, product, row.mode,
                    row.count, row.amount, product.prepaid_price(row.mode),
                    row.auto_renew, now, created_by,
                    held=service.held_funds(book, now, exclude=hold_id))
                row.status = core_holds.CONFIRMED
                row.resource_id = resource_id
                row.order_id = order.id
                row.updated_at = clock.naive_utc(now)
                self._expire_stale(book, now)
                book.session.flush()
                replayed = False
            result = sql_api.row_dict(order)
        return (result, replayed), book.events

    @service.operation
    def release(self, hold_id, now=None):
        """Give a hold's funds back; a released or expired one stays so.

        A confirmed hold is a Conflict: its money paid an order.
        """
        now = service._now(now)
        project_id = self._project_of(hold_id)
        with self.db.project_transaction(project_id, now,
                                         create=False) as book:
            row = self._locked(book, hold_id)
            status = core_holds.status_at(
                row.status, clock.instant(row.expires_at), now)
            if status == core_holds.CONFIRMED:
                raise errors.Conflict(
                    'hold %s was confirmed into order %s: cancel the order '
                    'instead' % (hold_id, row.order_id))
            if status == core_holds.HELD:
                row.status = core_holds.RELEASED
                row.updated_at = clock.naive_utc(now)
                self._expire_stale(book, now)
                book.session.flush()
            result = hold_dict(row, now)
        return result, book.events
