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
"""Sized resources: seconds x size, exact at known instants."""

import datetime
import decimal
import fractions
import random

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import lifecycle
from uos_billing.core import states
from uos_billing.tests import base

D = decimal.Decimal
F = fractions.Fraction
BEGIN = base.utc(2026, 11, 2, 10)
PERIOD = clock.Window(BEGIN, BEGIN + datetime.timedelta(hours=1))


def at(seconds):
    return BEGIN + datetime.timedelta(seconds=seconds)


def revision(start, size, **attrs):
    return dict({'revision_start': at(start).isoformat(), 'size': size},
                **attrs)


def attribute_usage(revisions, started=None, ended=None):
    """[(size, seconds)] of each attribute window of the period."""
    out = []
    for rev, window in states.attribute_windows(revisions, ['size'],
                                                PERIOD):
        usage = lifecycle.from_attribute(
            rev, window, 'vol-1', 'size',
            None if started is None else at(started),
            None if ended is None else at(ended))
        out.extend(sorted(usage.seconds.items()))
    return out


class FromAttributeTest(base.TestCase):

    def test_a_volume_of_ten_minutes_pays_ten_minutes(self):
        usage = lifecycle.from_attribute(
            {'size': 100}, PERIOD, 'vol-1', 'size', at(1200), at(1800))
        self.assertEqual({D(100): 600}, usage.seconds)
        self.assertEqual(F(60000), usage.size_seconds)
        # 100 GiB x 600/3600 h.
        self.assertEqual(F(50, 3), usage.size_seconds / 3600)

    def test_an_extend_splits_the_period_at_its_instant(self):
        self.assertEqual(
            [(D(100), 1800), (D(150), 1800)],
            attribute_usage([revision(-86400, 100),
                             revision(1800, 150)]))

    def test_created_extended_and_deleted_in_the_period(self):
        # Created at 10:05:07, extended at 10:20:00, deleted at 10:41:13.
        self.assertEqual(
            [(D(10), 893), (D(20), 1273)],
            attribute_usage([revision(307, 10), revision(1200, 20)],
                            started=307, ended=2473))

    def test_a_revision_of_other_attributes_does_not_split(self):
        self.assertEqual(
            [(D(100), 3600)],
            attribute_usage([revision(-60, 100, name='a'),
                             revision(900, 100, name='b')]))

    def test_never_measured_but_created_is_billed_from_its_creation(self):
        # The create notification set started_at; no size was polled yet.
        self.assertEqual([(D(40), 2700)],
                         attribute_usage([revision(900, 40)], started=900))

    def test_deleted_before_the_period_is_nothing(self):
        usage = lifecycle.from_attribute({'size': 5}, PERIOD, 'vol-1',
                                         'size', at(-7200), at(0))
        self.assertIs(lifecycle.EMPTY, usage)
        self.assertFalse(usage)

    def test_a_zero_size_is_kept_and_costs_nothing(self):
        usage = lifecycle.from_attribute({'size': 0}, PERIOD, 'img-1',
                                         'size')
        self.assertEqual(({D(0): 3600}, F(0)),
                         (dict(usage.seconds), usage.size_seconds))


class FromMeasuresTest(base.TestCase):

    def measures(self, *stretches):
        """[(instant, size)] every 60 s over [from, to) per stretch."""
        return [(at(t), float(size)) for begin, end, size in stretches
                for t in range(begin, end, 60)]

    def usage(self, measures, started=None, ended=None):
        return lifecycle.from_measures(
            measures, PERIOD, 'vol-1', 60, 180,
            None if started is None else at(started),
            None if ended is None else at(ended))

    def test_polled_sizes_split_where_the_size_changed(self):
        usage = self.usage(self.measures((0, 1800, 100), (1800, 3600, 150)))
        self.assertEqual({D(100): 1800, D(150): 1800}, usage.seconds)
        self.assertEqual(F(100 * 1800 + 150 * 1800), usage.size_seconds)
        self.assertFalse(usage.estimated)

    def test_a_gap_is_not_billed(self):
        usage = self.usage(self.measures((0, 1200, 100), (2400, 3600, 100)))
        self.assertEqual(({D(100): 2400}, 1200),
                         (dict(usage.seconds), usage.gap_seconds))
        self.assertTrue(usage.estimated)

    def test_duplicates_and_order_do_not_matter(self):
        measures = self.measures((0, 1800, 100), (1800, 3600, 150))
        shuffled = measures + measures[::7]
        random.Random(4).shuffle(shuffled)
        self.assertEqual(self.usage(measures), self.usage(shuffled))

    def test_at_one_instant_the_largest_size_wins(self):
        # 150 at 10:30:00 holds until the next measure, at 10:31:00.
        measures = self.measures((0, 3600, 100)) + [(at(1800), 150.0)]
        self.assertEqual({D(100): 3540, D(150): 60},
                         self.usage(measures).seconds)

    def test_deleted_mid_period(self):
        usage = self.usage(self.measures((0, 3600, 8)), ended=1000)
        self.assertEqual({D(8): 1000}, usage.seconds)

    def test_a_float_is_read_as_it_prints(self):
        usage = self.usage([(at(0), 1.1)], ended=60)
        self.assertEqual({D('1.1'): 60}, usage.seconds)

    def test_no_measure_is_nothing(self):
        self.assertFalse(self.usage([]))


class SizeOfTest(base.TestCase):

    def test_bad_sizes_name_the_resource(self):
        for value, words in ((None, 'has no size'), ('', 'has no size'),
                             (True, 'has no size'),
                             ('ten', "size 'ten' is not a number"),
                             (-1, 'size -1 must be a finite number >= 0'),
                             (float('nan'), 'must be a finite number'),
                             ('Infinity', 'must be a finite number'),
                             ([1], 'is not a number')):
            e = self.assertRaises(errors.InvalidInput, lifecycle.size_of,
                                  value, 'vol-9')
            self.assertEqual('size', e.field)
            self.assertIn('vol-9', str(e))
            self.assertIn(words, str(e))

    def test_numbers_and_numeric_strings(self):
        self.assertEqual([D(150), D('1.5'), D('0.25')],
                         [lifecycle.size_of(v, 'vol-1')
                          for v in (150, 1.5, '0.25')])

    def test_a_bad_measure_refuses_the_window(self):
        e = self.assertRaises(errors.InvalidInput, lifecycle.from_measures,
                              [(at(0), -5.0)], PERIOD, 'vol-3', 60, 180)
        self.assertIn('vol-3', str(e))
