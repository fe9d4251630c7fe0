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
"""Tests of uos_billing.core.states: state samples to billed seconds."""

import datetime
import random

import hypothesis
from hypothesis import strategies as st
import testtools

from uos_billing.core import clock
from uos_billing.core import states

RUNNING, PAUSED, SHUTOFF = 1, 3, 5
BEGIN = datetime.datetime(2026, 3, 1, 10, tzinfo=clock.UTC)
END = BEGIN + datetime.timedelta(hours=1)
PERIOD = clock.Window(BEGIN, END)
G = 60


def at(seconds):
    return BEGIN + datetime.timedelta(seconds=seconds)


def polled(intervals, granularity=G):
    """One measure per granularity: [(from_s, to_s, state)] -> measures."""
    return [states.Measure(at(t), state)
            for begin, end, state in intervals
            for t in range(begin, end, granularity)]


def reduce(measures, gap_threshold=3 * G, started=None, ended=None,
           granularity=G, period=PERIOD):
    return states.reduce_states(
        measures, period, granularity, gap_threshold,
        None if started is None else at(started),
        None if ended is None else at(ended))


class ReduceTest(testtools.TestCase):

    def test_life_inside_the_period(self):
        # Created 17 s into the period, paused at 20:00, resumed at 30:00,
        # shut off at 50:00, deleted 40 s before the period's end. The
        # buckets of a 60 s policy are stamped at their start: the first
        # one (0 s) holds the sample taken after the VM started.
        measures = polled([(0, 1200, RUNNING), (1200, 1800, PAUSED),
                           (1800, 3000, RUNNING), (3000, 3600, SHUTOFF)])
        usage = reduce(measures, started=17, ended=3600 - 40)
        self.assertEqual({RUNNING: 1200 - 17 + 1200, PAUSED: 600,
                          SHUTOFF: 560}, dict(usage.seconds))
        self.assertEqual(0, usage.gap_seconds)
        self.assertFalse(usage.estimated)
        self.assertEqual(3600 - 17 - 40, usage.billed_seconds)

    def test_twenty_minute_gap(self):
        # Samples every minute until 10:00 (the last one covers to 11:00),
        # then none for 20 minutes, then every minute again.
        measures = polled([(0, 660, RUNNING), (1860, 3600, RUNNING)])
        usage = reduce(measures, gap_threshold=180)
        self.assertEqual({RUNNING: 3600 - 1200}, dict(usage.seconds))
        self.assertEqual(1200, usage.gap_seconds)
        self.assertTrue(usage.estimated)

    def test_gap_up_to_the_threshold_is_billed(self):
        measures = polled([(0, 660, RUNNING), (840, 3600, RUNNING)])
        usage = reduce(measures, gap_threshold=180)
        self.assertEqual({RUNNING: 3600}, dict(usage.seconds))
        self.assertEqual(0, usage.gap_seconds)
        usage = reduce(measures, gap_threshold=179)
        self.assertEqual({RUNNING: 3600 - 180}, dict(usage.seconds))
        self.assertEqual(180, usage.gap_seconds)

    def test_whole_period(self):
        # Measures before, through and after the period: exactly 3600 s.
        measures = polled([(-600, 0, SHUTOFF), (0, 3600, RUNNING),
                           (3600, 4200, PAUSED)])
        usage = reduce(measures, started=-7200)
        self.assertEqual({RUNNING: 3600}, dict(usage.seconds))
        self.assertEqual(0, usage.gap_seconds)
        self.assertEqual({RUNNING: 3600}, dict(reduce(measures).seconds))

    def test_measures_on_the_boundaries(self):
        # A measure at the period's start belongs to the period, one at its
        # end to the next period; started_at/ended_at on the boundaries.
        measures = [states.Measure(at(-60), SHUTOFF),
                    states.Measure(at(0), RUNNING),
                    states.Measure(at(1800), PAUSED),
                    states.Measure(at(3600), SHUTOFF)]
        usage = reduce(measures, gap_threshold=1800, started=0, ended=3600)
        self.assertEqual({RUNNING: 1800, PAUSED: 1800}, dict(usage.seconds))
        # The sample before the period covers up to the one at the start.
        usage = reduce(measures[:1] + measures[2:], gap_threshold=1800)
        self.assertEqual({SHUTOFF: 1800, PAUSED: 1800}, dict(usage.seconds))

    def test_out_of_order_and_duplicated(self):
        measures = polled([(0, 1200, RUNNING), (1200, 1800, PAUSED),
                           (1800, 3600, SHUTOFF)])
        expected = reduce(measures, started=17)
        shuffled = measures + measures[::7]
        random.Random(4).shuffle(shuffled)
        self.assertEqual(expected, reduce(shuffled, started=17))
        self.assertEqual({RUNNING: 1183, PAUSED: 600, SHUTOFF: 1800},
                         dict(expected.seconds))

    def test_duplicates_at_one_instant_highest_code_wins(self):
        a = [states.Measure(at(0), RUNNING), states.Measure(at(0), SHUTOFF)]
        for measures in (a, a[::-1]):
            usage = reduce(measures + polled([(60, 3600, RUNNING)]))
            self.assertEqual({SHUTOFF: 60, RUNNING: 3540},
                             dict(usage.seconds))

    def test_measures_outside_the_period_yield_nothing(self):
        before = polled([(-3600, 0, RUNNING)])
        after = polled([(3600, 7200, RUNNING)])
        for measures in (before, after, before + after):
            usage = reduce(measures)
            self.assertFalse(usage)
            self.assertEqual({}, dict(usage.seconds))
        self.assertEqual({}, states.reduce_all(
            {'vm': states.Series(before)}, PERIOD, G, 3 * G))

    def test_life_outside_the_period_yields_nothing(self):
        measures = polled([(0, 3600, RUNNING)])
        self.assertIs(states.EMPTY, reduce(measures, ended=0))
        self.assertIs(states.EMPTY, reduce(measures, started=3600))
        self.assertIs(states.EMPTY, reduce([], started=0))

    def test_short_lead_in_goes_to_the_first_state(self):
        # Created at 0:17, first sample stamped 1:00: 43 s of jitter.
        measures = polled([(60, 3600, RUNNING)])
        usage = reduce(measures, started=17)
        self.assertEqual({RUNNING: 3600 - 17}, dict(usage.seconds))
        # Without started_at the minute before the first sample is a gap
        # only when longer than the threshold.
        self.assertEqual(60, reduce(measures, gap_threshold=59).gap_seconds)

    def test_trailing_stretch(self):
        measures = polled([(0, 1800, RUNNING)])
        # Deleted 2 minutes after the last sample's minute: billed.
        usage = reduce(measures, ended=1920)
        self.assertEqual({RUNNING: 1920}, dict(usage.seconds))
        # Still alive (no ended_at), no samples for half an hour: a gap.
        usage = reduce(measures)
        self.assertEqual({RUNNING: 1800}, dict(usage.seconds))
        self.assertEqual(1800, usage.gap_seconds)

    def test_samples_closer_than_the_granularity(self):
        measures = [states.Measure(at(0), RUNNING),
                    states.Measure(at(30), PAUSED),
                    states.Measure(at(45), RUNNING)]
        usage = reduce(measures, ended=120)
        self.assertEqual({RUNNING: 30 + 75, PAUSED: 15}, dict(usage.seconds))

    def test_measure_of_gnocchi_values(self):
        m = states.Measure.of('2026-03-01T10:00:00.600000+00:00', 5.0)
        self.assertEqual(states.Measure(BEGIN, SHUTOFF), m)
        self.assertRaises(ValueError, states.Measure.of, BEGIN, 1.5)

    def test_bad_arguments(self):
        self.assertRaises(ValueError, reduce, [], granularity=0)
        self.assertRaises(ValueError, reduce, [], gap_threshold=-1)
        self.assertRaises(TypeError, states.reduce_states, [],
                          (BEGIN, END), G, 0)

    def test_names(self):
        self.assertEqual('running', states.state_name(1))
        self.assertEqual('shutoff', states.state_name(5))
        self.assertEqual('unknown', states.state_name(42))
        self.assertEqual('off', states.state_name(5, {5: 'off'}))


measure_lists = st.lists(
    st.tuples(st.integers(-900, 4500), st.integers(0, 7)), max_size=40)
bounds = st.one_of(st.none(), st.integers(-900, 4500))


class ReducePropertiesTest(testtools.TestCase):

    @hypothesis.settings(max_examples=300, deadline=None)
    @hypothesis.given(measure_lists, bounds, bounds,
                      st.sampled_from([1, 30, 60, 300]),
                      st.integers(0, 1200))
    def test_billed_and_gap_cover_the_life_exactly(
            self, raw, started, ended, granularity, gap_threshold):
        measures = [states.Measure(at(t), s) for t, s in raw]
        usage = reduce(measures, gap_threshold, started, ended, granularity)
        life = states.life_window(
            PERIOD, None if started is None else at(started),
            None if ended is None else at(ended))
        lifetime = 0 if life is None else life.seconds
        self.assertTrue(all(v > 0 for v in usage.seconds.values()))
        self.assertGreaterEqual(usage.gap_seconds, 0)
        self.assertLessEqual(usage.billed_seconds + usage.gap_seconds,
                             lifetime)
        if measures and life is not None:
            self.assertEqual(lifetime,
                             usage.billed_seconds + usage.gap_seconds)
        self.assertLessEqual(set(usage.seconds), {s for _, s in raw})

    @hypothesis.settings(max_examples=200, deadline=None)
    @hypothesis.given(measure_lists, st.randoms(use_true_random=False))
    def test_order_and_duplicates_do_not_matter(self, raw, rnd):
        measures = [states.Measure(at(t), s) for t, s in raw]
        again = measures + measures[: len(measures) // 2]
        rnd.shuffle(again)
        self.assertEqual(reduce(measures), reduce(again))


def revision(start, end, **attrs):
    return dict({'revision_start': at(start).isoformat(),
                 'revision_end': None if end is None else at(end).isoformat(),
                 'flavor_name': 'm1.small', 'display_name': 'vm'}, **attrs)


class AttributeWindowsTest(testtools.TestCase):

    def test_one_revision_is_the_whole_period(self):
        only = revision(600, None)
        self.assertEqual([(only, PERIOD)], states.attribute_windows(
            [only], ['flavor_name'], PERIOD))

    def test_split_where_a_field_changed_merging_other_changes(self):
        small = revision(-100, 900)
        renamed = revision(900, 1800, display_name='web')
        medium = revision(1800, 3000, flavor_name='m1.medium')
        ended = revision(3000, None, flavor_name='m1.medium',
                         ended_at=at(3000).isoformat())
        windows = states.attribute_windows(
            [ended, medium, renamed, small], ['flavor_name'], PERIOD)
        self.assertEqual(
            [(renamed, clock.Window(BEGIN, at(1800))),
             (ended, clock.Window(at(1800), END))], windows)

    def test_changes_outside_the_period_are_clipped_away(self):
        medium = revision(-600, None, flavor_name='m1.medium')
        self.assertEqual([(medium, PERIOD)], states.attribute_windows(
            [revision(-3600, -600), medium], ['flavor_name'], PERIOD))

    def test_windows_split_the_reduction_exactly(self):
        # Running all along, resized at 1790: 1790 s small, 1810 s medium.
        measures = polled([(0, 3600, RUNNING)])
        seconds = [states.reduce_states(measures, window, G, 3 * G)
                   .seconds[RUNNING] for _revision, window in
                   states.attribute_windows(
                       [revision(-60, 1790),
                        revision(1790, None, flavor_name='m1.medium')],
                       ['flavor_name'], PERIOD)]
        self.assertEqual([1790, 1810], seconds)


class LongSilenceTest(testtools.TestCase):
    """A stretch without data is measured whole, not clipped first."""

    def test_vm_silent_for_long_is_not_billed_in_a_short_period(self):
        # Sampled every 10 s until 300 s before a 30 s period: the period
        # is in a 300 s+ gap, even though 30 s <= gap_threshold.
        period = clock.Window(at(0), at(30))
        measures = [states.Measure(at(t), RUNNING)
                    for t in range(-600, -300, 10)]
        usage = states.reduce_states(measures, period, 10, 30)
        self.assertEqual(({}, 30), (dict(usage.seconds), usage.gap_seconds))

    def test_short_silence_before_an_end_is_still_billed(self):
        measures = [states.Measure(at(t), RUNNING) for t in (-20, -10)]
        usage = states.reduce_states(measures, clock.Window(at(0), at(30)),
                                     10, 30, ended_at=at(15))
        self.assertEqual({RUNNING: 15}, dict(usage.seconds))
