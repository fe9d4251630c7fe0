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
"""The billing operations the API exposes, one transaction each.

Every operation validates its input first (InvalidInput names the field),
then runs in the project's transaction: it either writes everything it
must or nothing. Money rules come from uos_billing.core.
"""

import datetime
import functools

from cloudkitty import db as ck_db
from oslo_utils import timeutils
from oslo_utils import uuidutils

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import holds as core_holds
from uos_billing.core import idempotency
from uos_billing.core import identifiers
from uos_billing.core import ledger
from uos_billing.core import money
from uos_billing.core import orders as core_orders
from uos_billing.core import rating as core_rating
from uos_billing.core import terms
from uos_billing import enforcement
from uos_billing.rating.db import api as db_api
from uos_billing.rating.db.sqlalchemy import api as sql_api
from uos_billing.rating.db.sqlalchemy import replays
from uos_billing.rating.db.sqlalchemy import retry
from uos_billing.rating import funds
from uos_billing.rating import notifier
from uos_billing.rating import owners
from uos_billing.rating import posting
from uos_billing.rating import renewals


def _now(now):
    return clock.instant(now or timeutils.utcnow(with_timezone=True))


# What the holds of the project set aside; holds.py pays with it too.
held_funds = funds.held_funds


def operation(func):
    """Retry on a lost race, then send the notifications of the commit.

    A lost race is a deadlock, a concurrent insert of the same unique row
    (a key, an account) or, on SQLite, a locked database; the SQLite file
    still locked after the retries is a ServiceUnavailable (HTTP 503).
    """
    retried = retry.transaction(races=True)(func)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        result, events = retried(*args, **kwargs)
        notifier.send(events)
        enforcement.after_commit(events)
        return result
    return wrapper


def _fresh(result):
    return dict(result, replayed=False)


def _replayed(first):
    """The first answer of a key sent again: nothing is written."""
    return dict(first, replayed=True)


class BillingService(renewals.Renewals):
    """Recharge, buy, cancel, renew, auto-renew and flavor change."""

    def __init__(self, dbapi=None):
        self.db = dbapi or db_api.get_instance()

    @operation
    def recharge(self, project_id, amount, note=None, idempotency_key=None,
                 created_by=None, now=None):
        """Add money to a project's account: one recharge entry.

        The same idempotency_key with the same amount and note returns the
        first entry; with another body it is a Conflict.
        """
        amount = money.parse(amount, 'amount')
        if amount <= 0:
            raise errors.InvalidInput('amount', 'must be greater than zero')
        key = ledger.recharge_key(
            project_id, idempotency_key or uuidutils.generate_uuid())
        with self.db.project_transaction(project_id, _now(now)) as book:
            money.check_places(amount, book.currency, 'amount')
            existing = book.find_entry(key)
            if existing is not None:
                idempotency.check_same_request(
                    idempotency_key,
                    (existing.kind, existing.amount, existing.note or None),
                    (ledger.RECHARGE, amount, note or None))
                return dict(sql_api.row_dict(existing), replayed=True), []
            entry = book.post(ledger.RECHARGE, amount, key,
                              created_by=created_by, note=note)
            book.session.flush()
            result = dict(sql_api.row_dict(entry), replayed=False)
        return result, book.events

    @operation
    def buy(self, project_id, resource_id, service, product_id, mode, count,
            auto_renew=False, idempotency_key=None, created_by=None,
            now=None):
        """Buy count prepaid terms of mode for a resource (SPEC 4).

        The project's live funds holds are not available to pay it. With
        an idempotency_key, the same request sent again answers the first
        order (replayed) and pays nothing; another request with the same
        key is a Conflict.
        """
        now = _now(now)
        terms.check_mode_count(mode, count)
        identifiers.check_resource_id(resource_id)
        request = idempotency.Request(
            project_id, idempotency.BUY, idempotency_key, {
                'resource_id': resource_id, 'service': service,
                'product_id': product_id, 'mode': mode, 'count': count,
                'auto_renew': bool(auto_renew)})
        # A replay answers the first order, whatever happened since (the
        # product ended, the resource went): looked up before the checks.
        with ck_db.session_for_read() as session:
            first = replays.first_answer(session, request)
        if first is not None:
            return _replayed(first), []
        product = self._product(product_id)
        self.check_product(product, service, now)
        # Before any money moves: the resource is the project's (404/409).
        owners.check(project_id, service, resource_id)
        price, unit_price = core_orders.term_price(product, mode, count)
        with self.db.project_transaction(project_id, now) as book:
            # Under the account lock: a duplicate sent in parallel finds
            # the first one's record once it has committed.
            first = replays.first_answer(book.session, request)
            if first is not None:
                return _replayed(first), []
            order = self.purchase(
                book, resource_id, service, product, mode, count, price,
                unit_price, auto_renew, now, created_by,
                held=held_funds(book, now))
            book.session.flush()
            result = sql_api.row_dict(order)
            replays.record(book, request, result, order.id, created_by)
        return _fresh(result), book.events

    @staticmethod
    def check_product(product, service, now):
        """A product may be bought for service at now."""
        if product.service != service:
            raise errors.InvalidInput(
                'service', 'product %s prices service %s, not %s' % (
                    product.id, product.service, service))
        if not product.in_effect(now):
            raise errors.InvalidInput(
                'product_id', 'product %s is not in effect at %s' % (
                    product.id, now.isoformat()))

    def purchase(self, book, resource_id, service, product, mode, count,
                 price, unit_price, auto_renew, now, created_by, held):
        """The purchase of a prepaid term, inside the project's transaction.

        What POST /orders and the confirmation of a funds hold share: the
        checks (currency, no other prepaid order of the resource, an
        unfrozen account whose funds not held cover price), then the
        active order over the term from now and its order_payment entry.
        held is what the project's other live holds set aside.
        """
        core_rating.check_currency(book.project_id, book.currency, product)
        for order in book.active_orders(resource_id, service):
            if order.mode != terms.ON_DEMAND:
                raise errors.Conflict(
                    'resource %s already has the active %s order %s' % (
                        resource_id, order.mode, order.id))
        core_holds.require_funds(book.project_id, book.state, price,
                                 book.currency, held)
        term = core_orders.first_term(now, mode, count)
        return self._open_prepaid_order(
            book, resource_id, service, product, mode, count, unit_price,
            bool(auto_renew), term.begin.day, term, price, now,
            created_by, 'purchase')

    def _product(self, product_id):
        try:
            return self.db.get_product(product_id)
        except errors.NotFound:
            raise errors.InvalidInput('product_id', 'unknown product %s' %
                                      product_id)

    @classmethod
    def _prepaid_order(cls, book, order_id):
        order = book.get_order(order_id)
        cls._check_prepaid(order)
        return order

    @operation
    def cancel(self, project_id, order_id, idempotency_key=None,
               created_by=None, now=None):
        """Cancel a prepaid order: refund its unused seconds (SPEC 4).

        With an idempotency_key, the same cancellation sent again answers
        the first result, refund included.
        """
        now = _now(now)
        request = idempotency.Request(project_id, idempotency.CANCEL,
                                      idempotency_key, {'order_id': order_id})
        with self.db.project_transaction(project_id, now,
                                         create=False) as book:
            first = replays.first_answer(book.session, request)
            if first is not None:
                return _replayed(first), []
            order = self._prepaid_order(book, order_id)
            refund = posting.refund_unused(book, order, now, 'cancel',
                                           created_by)
            order.status = core_orders.CANCELLED
            book.session.flush()
            result = dict(sql_api.row_dict(order), refund=refund)
            replays.record(book, request, result, order.id, created_by)
        return _fresh(result), book.events

    @operation
    def renew(self, project_id, order_id, term_end, idempotency_key=None,
              created_by=None, now=None):
        """Pay the next term of a prepaid order now (SPEC 4, Renewal).

        term_end is the end of the term the client renews: when it is not
        the order's current term end (the order was renewed meanwhile, or
        this is a second send of the same intent) nothing is paid and it
        is a Conflict stating the current end. With an idempotency_key,
        the same request sent again answers the first result instead.
        At the price of the product in effect at the term's end (else
        now) for the same service, region and match: what renewal_quote
        shows, through the same _renewal.
        """
        now = _now(now)
        if not isinstance(term_end, datetime.datetime):
            raise errors.InvalidInput('term_end', 'expected an instant')
        request = idempotency.Request(
            project_id, idempotency.RENEW, idempotency_key,
            {'order_id': order_id, 'term_end': clock.instant(term_end)})
        with self.db.project_transaction(project_id, now,
                                         create=False) as book:
            first = replays.first_answer(book.session, request)
            if first is not None:
                return _replayed(first), []
            order = self._prepaid_order(book, order_id)
            core_orders.check_stated_term_end(order.id, order.term_end,
                                              term_end)
            renewal = self._renewal(project_id, book.currency, order, now)
            ledger.require_funds(project_id, book.state, renewal.price,
                                 book.currency, held=held_funds(book, now))
            posting.pay_next_term(book, order, renewal.product,
                                  renewal.price, renewal.unit_price,
                                  created_by)
            book.session.flush()
            result = sql_api.row_dict(order)
            replays.record(book, request, result, order.id, created_by)
        return _fresh(result), book.events

    @operation
    def set_auto_renew(self, project_id, order_id, auto_renew,
                       idempotency_key=None, created_by=None, now=None):
        """Turn a prepaid order's renewal at term end on or off.

        With an idempotency_key, the same change sent again answers the
        first result.
        """
        if not isinstance(auto_renew, bool):
            raise errors.InvalidInput('auto_renew', 'must be true or false')
        request = idempotency.Request(
            project_id, idempotency.AUTO_RENEW, idempotency_key,
            {'order_id': order_id, 'auto_renew': auto_renew})
        with self.db.project_transaction(project_id, _now(now),
                                         create=False) as book:
            first = replays.first_answer(book.session, request)
            if first is not None:
                return _replayed(first), []
            order = self._prepaid_order(book, order_id)
            order.auto_renew = auto_renew
            book.session.flush()
            result = sql_api.row_dict(order)
            replays.record(book, request, result, order.id, created_by)
        return _fresh(result), book.events

    @operation
    def change_flavor(self, project_id, order_id, new_product_id,
                      created_by=None, now=None):
        """A prepaid resource changes flavor (SPEC 4, Flavor change).

        The unused value of the old term is refunded; when the new flavor's
        product is sold in the same mode and the funds allow, its price is
        charged pro rata for the rest of the same term in a new order;
        otherwise the resource is on demand from now.
        """
        now = _now(now)
        new_product = self._product(new_product_id)
        if not new_product.in_effect(now):
            raise errors.InvalidInput(
                'product_id', 'product %s is not in effect at %s' % (
                    new_product.id, now.isoformat()))
        with self.db.project_transaction(project_id, now,
                                         create=False) as book:
            old = self._prepaid_order(book, order_id)
            if new_product.service != old.service:
                raise errors.InvalidInput(
                    'product_id', 'product %s prices %s, the order is for '
                    '%s' % (new_product.id, new_product.service,
                            old.service))
            core_rating.check_currency(project_id, book.currency,
                                       new_product)
            payments = posting.paid_terms(book, old)
            refund = posting.refund_unused(book, old, now, 'flavor_change',
                                           created_by, payments)
            old.status = core_orders.CLOSED
            rest = clock.Window(now, max(now, clock.instant(old.term_end)))
            new_order = None
            unit_price = new_product.prepaid_price(old.mode)
            if unit_price is not None and rest.seconds > 0:
                full, unit_price = core_orders.term_price(
                    new_product, old.mode, old.count)
                price = core_orders.rest_of_terms_price(
                    full, [window for _paid, window in payments], now,
                    old.mode, old.count, old.anchor_day)
                state = book.state
                # Money set aside by live holds is not the project's to
                # spend on the new term.
                available = money.CONTEXT.subtract(
                    state.available, held_funds(book, now))
                if core_orders.can_pay(state.status == ledger.FROZEN, price,
                                       available):
                    new_order = self._open_prepaid_order(
                        book, old.resource_id, old.service, new_product,
                        old.mode, old.count, unit_price, old.auto_renew,
                        old.anchor_day, rest, price, now, created_by,
                        'flavor_change')
            book.session.flush()
            result = {'closed_order': sql_api.row_dict(old),
                      'refund': refund,
                      'new_order': (sql_api.row_dict(new_order)
                                    if new_order is not None else None)}
        return result, book.events

    @staticmethod
    def _open_prepaid_order(book, resource_id, service, product, mode, count,
                            unit_price, auto_renew, anchor_day, term, price,
                            now, created_by, note):
        """A new active prepaid order over term, and its payment."""
        order = sql_api.models.Order(
            id=uuidutils.generate_uuid(), project_id=book.project_id,
            resource_id=resource_id, service=service, product_id=product.id,
            mode=mode, status=core_orders.ACTIVE, unit_price=unit_price,
            term_start=clock.naive_utc(term.begin),
            term_end=clock.naive_utc(term.end), count=count,
            auto_renew=auto_renew, renewals=0, anchor_day=anchor_day,
            created_at=clock.naive_utc(now))
        book.session.add(order)
        book.post(ledger.ORDER_PAYMENT,
                  ledger.signed(ledger.ORDER_PAYMENT, price),
                  ledger.payment_key(order.id, 0), order_id=order.id,
                  period=term, created_by=created_by, note=note)
        return order
