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
"""Monthly statements and burn rate of an account (SPEC section 5).

A statement sums a month's ledger entries by kind and what its charge and
adjustment entries charged per service; each figure is rounded once, at
the end, to the account's currency (money.round_total, the single
rounding point).
"""

import dataclasses
import datetime
import decimal
import re
import typing

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import ledger
from uos_billing.core import money

BURN_RATE_DAYS = 7
# ASCII digits only (\d takes every script's), the whole string.
_MONTH = re.compile(r'([0-9]{4})-([0-9]{2})')


def month_window(month, field='month'):
    """The window of a calendar month given as YYYY-MM."""
    found = _MONTH.fullmatch(month) if isinstance(month, str) else None
    if not found:
        raise errors.InvalidInput(field, 'expected YYYY-MM, got %r' % (
            month,))
    year, number = int(found.group(1)), int(found.group(2))
    if not 1 <= number <= 12:
        raise errors.InvalidInput(field, 'no such month: %r' % (month,))
    if not clock.EARLIEST.year <= year < clock.LATEST.year:
        # The last month whose end is a billing instant: 9998-12.
        raise errors.InvalidInput(field, 'must be from %s to %s, got %r' % (
            clock.EARLIEST.strftime('%Y-%m'),
            (clock.LATEST - datetime.timedelta(days=1)).strftime('%Y-%m'),
            month))
    begin = datetime.datetime(year, number, 1, tzinfo=clock.UTC)
    end = datetime.datetime(year + number // 12, number % 12 + 1, 1,
                            tzinfo=clock.UTC)
    return clock.Window(begin, end)


@dataclasses.dataclass(frozen=True)
class Statement:
    """What moved an account in a month, rounded for people to read."""
    currency: str
    opening_balance: decimal.Decimal
    recharges: decimal.Decimal
    charges: typing.Dict[str, decimal.Decimal]
    charges_total: decimal.Decimal
    order_payments: decimal.Decimal
    refunds: decimal.Decimal
    adjustments: decimal.Decimal
    closing_balance: decimal.Decimal


def statement(currency, opening_balance, entries, lines):
    """The statement of a month.

    opening_balance is the balance before the month's first entry;
    entries are the month's ledger entries as (kind, signed amount);
    lines are what the month's charge and adjustment entries charged, as
    (service, amount) (an adjustment's rows carry its difference, so
    they add up to charges_total minus adjustments). Charges,
    payments and refunds are shown as positive figures; adjustments keep
    their sign (a negative one charged more). The closing balance is the
    opening balance plus every entry, rounded once like the rest.
    """
    by_kind = {kind: [] for kind in ledger.KINDS}
    for kind, amount in entries:
        by_kind[kind].append(amount)
    per_service = {}
    for service, amount in lines:
        per_service.setdefault(service, []).append(amount)

    def rounded(amount):
        return money.round_total(amount, currency)

    closing = money.sum_of([opening_balance] + [a for _k, a in entries])
    return Statement(
        currency=currency,
        opening_balance=rounded(opening_balance),
        recharges=rounded(money.sum_of(by_kind[ledger.RECHARGE])),
        charges={service: rounded(money.sum_of(amounts))
                 for service, amounts in sorted(per_service.items())},
        charges_total=rounded(-money.sum_of(by_kind[ledger.CHARGE])),
        order_payments=rounded(-money.sum_of(by_kind[ledger.ORDER_PAYMENT])),
        refunds=rounded(money.sum_of(by_kind[ledger.REFUND])),
        adjustments=rounded(money.sum_of(by_kind[ledger.ADJUSTMENT])),
        closing_balance=rounded(closing))


def burn_rate(charged, days=BURN_RATE_DAYS):
    """Mean daily charges: charged is what the last days cost in all."""
    return money.stored(money.CONTEXT.divide(charged, decimal.Decimal(days)))


def days_until_owed(available, rate):
    """Days of the burn rate that balance + credit limit still cover.

    None when nothing is being spent; 0 when nothing is left. Shown with
    one decimal, rounded down: the account is owed no sooner than that.
    """
    if rate <= 0:
        return None
    if available <= 0:
        return decimal.Decimal('0.0')
    return money.CONTEXT.divide(available, rate).quantize(
        decimal.Decimal('0.1'), rounding=decimal.ROUND_DOWN,
        context=money.CONTEXT)
