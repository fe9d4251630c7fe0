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
"""Prepaid order rules: purchase, cancellation, renewal, flavor change."""

import dataclasses
import decimal
import typing

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import money
from uos_billing.core import proration
from uos_billing.core import terms

ACTIVE = 'active'
EXPIRED = 'expired'
CANCELLED = 'cancelled'
CLOSED = 'closed'
STATUSES = (ACTIVE, EXPIRED, CANCELLED, CLOSED)


def term_price(product, mode, count):
    """What count terms of mode of product cost, paid at once."""
    terms.check_mode_count(mode, count)
    price = product.prepaid_price(mode)
    if price is None:
        raise errors.InvalidInput(
            'product_id', 'product %s has no %s price' % (product.id, mode))
    return money.stored(money.mul(price, count)), price


def first_term(now, mode, count):
    """The window of a term bought at now."""
    start = clock.instant(now)
    return clock.Window(start, terms.term_end(start, mode, count))


def next_term(term, mode, count, anchor_day):
    """The renewal of term: same length, original anchor day."""
    return clock.Window(term.end, terms.term_end(term.end, mode, count,
                                                 anchor_day))


@dataclasses.dataclass(frozen=True)
class Renewal:
    """The next term of a prepaid order and what it costs."""
    product: object
    price: decimal.Decimal
    unit_price: decimal.Decimal
    term: clock.Window


def check_stated_term_end(order_id, term_end, stated):
    """A renewal renews the term its client saw end at stated, or none.

    So that the same intent sent twice (a retry, a double click, twenty
    parallel requests) extends the order once: once renewed, its term no
    longer ends at stated, and the Conflict says when it ends now.
    """
    current, stated = clock.instant(term_end), clock.instant(stated)
    if stated != current:
        raise errors.Conflict(
            'order %s: term_end %s is not the end of its current term, '
            'which ends at %s (was it renewed meanwhile?); renew with '
            'term_end %s to extend it' % (
                order_id, stated.isoformat(), current.isoformat(),
                current.isoformat()))


def renewal(successor, term, mode, count, anchor_day):
    """Renewing term (a mode x count order) at successor's price.

    The price is count x successor's price in mode (term_price); the new
    term follows term, on the original anchor day (next_term).
    """
    price, unit_price = term_price(successor, mode, count)
    return Renewal(successor, price, unit_price,
                   next_term(term, mode, count, anchor_day))


@dataclasses.dataclass(frozen=True)
class Settlement:
    """How a paid term splits at an instant: value used and refund due."""
    used: decimal.Decimal
    refund: decimal.Decimal
    unused_seconds: int


def settle(paid, term, at):
    """Split what was paid for term at instant at (cancel, flavor change).

    refund = paid x unused seconds / term seconds, and used + refund == paid
    exactly (SPEC section 4, Early cancellation).
    """
    at = min(max(clock.instant(at), term.begin), term.end)
    used_seconds = clock.seconds_between(term.begin, at)
    unused_seconds = term.seconds - used_seconds
    used, refund = proration.split(paid, [used_seconds, unused_seconds])
    return Settlement(used, refund, unused_seconds)


def remaining_price(full_term_price, term, at):
    """A new price charged pro rata for the rest of term from at."""
    start = max(clock.instant(at), term.begin)
    remaining = max(clock.seconds_between(start, term.end), 0)
    return proration.share(full_term_price, remaining, term.seconds)


def unused_refund(payments, at):
    """What paid terms have left after at: sum of their settle() refunds.

    payments are (paid amount, term window) pairs, one per payment (the
    purchase, each renewal).
    """
    refund = money.ZERO
    for paid, window in payments:
        if window.end > at:
            refund += settle(paid, window, at).refund
    return refund


def full_term(end, mode, count, anchor_day):
    """The whole term that ends at end (a paid window may be part of it)."""
    months = terms.months_of(mode, count)
    return clock.Window(terms.add_months(end, -months, anchor_day), end)


def rest_of_terms_price(full_term_price, windows, at, mode, count,
                        anchor_day):
    """A new price for what is left of paid windows after at, pro rata.

    Each window is priced against its whole term (rebuilt from its end),
    so a window that is itself a rest of a term (an earlier flavor change)
    or a term still to come (a renewal paid ahead) is priced right.
    """
    price = money.ZERO
    for window in windows:
        if window.end <= at:
            continue
        term = full_term(window.end, mode, count, anchor_day)
        price += remaining_price(full_term_price, term,
                                 max(clock.instant(at), window.begin))
    return price


RENEW = 'renew'
EXPIRE = 'expire'


def can_pay(frozen, price, available):
    """A prepaid price is paid only by an unfrozen account that covers it."""
    return not frozen and price is not None and price <= available


def renewal_decision(auto_renew, frozen, price, available):
    """At term end: renew when asked to, allowed and affordable."""
    if auto_renew and can_pay(frozen, price, available):
        return RENEW
    return EXPIRE


@dataclasses.dataclass(frozen=True)
class PaidTerm:
    """A paid window of an order (from its payment ledger entries)."""
    order_id: str
    window: clock.Window
    closed_at: typing.Optional[object] = None

    def effective(self):
        """The paid window cut at the order's closing, or None."""
        if self.closed_at is None:
            return self.window
        cut = clock.instant(self.closed_at)
        if cut <= self.window.begin:
            return None
        return clock.Window(self.window.begin, min(cut, self.window.end))
