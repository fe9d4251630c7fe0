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
"""Tests of uos_billing.core.proration (SPEC section 4, Time)."""

import datetime
import decimal

import hypothesis
from hypothesis import strategies as st

from uos_billing.core import clock
from uos_billing.core import money
from uos_billing.core import proration
from uos_billing.tests import base

D = decimal.Decimal
utc = base.utc

# One hour: 2026-01-01 00:00 to 01:00.
PERIOD = clock.Window(utc(2026, 1, 1), utc(2026, 1, 1, 1))


def at(minute):
    """The instant minute minutes after the period begins."""
    return utc(2026, 1, 1) + datetime.timedelta(minutes=minute)


def window(begin_minute, end_minute):
    return clock.Window(at(begin_minute), at(end_minute))


class CoveredSecondsTest(base.TestCase):

    def test_no_windows(self):
        self.assertEqual(0, proration.covered_seconds(PERIOD, []))

    def test_one_window_inside(self):
        self.assertEqual(600, proration.covered_seconds(
            PERIOD, [window(10, 20)]))

    def test_whole_period(self):
        self.assertEqual(3600, proration.covered_seconds(
            PERIOD, [window(-600, 600)]))

    def test_overlapping_windows_count_once(self):
        self.assertEqual(1800, proration.covered_seconds(
            PERIOD, [window(10, 30), window(20, 40)]))

    def test_nested_windows_count_once(self):
        self.assertEqual(3600, proration.covered_seconds(
            PERIOD, [window(0, 60), window(10, 20)]))
        self.assertEqual(1800, proration.covered_seconds(
            PERIOD, [window(0, 30), window(5, 10), window(15, 20)]))

    def test_disjoint_windows_add_up(self):
        self.assertEqual(1200, proration.covered_seconds(
            PERIOD, [window(0, 10), window(30, 40)]))

    def test_touching_windows(self):
        self.assertEqual(1800, proration.covered_seconds(
            PERIOD, [window(0, 15), window(15, 30)]))

    def test_windows_outside_the_period(self):
        self.assertEqual(0, proration.covered_seconds(
            PERIOD, [window(60, 120), window(-60, 0)]))

    def test_windows_partly_outside(self):
        self.assertEqual(900, proration.covered_seconds(
            PERIOD, [window(-30, 15)]))
        self.assertEqual(1800, proration.covered_seconds(
            PERIOD, [window(-30, 15), window(45, 120)]))

    def test_unsorted_windows(self):
        # The union is 00:00 to 00:40.
        self.assertEqual(2400, proration.covered_seconds(
            PERIOD, [window(30, 40), window(0, 10), window(5, 35)]))

    def test_seconds_not_minutes(self):
        w = clock.Window(utc(2026, 1, 1, 0, 0, 1), utc(2026, 1, 1, 0, 0, 8))
        self.assertEqual(7, proration.covered_seconds(PERIOD, [w]))


class ShareTest(base.TestCase):

    def test_whole_period(self):
        self.assertEqual('10.0000000000',
                         str(proration.share(D('10'), 3600, 3600)))

    def test_part(self):
        self.assertEqual(D('3.3333333333'),
                         proration.share(D('10'), 1200, 3600))
        self.assertEqual(D('0.6666666667'), proration.share(D('2'), 1, 3))
        self.assertEqual(D('0.0600000000'),
                         proration.share(D('0.12'), 1800, 3600))

    def test_nothing(self):
        self.assertEqual(D('0'), proration.share(D('10'), 0, 3600))

    def test_empty_period(self):
        self.assertEqual(D('4.5'), proration.share(D('4.5'), 0, 0))


class SplitTest(base.TestCase):

    def test_no_parts_is_refused(self):
        self.assertRaises(ValueError, proration.split, D('1'), [])

    def test_thirds(self):
        # Cumulative shares 3.3333333333, 6.6666666667, 10.
        self.assertEqual([D('3.3333333333'), D('3.3333333334'),
                          D('3.3333333333')],
                         proration.split(D('10'), [1, 1, 1]))

    def test_proportional(self):
        self.assertEqual([D('25'), D('75')],
                         proration.split(D('100'), [900, 2700]))

    def test_zero_part(self):
        self.assertEqual([D('0'), D('100')],
                         proration.split(D('100'), [0, 3600]))

    def test_no_seconds_at_all(self):
        self.assertEqual([D('5'), D('0')], proration.split(D('5'), [0, 0]))

    def test_amount_is_stored_first(self):
        # 0.00000000015 is stored as 0.0000000002 (half even).
        self.assertEqual([D('0.0000000001'), D('0.0000000001')],
                         proration.split(D('0.00000000015'), [1, 1]))

    def test_negative(self):
        self.assertEqual([D('-3.3333333333'), D('-6.6666666667')],
                         proration.split(D('-10'), [1, 2]))

    def test_parts_are_stored_precision(self):
        parts = proration.split(D('1'), [1, 2])
        self.assertEqual(['0.3333333333', '0.6666666667'],
                         [str(p) for p in parts])


def _amounts():
    bound = D('999999999999.9999999999')
    return st.one_of([
        st.decimals(min_value=-bound, max_value=bound, places=places,
                    allow_nan=False, allow_infinity=False)
        for places in range(11)])


class SplitPropertyTest(base.TestCase):

    @hypothesis.settings(max_examples=200, deadline=None)
    @hypothesis.given(amount=_amounts(),
                      seconds=st.lists(st.integers(0, 10 ** 8), min_size=1,
                                       max_size=20))
    def test_parts_sum_to_the_stored_amount(self, amount, seconds):
        parts = proration.split(amount, seconds)
        self.assertEqual(len(seconds), len(parts))
        self.assertEqual(money.stored(amount), sum(parts, D(0)))
        for part in parts:
            if amount >= 0:
                self.assertGreaterEqual(part, 0)
            else:
                self.assertLessEqual(part, 0)
