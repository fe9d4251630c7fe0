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
"""What the panels show for money and instants.

Money stays :class:`decimal.Decimal` from the API's strings to the page: it
is shown with at least its currency's minor unit and every further place
that is not zero (``12.3400000000 EUR`` reads ``12.34 EUR``, a charge of
``0.0012345000`` keeps its places), never rounded through a float.
"""

import datetime
import decimal

from oslo_utils import timeutils

from uos_billing.core import money

DEFAULT_PLACES = 2
NONE = '-'


def format_amount(amount, currency=None):
    """The amount alone: minor-unit places at least, no trailing zeros."""
    if amount is None:
        return NONE
    amount = decimal.Decimal(amount)
    if amount.is_zero():
        amount = abs(amount)
    places = money.MINOR_UNITS.get(currency, DEFAULT_PLACES)
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        places = -exponent
    return '{0:,.{1}f}'.format(amount, places)


def format_money(amount, currency):
    """An amount with its currency code, e.g. ``1,234.50 EUR``."""
    if amount is None:
        return NONE
    if not currency:
        return format_amount(amount)
    return '%s %s' % (format_amount(amount, currency), currency)


def parse_instant(value):
    """An ISO 8601 instant of the API as an aware datetime (or None)."""
    if not value:
        return None
    if isinstance(value, datetime.datetime):
        return value
    return timeutils.parse_isotime(value)


def format_instant(value):
    """``2026-11-01 12:00 UTC`` for an API instant; '-' for none."""
    instant = parse_instant(value)
    if instant is None:
        return NONE
    instant = instant.astimezone(datetime.timezone.utc)
    return instant.strftime('%Y-%m-%d %H:%M UTC')


def month_of(day):
    return '%04d-%02d' % (day.year, day.month)


def recent_months(today, count=24):
    """The count months up to today's, newest first, as YYYY-MM."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append('%04d-%02d' % (year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return months


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(
        microsecond=0)
