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
"""Renewal quotes: what renewing a prepaid order costs, read only.

The rule of the renewal's product, price and term is the one
BillingService.renew() pays through: _renewal().
"""

from cloudkitty import db as ck_db
from oslo_utils import timeutils
import sqlalchemy as sa

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import money
from uos_billing.core import orders as core_orders
from uos_billing.core import rating as core_rating
from uos_billing.core import terms
from uos_billing.rating.db.sqlalchemy import book as book_mod
from uos_billing.rating.db.sqlalchemy import models
from uos_billing.rating import funds
from uos_billing.rating import pricing


def _now(now):
    return clock.instant(now or timeutils.utcnow(with_timezone=True))


class Renewals(object):
    """The renewal rule and its quote, mixed into BillingService."""

    @staticmethod
    def _check_prepaid(order):
        """An active prepaid order, or a Conflict that says why not."""
        if order.mode == terms.ON_DEMAND:
            raise errors.Conflict('order %s is on demand: there is no term '
                                  'to cancel or renew' % order.id)
        if order.status != core_orders.ACTIVE:
            raise errors.Conflict('order %s is already %s' % (order.id,
                                                              order.status))

    def renewal_quote(self, project_id, order_id, now=None):
        """What renew(project_id, order_id) would charge at now.

        Reads in one read-only transaction and writes nothing (SPEC 4,
        Quotes never write): the order's checks and its price come from
        the same _renewal that renew() uses, so the price quoted is the
        price renew() charges as long as the price book and the order do
        not change in between. The funds are shown, not required:
        available is balance + credit limit - the project's live holds,
        missing what the price exceeds it by (zero when covered).
        """
        now = _now(now)
        with ck_db.session_for_read() as session:
            account = session.get(models.Account, project_id)
            if account is None:
                raise errors.NotFound('account', project_id)
            order = session.execute(sa.select(models.Order).where(
                models.Order.id == order_id,
                models.Order.project_id == project_id)).scalar_one_or_none()
            if order is None:
                raise errors.NotFound('order', order_id)
            self._check_prepaid(order)
            renewal = self._renewal(project_id, account.currency, order, now)
            state = book_mod.account_state(account)
            held = funds.held(session, project_id, now)
            available = money.CONTEXT.subtract(state.available, held)
            return {
                'order_id': order.id, 'project_id': project_id,
                'resource_id': order.resource_id, 'service': order.service,
                'product_id': renewal.product.id, 'mode': order.mode,
                'count': order.count, 'unit_price': renewal.unit_price,
                'price': renewal.price, 'currency': account.currency,
                'term_start': renewal.term.begin,
                'term_end': renewal.term.end,
                'balance': state.balance,
                'credit_limit': state.credit_limit, 'held': held,
                'available': available,
                'missing': max(money.CONTEXT.subtract(renewal.price,
                                                      available),
                               money.ZERO),
                'account_status': state.status,
            }

    def _renewal(self, project_id, currency, order, now):
        """The next term of a prepaid order renewed at now, and its price.

        The one rule of renew() and renewal_quote(): the product in effect
        at the term's end for the order product's service, region and
        match (a price change is a new product row), else the one in
        effect now; a Conflict when there is none; its price in the
        order's mode x count; the next term on the order's anchor day.
        """
        term = clock.Window(order.term_start, order.term_end)
        product = self.db.get_product(order.product_id)
        prices = self._price_book()
        successor = (prices.successor(product, term.end)
                     or prices.successor(product, now))
        if successor is None:
            raise errors.Conflict(
                'no product is in effect for the renewal of order %s' %
                order.id)
        core_rating.check_currency(project_id, currency, successor)
        return core_orders.renewal(successor, term, order.mode, order.count,
                                   order.anchor_day)

    def _price_book(self):
        return pricing.PRICE_BOOKS.get(self.db)
