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
"""Per-second proration (SPEC section 4, Time).

A point's qty is spread evenly over its period, so the share of a point in a
window is qty x (seconds of the window inside the period) / (period seconds).
"""

from uos_billing.core import clock
from uos_billing.core import money


def covered_seconds(period, windows):
    """Seconds of period covered by the union of windows (overlaps once)."""
    clipped = sorted(w for w in (period.clip(w) for w in windows) if w)
    total = 0
    cursor = period.begin
    for begin, end in clipped:
        begin = max(begin, cursor)
        if end > begin:
            total += clock.seconds_between(begin, end)
            cursor = end
    return total


def share(amount, seconds, period_seconds):
    """The part of amount that falls in seconds out of period_seconds."""
    if seconds == period_seconds:
        return money.stored(amount)
    return money.fraction(amount, seconds, period_seconds)


def split(amount, parts_seconds):
    """Split amount over consecutive parts, in proportion to their seconds.

    Each part is the difference of the cumulative shares, each rounded to
    the stored precision, so the parts always add up to exactly the
    (stored) amount: nothing is lost or created by rounding.
    """
    if not parts_seconds:
        raise ValueError('cannot split an amount into no parts')
    total_seconds = sum(parts_seconds)
    amount = money.stored(amount)
    if total_seconds == 0:
        return [amount] + [money.ZERO] * (len(parts_seconds) - 1)
    parts = []
    cumulated = 0
    previous = money.ZERO
    for seconds in parts_seconds:
        cumulated += seconds
        current = share(amount, cumulated, total_seconds)
        parts.append(current - previous)
        previous = current
    return parts
