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
"""Pricing of one point of usage (SPEC section 4, On demand and Prepaid).

A point is priced qty x on_demand_price of its matching product. The
seconds of its period that a paid prepaid term covers are free for the
points the term's product matches; the rest is rated on demand, pro rata.
"""

import dataclasses
import typing

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import money
from uos_billing.core import pricebook
from uos_billing.core import proration
from uos_billing.core import terms


@dataclasses.dataclass(frozen=True)
class Coverage:
    """A window during which a prepaid order makes its resource free."""
    order_id: str
    resource_id: str
    service: str
    mode: str
    product: pricebook.Product
    window: clock.Window


class Rated(typing.NamedTuple):
    """The outcome of pricing one point over one period.

    A named tuple: one is made per point, so it must be cheap to build.
    """
    amount: typing.Any
    billed_seconds: int
    covered_seconds: int
    product: typing.Optional[pricebook.Product]
    coverage: typing.Optional[Coverage]

    @property
    def mode(self):
        if self.coverage is not None and self.billed_seconds == 0:
            return self.coverage.mode
        return terms.ON_DEMAND


def rate(qty, fields, period, product, coverages=()):
    """Price qty of usage described by fields over period.

    coverages are the prepaid windows of the point's resource and service;
    only those whose product matches the point's fields make it free.
    """
    if not coverages:
        # The common case, on the hot path of every frame.
        seconds = period.seconds
        if product is None:
            return Rated(money.ZERO, seconds, 0, None, None)
        return Rated(money.stored(money.CONTEXT.multiply(
            qty, product.on_demand_price)), seconds, 0, product, None)
    covering = [c for c in coverages if c.product.matches(fields)]
    covered = proration.covered_seconds(period, [c.window for c in covering])
    billed = period.seconds - covered
    if product is None or billed == 0:
        amount = money.ZERO
    else:
        amount = proration.share(money.mul(qty, product.on_demand_price),
                                 billed, period.seconds)
    # The coverage reported (its order and mode go on the charge line) is
    # one that covers seconds of this period, not merely the first listed.
    coverage = next((c for c in covering if period.clip(c.window)), None)
    return Rated(amount, billed, covered, product, coverage)


def check_currency(project_id, account_currency, product):
    """Refuse to price an account in one currency with another's product."""
    if product is not None and product.currency != account_currency:
        raise errors.CurrencyMismatch(project_id, account_currency,
                                      product.id, product.currency)


def check_period_over(project_id, period, now):
    """Refuse to post a period that ends after now (PeriodNotOver)."""
    if period.end > now:
        raise errors.PeriodNotOver(project_id, period.end, now)


def check_qty(qty, resource_id, service):
    """A point's qty must be a finite, non-negative number."""
    if not qty.is_finite() or qty < 0:
        raise errors.InvalidInput(
            'qty', 'resource %r, service %s: qty must be a finite number '
                   '>= 0, got %s' % (resource_id, service, qty))
    return qty


def quote(product, qty, mode=terms.ON_DEMAND, count=1):
    """Price of qty units on demand, or of count prepaid terms of mode.

    A prepaid term is priced per resource, whatever its qty: it is what
    buying it would charge.
    """
    if product is None:
        return money.ZERO
    if mode == terms.ON_DEMAND:
        return money.stored(money.mul(qty, product.on_demand_price))
    terms.check_mode_count(mode, count)
    price = product.prepaid_price(mode)
    if price is None:
        raise errors.InvalidInput(
            'mode', 'product %s is not sold %s' % (product.id, mode))
    return money.stored(money.mul(price, count))
