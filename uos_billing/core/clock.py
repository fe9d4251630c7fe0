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
"""Billing instants: UTC, truncated to the whole second (SPEC section 4)."""

import datetime

from uos_billing.core import errors

UTC = datetime.timezone.utc

#: The instants a user may give (a product's dates, a list's filters, a
#: statement's month): from the Unix epoch to the start of year 9999, so
#: that what is computed from one (a month's end, the period after it)
#: stays inside datetime's range, which ends with year 9999.
EARLIEST = datetime.datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime.datetime(9999, 1, 1, tzinfo=UTC)


def instant(dt):
    """Return dt as an aware UTC datetime truncated to the second.

    A naive datetime is taken to be UTC already (that is how the database
    layer stores instants).
    """
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    else:
        dt = dt.astimezone(UTC)
    return dt.replace(microsecond=0)


def bounded(dt, field):
    """dt as a billing instant, or InvalidInput unless EARLIEST <= dt < LATEST.

    An offset that moves the instant past datetime's range (year 1 at
    +05:00, year 9999 at -05:00) is refused the same way.
    """
    try:
        at = instant(dt)
    except OverflowError:
        at = None
    if at is None or not EARLIEST <= at < LATEST:
        raise errors.InvalidInput(field, 'must be from %s to before %s, got '
                                  '%s' % (EARLIEST.isoformat(),
                                          LATEST.isoformat(), dt.isoformat()))
    return at


def naive_utc(dt):
    """The same instant as a naive UTC datetime, for storage."""
    return instant(dt).replace(tzinfo=None)


def seconds_between(begin, end):
    """Whole seconds from begin to end (both billing instants)."""
    return int((end - begin).total_seconds())


class Window(tuple):
    """A half-open time window [begin, end) of billing instants."""

    __slots__ = ()

    def __new__(cls, begin, end):
        begin, end = instant(begin), instant(end)
        if end < begin:
            raise ValueError('window ends (%s) before it begins (%s)' % (
                end, begin))
        return super().__new__(cls, (begin, end))

    @property
    def begin(self):
        return self[0]

    @property
    def end(self):
        return self[1]

    @property
    def seconds(self):
        return seconds_between(self[0], self[1])

    def clip(self, other):
        """The part of this window inside other, or None when disjoint."""
        begin = max(self[0], other[0])
        end = min(self[1], other[1])
        if end <= begin:
            return None
        return Window(begin, end)

    def contains(self, at):
        return self[0] <= at < self[1]

    def __repr__(self):
        return 'Window(%s, %s)' % (self[0].isoformat(), self[1].isoformat())
