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
"""Money and instants as shown, the daily chart, the statement CSV."""

import datetime
import decimal

from django import test

from uos_billing.horizon import display
from uos_billing.horizon.project.balance import chart
from uos_billing.horizon.test import fixtures

D = decimal.Decimal


class MoneyDisplayTests(test.SimpleTestCase):

    def test_minor_unit_places_at_least_more_when_significant(self):
        for amount, currency, shown in (
                ('12.3400000000', 'EUR', '12.34 EUR'),
                ('12', 'EUR', '12.00 EUR'),
                ('0.0012345000', 'EUR', '0.0012345 EUR'),
                ('-1234567.5', 'USD', '-1,234,567.50 USD'),
                ('1200.0000000000', 'JPY', '1,200 JPY'),
                ('1.5', 'JPY', '1.5 JPY'),
                ('2.345', 'BHD', '2.345 BHD'),
                ('-0E-10', 'EUR', '0.00 EUR'),
                ('999999999999999999.9999999999', 'EUR',
                 '999,999,999,999,999,999.9999999999 EUR')):
            self.assertEqual(shown, display.format_money(D(amount), currency))

    def test_no_amount_or_no_currency(self):
        self.assertEqual('-', display.format_money(None, 'EUR'))
        self.assertEqual('3.10', display.format_money(D('3.1'), None))

    def test_instants(self):
        self.assertEqual('2026-11-01 01:00 UTC', display.format_instant(
            '2026-11-01T02:00:00+01:00'))
        self.assertEqual('-', display.format_instant(None))

    def test_recent_months_cross_the_year(self):
        self.assertEqual(['2026-02', '2026-01', '2025-12'],
                         display.recent_months(datetime.date(2026, 2, 3), 3))


class DailyChartTests(test.SimpleTestCase):

    def test_sums_charges_per_day_of_their_period(self):
        today = datetime.date(2026, 11, 22)
        entries = [
            fixtures.transaction(1, 'p', amount='-1.25',
                                 period_begin='2026-11-22T01:00:00+00:00'),
            fixtures.transaction(2, 'p', amount='-0.75',
                                 period_begin='2026-11-22T23:00:00+00:00'),
            fixtures.transaction(3, 'p', amount='-9',
                                 period_begin=None,
                                 created_at='2026-11-21T10:00:00+00:00'),
            fixtures.transaction(4, 'p', amount='-100',
                                 period_begin='2026-09-01T00:00:00+00:00')]

        days = chart.daily_charges(entries, today, days=3)

        self.assertEqual([(datetime.date(2026, 11, 20), D('0')),
                          (datetime.date(2026, 11, 21), D('9')),
                          (datetime.date(2026, 11, 22), D('2.00'))], days)
        self.assertIsInstance(days[2][1], decimal.Decimal)

    def test_svg_bars_scale_to_the_highest_day(self):
        days = [(datetime.date(2026, 11, 21), D('1')),
                (datetime.date(2026, 11, 22), D('4'))]

        svg = chart.svg(days, 'EUR')

        self.assertIn('height="106.0"><title>2026-11-22: 4.00 EUR', svg)
        self.assertIn('height="26.5"><title>2026-11-21: 1.00 EUR', svg)
        self.assertIn('highest 4.00 EUR', svg)

    def test_empty_month_draws_no_bar(self):
        svg = chart.svg([(datetime.date(2026, 11, 22), D('0'))], 'EUR')
        self.assertIn('height="0"', svg)
