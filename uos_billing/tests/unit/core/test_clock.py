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
"""Tests of uos_billing.core.clock: UTC instants truncated to the second."""

import datetime

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.tests import base

utc = base.utc


class InstantTest(base.TestCase):

    def test_truncates_to_the_second(self):
        at = clock.instant(utc(2026, 1, 2, 3, 4, 5, 999999))
        self.assertEqual(utc(2026, 1, 2, 3, 4, 5), at)
        self.assertEqual(0, at.microsecond)
        self.assertIs(clock.UTC, at.tzinfo)

    def test_naive_is_taken_as_utc(self):
        at = clock.instant(datetime.datetime(2026, 1, 2, 3, 4, 5, 500))
        self.assertEqual(utc(2026, 1, 2, 3, 4, 5), at)
        self.assertIs(clock.UTC, at.tzinfo)

    def test_other_zone_is_converted(self):
        plus_two = datetime.timezone(datetime.timedelta(hours=2))
        at = clock.instant(
            datetime.datetime(2026, 1, 2, 3, 4, 5, 1, tzinfo=plus_two))
        self.assertEqual(utc(2026, 1, 2, 1, 4, 5), at)
        self.assertIs(clock.UTC, at.tzinfo)
        self.assertEqual(1, at.hour)

    def test_conversion_crosses_the_date(self):
        minus = datetime.timezone(-datetime.timedelta(hours=5, minutes=30))
        at = clock.instant(datetime.datetime(2026, 12, 31, 20, 0, 0,
                                             tzinfo=minus))
        self.assertEqual(2027, at.year)
        self.assertEqual(utc(2027, 1, 1, 1, 30), at)

    def test_naive_utc(self):
        plus_one = datetime.timezone(datetime.timedelta(hours=1))
        naive = clock.naive_utc(
            datetime.datetime(2026, 3, 1, 0, 30, 0, 250, tzinfo=plus_one))
        self.assertIsNone(naive.tzinfo)
        self.assertEqual(datetime.datetime(2026, 2, 28, 23, 30), naive)

    def test_seconds_between(self):
        self.assertEqual(86400, clock.seconds_between(utc(2026, 1, 1),
                                                      utc(2026, 1, 2)))
        self.assertEqual(-60, clock.seconds_between(utc(2026, 1, 1, 0, 1),
                                                    utc(2026, 1, 1)))


class BoundedTest(base.TestCase):
    """The instants users may give: the epoch to the start of 9999."""

    def test_inside(self):
        self.assertEqual(utc(1970, 1, 1), clock.bounded(utc(1970, 1, 1),
                                                        'at'))
        self.assertEqual(utc(9998, 12, 31, 23, 59, 59), clock.bounded(
            utc(9998, 12, 31, 23, 59, 59, 999999), 'at'))

    def refused(self, dt):
        e = self.assertRaises(errors.InvalidInput, clock.bounded, dt, 'at')
        self.assertEqual('at', e.field)
        self.assertIn('must be from 1970-01-01T00:00:00+00:00 to before '
                      '9999-01-01T00:00:00+00:00, got ', e.reason)
        return e.reason

    def test_outside(self):
        self.refused(utc(1969, 12, 31, 23, 59, 59))
        self.refused(utc(9999, 1, 1))
        self.refused(datetime.datetime(9999, 12, 31, 23, 59, 59))

    def test_offsets_past_datetime_are_refused_not_raised(self):
        # astimezone() raised OverflowError: a 500 from the API.
        minus5 = datetime.timezone(datetime.timedelta(hours=-5))
        plus5 = datetime.timezone(datetime.timedelta(hours=5))
        self.assertIn('9999-12-31T23:59:59-05:00', self.refused(
            datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=minus5)))
        self.assertIn('0001-01-01T00:00:00+05:00', self.refused(
            datetime.datetime(1, 1, 1, tzinfo=plus5)))


class WindowTest(base.TestCase):

    def test_bounds_are_instants(self):
        w = clock.Window(utc(2026, 1, 1, 0, 0, 0, 700),
                         datetime.datetime(2026, 1, 1, 1, 0, 0, 300))
        self.assertEqual(utc(2026, 1, 1), w.begin)
        self.assertEqual(utc(2026, 1, 1, 1), w.end)
        self.assertIs(clock.UTC, w.end.tzinfo)
        self.assertEqual((utc(2026, 1, 1), utc(2026, 1, 1, 1)), tuple(w))

    def test_seconds(self):
        self.assertEqual(3600, clock.Window(utc(2026, 1, 1),
                                            utc(2026, 1, 1, 1)).seconds)
        # A 30-day month.
        self.assertEqual(2592000, clock.Window(utc(2026, 4, 1),
                                               utc(2026, 5, 1)).seconds)

    def test_empty_window(self):
        w = clock.Window(utc(2026, 1, 1), utc(2026, 1, 1))
        self.assertEqual(0, w.seconds)
        self.assertFalse(w.contains(utc(2026, 1, 1)))

    def test_end_before_begin_is_refused(self):
        e = self.assertRaises(ValueError, clock.Window, utc(2026, 1, 2),
                              utc(2026, 1, 1))
        self.assertIn('before it begins', str(e))

    def test_contains_is_half_open(self):
        w = clock.Window(utc(2026, 1, 1), utc(2026, 1, 2))
        self.assertTrue(w.contains(utc(2026, 1, 1)))
        self.assertTrue(w.contains(utc(2026, 1, 1, 23, 59, 59)))
        self.assertFalse(w.contains(utc(2026, 1, 2)))
        self.assertFalse(w.contains(utc(2025, 12, 31, 23, 59, 59)))

    def test_clip_overlapping(self):
        w = clock.Window(utc(2026, 1, 1, 0), utc(2026, 1, 1, 2))
        other = clock.Window(utc(2026, 1, 1, 1), utc(2026, 1, 1, 3))
        self.assertEqual(clock.Window(utc(2026, 1, 1, 1), utc(2026, 1, 1, 2)),
                         w.clip(other))
        self.assertEqual(clock.Window(utc(2026, 1, 1, 1), utc(2026, 1, 1, 2)),
                         other.clip(w))

    def test_clip_inside_and_around(self):
        outer = clock.Window(utc(2026, 1, 1), utc(2026, 1, 2))
        inner = clock.Window(utc(2026, 1, 1, 6), utc(2026, 1, 1, 7))
        self.assertEqual(inner, outer.clip(inner))
        self.assertEqual(inner, inner.clip(outer))

    def test_clip_disjoint_or_touching_is_none(self):
        w = clock.Window(utc(2026, 1, 1, 0), utc(2026, 1, 1, 1))
        self.assertIsNone(w.clip(clock.Window(utc(2026, 1, 1, 1),
                                              utc(2026, 1, 1, 2))))
        self.assertIsNone(w.clip(clock.Window(utc(2026, 1, 2),
                                              utc(2026, 1, 3))))

    def test_repr(self):
        w = clock.Window(utc(2026, 1, 1), utc(2026, 1, 1, 1))
        self.assertEqual(
            'Window(2026-01-01T00:00:00+00:00, 2026-01-01T01:00:00+00:00)',
            repr(w))
