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
"""Tests of uos_billing.core.terms (SPEC section 4, Prepaid term)."""

import calendar
import datetime

import hypothesis
from hypothesis import strategies as st

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import terms
from uos_billing.tests import base

utc = base.utc


class AddMonthsTest(base.TestCase):

    def test_same_day_next_month(self):
        self.assertEqual(utc(2026, 2, 15, 10, 20, 30),
                         terms.add_months(utc(2026, 1, 15, 10, 20, 30), 1))

    def test_clamped_to_end_of_february(self):
        self.assertEqual(utc(2026, 2, 28, 10, 20, 30),
                         terms.add_months(utc(2026, 1, 31, 10, 20, 30), 1))

    def test_clamped_to_leap_day(self):
        self.assertEqual(utc(2028, 2, 29, 23, 59, 59),
                         terms.add_months(utc(2028, 1, 31, 23, 59, 59), 1))

    def test_clamped_to_thirty_days(self):
        self.assertEqual(utc(2026, 4, 30),
                         terms.add_months(utc(2026, 3, 31), 1))

    def test_anchor_day_restores_the_31st(self):
        self.assertEqual(utc(2026, 3, 31, 8),
                         terms.add_months(utc(2026, 2, 28, 8), 1,
                                          anchor_day=31))

    def test_anchor_day_restores_the_30th(self):
        self.assertEqual(utc(2026, 3, 30),
                         terms.add_months(utc(2026, 2, 28), 1,
                                          anchor_day=30))

    def test_across_the_year(self):
        self.assertEqual(utc(2027, 1, 15),
                         terms.add_months(utc(2026, 12, 15), 1))
        self.assertEqual(utc(2027, 2, 28),
                         terms.add_months(utc(2026, 11, 30), 3))
        self.assertEqual(utc(2036, 1, 31),
                         terms.add_months(utc(2026, 1, 31), 120))

    def test_backwards(self):
        self.assertEqual(utc(2026, 2, 28),
                         terms.add_months(utc(2026, 3, 31), -1))
        self.assertEqual(utc(2025, 12, 31),
                         terms.add_months(utc(2026, 1, 31), -1))

    def test_result_is_an_instant(self):
        plus_two = datetime.timezone(datetime.timedelta(hours=2))
        # 2026-02-01 01:00:00.5+02:00 is 2026-01-31 23:00:00 UTC.
        end = terms.add_months(
            datetime.datetime(2026, 2, 1, 1, 0, 0, 500000, tzinfo=plus_two),
            1)
        self.assertEqual(utc(2026, 2, 28, 23), end)
        self.assertIs(clock.UTC, end.tzinfo)
        self.assertEqual(0, end.microsecond)


class TermEndTest(base.TestCase):

    def test_months_of(self):
        self.assertEqual(3, terms.months_of(terms.MONTHLY, 3))
        self.assertEqual(24, terms.months_of(terms.YEARLY, 2))

    def test_monthly_renewals_keep_the_anchor(self):
        start = utc(2026, 1, 31, 10)
        first = terms.term_end(start, terms.MONTHLY, 1)
        self.assertEqual(utc(2026, 2, 28, 10), first)
        second = terms.term_end(first, terms.MONTHLY, 1, anchor_day=31)
        self.assertEqual(utc(2026, 3, 31, 10), second)
        third = terms.term_end(second, terms.MONTHLY, 1, anchor_day=31)
        self.assertEqual(utc(2026, 4, 30, 10), third)
        fourth = terms.term_end(third, terms.MONTHLY, 1, anchor_day=31)
        self.assertEqual(utc(2026, 5, 31, 10), fourth)

    def test_renewal_without_anchor_drifts(self):
        # Why renewals pass the anchor: without it Feb 28 stays the 28th.
        self.assertEqual(utc(2026, 3, 28),
                         terms.term_end(utc(2026, 2, 28), terms.MONTHLY, 1))

    def test_monthly_count(self):
        self.assertEqual(utc(2026, 4, 30, 12),
                         terms.term_end(utc(2026, 1, 31, 12), terms.MONTHLY,
                                        3))
        self.assertEqual(utc(2027, 1, 31),
                         terms.term_end(utc(2026, 1, 31), terms.MONTHLY, 12))

    def test_yearly_from_leap_day(self):
        start = utc(2028, 2, 29, 12)
        first = terms.term_end(start, terms.YEARLY, 1)
        self.assertEqual(utc(2029, 2, 28, 12), first)
        self.assertEqual(utc(2032, 2, 29, 12),
                         terms.term_end(start, terms.YEARLY, 4))
        # Renewals with the anchor get the 29th back in the next leap year.
        second = terms.term_end(first, terms.YEARLY, 1, anchor_day=29)
        self.assertEqual(utc(2030, 2, 28, 12), second)
        third = terms.term_end(second, terms.YEARLY, 1, anchor_day=29)
        fourth = terms.term_end(third, terms.YEARLY, 1, anchor_day=29)
        self.assertEqual(utc(2032, 2, 29, 12), fourth)

    def test_yearly_ten(self):
        self.assertEqual(utc(2036, 7, 14, 9, 30),
                         terms.term_end(utc(2026, 7, 14, 9, 30),
                                        terms.YEARLY, 10))


class CheckModeCountTest(base.TestCase):

    def assertBad(self, field, mode, count):
        e = self.assertRaises(errors.InvalidInput, terms.check_mode_count,
                              mode, count)
        self.assertEqual(field, e.field)
        return e

    def test_valid(self):
        self.assertEqual(('monthly', 1),
                         terms.check_mode_count('monthly', 1))
        self.assertEqual(('monthly', 120),
                         terms.check_mode_count('monthly', 120))
        self.assertEqual(('yearly', 1), terms.check_mode_count('yearly', 1))
        self.assertEqual(('yearly', 10),
                         terms.check_mode_count('yearly', 10))

    def test_bad_mode(self):
        e = self.assertBad('mode', 'weekly', 1)
        self.assertEqual("must be one of monthly, yearly, got 'weekly'",
                         e.reason)
        self.assertBad('mode', 'on_demand', 1)
        self.assertBad('mode', None, 1)
        self.assertBad('mode', 'Monthly', 1)

    def test_mode_is_checked_before_count(self):
        self.assertBad('mode', 'weekly', 0)

    def test_count_bool(self):
        self.assertBad('count', 'monthly', True)
        self.assertBad('count', 'yearly', False)

    def test_count_not_an_integer(self):
        self.assertBad('count', 'monthly', '3')
        self.assertBad('count', 'monthly', 3.0)
        self.assertBad('count', 'monthly', None)

    def test_count_zero_or_negative(self):
        e = self.assertBad('count', 'monthly', 0)
        self.assertEqual('must be between 1 and 120 for monthly terms, '
                         'got 0', e.reason)
        self.assertBad('count', 'yearly', -1)

    def test_count_too_large(self):
        e = self.assertBad('count', 'monthly', 121)
        self.assertEqual('must be between 1 and 120 for monthly terms, '
                         'got 121', e.reason)
        e = self.assertBad('count', 'yearly', 11)
        self.assertEqual('must be between 1 and 10 for yearly terms, '
                         'got 11', e.reason)


def _last_day(year, month):
    """Day number of the month's last day, by a route of its own."""
    first_of_next = (datetime.date(year + month // 12, month % 12 + 1, 1))
    return (first_of_next - datetime.timedelta(days=1)).day


class TermPropertyTest(base.TestCase):

    starts = st.datetimes(min_value=datetime.datetime(2000, 1, 1),
                          max_value=datetime.datetime(2100, 12, 31, 23, 59,
                                                      59, 999999),
                          timezones=st.just(clock.UTC))

    def test_last_day_helper(self):
        self.assertEqual(29, _last_day(2028, 2))
        self.assertEqual(28, _last_day(2100, 2))
        self.assertEqual(31, _last_day(2026, 12))
        self.assertEqual(calendar.monthrange(2026, 4)[1],
                         _last_day(2026, 4))

    @hypothesis.settings(max_examples=200, deadline=None)
    @hypothesis.given(start=starts, months=st.integers(1, 120))
    def test_monthly_term_ends_on_the_clamped_anchor(self, start, months):
        end = terms.term_end(start, terms.MONTHLY, months)
        years, month0 = divmod(start.month - 1 + months, 12)
        year, month = start.year + years, month0 + 1
        self.assertEqual(
            utc(year, month, min(start.day, _last_day(year, month)),
                start.hour, start.minute, start.second), end)

    @hypothesis.settings(max_examples=200, deadline=None)
    @hypothesis.given(start=starts, months=st.integers(1, 120))
    def test_chained_single_months_equal_one_term(self, start, months):
        end = clock.instant(start)
        for _ in range(months):
            end = terms.term_end(end, terms.MONTHLY, 1, anchor_day=start.day)
        self.assertEqual(terms.term_end(start, terms.MONTHLY, months), end)

    @hypothesis.settings(max_examples=200, deadline=None)
    @hypothesis.given(start=starts, years=st.integers(1, 10))
    def test_yearly_term_is_twelve_months_each(self, start, years):
        end = terms.term_end(start, terms.YEARLY, years)
        year = start.year + years
        self.assertEqual(
            utc(year, start.month,
                min(start.day, _last_day(year, start.month)),
                start.hour, start.minute, start.second), end)
