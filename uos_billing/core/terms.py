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
"""Term arithmetic for prepaid orders (SPEC section 4, Prepaid term).

A term of N months runs from its start to the same day-of-month N months
later, clamped to the last day of that month. Renewals keep the original
anchor day: a term bought on the 31st ends on Feb 28 (or 29), the next one
on Mar 31.
"""

import calendar

from uos_billing.core import clock
from uos_billing.core import errors

MONTHLY = 'monthly'
YEARLY = 'yearly'
ON_DEMAND = 'on_demand'
PREPAID_MODES = (MONTHLY, YEARLY)
MODES = (ON_DEMAND, MONTHLY, YEARLY)

#: The largest count one purchase may cover (10 years of months).
MAX_COUNT = {MONTHLY: 120, YEARLY: 10}


def check_mode_count(mode, count):
    """Validate a prepaid mode and count, naming the bad field."""
    if mode not in PREPAID_MODES:
        raise errors.InvalidInput(
            'mode', 'must be one of %s, got %r' % (
                ', '.join(PREPAID_MODES), mode))
    if isinstance(count, bool) or not isinstance(count, int):
        raise errors.InvalidInput('count', 'must be an integer, got %r' %
                                  (count,))
    if not 1 <= count <= MAX_COUNT[mode]:
        raise errors.InvalidInput(
            'count', 'must be between 1 and %d for %s terms, got %d' % (
                MAX_COUNT[mode], mode, count))
    return mode, count


def months_of(mode, count):
    """Calendar months covered by count units of mode."""
    return count * (12 if mode == YEARLY else 1)


def add_months(start, months, anchor_day=None):
    """start shifted by months, on anchor_day clamped to the month's end.

    anchor_day defaults to start's own day; pass the day of the original
    purchase when renewing so that the anchor survives short months.
    """
    start = clock.instant(start)
    anchor_day = anchor_day or start.day
    month_index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    day = min(anchor_day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


def term_end(start, mode, count, anchor_day=None):
    """End of a term of count units of mode that starts at start."""
    return add_months(start, months_of(mode, count), anchor_day)
