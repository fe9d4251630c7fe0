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
"""Tests of uos_billing.core.rating (SPEC section 4)."""

import decimal

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import pricebook
from uos_billing.core import rating
from uos_billing.tests import base

D = decimal.Decimal
utc = base.utc

# One hour: 2026-01-01 00:00 to 01:00.
PERIOD = clock.Window(utc(2026, 1, 1), utc(2026, 1, 1, 1))
SMALL = {'flavor_name': 'm1.small', 'state': 'running'}


def product(id='small', match=None, price='0.12', currency='EUR', **kw):
    if match is None:
        match = {'flavor_name': 'm1.small'}
    return pricebook.Product.build(
        id=id, service='instance', on_demand_price=D(price),
        currency=currency, effective_from=utc(2025, 1, 1), match=match,
        **kw)


def coverage(begin, end, order_id='o1', mode='monthly', prod=None):
    return rating.Coverage(order_id, 'vm1', 'instance', mode,
                           prod or product(), clock.Window(begin, end))


class RateTest(base.TestCase):

    def test_on_demand_full_period(self):
        p = product()
        rated = rating.rate(D('2'), SMALL, PERIOD, p)
        self.assertEqual('0.2400000000', str(rated.amount))
        self.assertEqual(3600, rated.billed_seconds)
        self.assertEqual(0, rated.covered_seconds)
        self.assertIs(p, rated.product)
        self.assertIsNone(rated.coverage)
        self.assertEqual('on_demand', rated.mode)

    def test_fractional_qty(self):
        # 1.5 GiB x 0.0001 per GiB-hour.
        rated = rating.rate(D('1.5'), SMALL, PERIOD,
                            product(price='0.0001'))
        self.assertEqual(D('0.00015'), rated.amount)

    def test_no_product(self):
        rated = rating.rate(D('2'), SMALL, PERIOD, None)
        self.assertEqual(D('0'), rated.amount)
        self.assertEqual(3600, rated.billed_seconds)
        self.assertEqual(0, rated.covered_seconds)
        self.assertIsNone(rated.product)
        self.assertEqual('on_demand', rated.mode)

    def test_term_covers_half_the_period(self):
        c = coverage(utc(2026, 1, 1, 0, 30), utc(2026, 2, 1, 0, 30))
        rated = rating.rate(D('2'), SMALL, PERIOD, product(), [c])
        # 2 x 0.12 x 1800 / 3600
        self.assertEqual(D('0.12'), rated.amount)
        self.assertEqual(1800, rated.billed_seconds)
        self.assertEqual(1800, rated.covered_seconds)
        self.assertIs(c, rated.coverage)
        self.assertEqual('on_demand', rated.mode)

    def test_term_covers_a_third(self):
        c = coverage(utc(2025, 12, 1), utc(2026, 1, 1, 0, 20))
        rated = rating.rate(D('1'), SMALL, PERIOD, product(price='1'), [c])
        # 1 x 1 x 2400 / 3600
        self.assertEqual(D('0.6666666667'), rated.amount)
        self.assertEqual(2400, rated.billed_seconds)

    def test_term_covers_the_whole_period(self):
        c = coverage(utc(2025, 12, 15), utc(2026, 1, 15), mode='monthly')
        rated = rating.rate(D('2'), SMALL, PERIOD, product(), [c])
        self.assertEqual(D('0'), rated.amount)
        self.assertEqual(0, rated.billed_seconds)
        self.assertEqual(3600, rated.covered_seconds)
        self.assertIs(c, rated.coverage)
        self.assertEqual('monthly', rated.mode)

    def test_yearly_mode(self):
        c = coverage(utc(2025, 6, 1), utc(2026, 6, 1), mode='yearly')
        self.assertEqual('yearly',
                         rating.rate(D('1'), SMALL, PERIOD, product(),
                                     [c]).mode)

    def test_coverage_of_another_product_does_not_apply(self):
        large = product('large', match={'flavor_name': 'm1.large'})
        c = coverage(utc(2025, 12, 15), utc(2026, 1, 15), prod=large)
        rated = rating.rate(D('2'), SMALL, PERIOD, product(), [c])
        self.assertEqual(D('0.24'), rated.amount)
        self.assertEqual(3600, rated.billed_seconds)
        self.assertEqual(0, rated.covered_seconds)
        self.assertIsNone(rated.coverage)
        self.assertEqual('on_demand', rated.mode)

    def test_coverage_of_a_state_product_does_not_cover_other_states(self):
        running = product('running', match={'flavor_name': 'm1.small',
                                            'state': 'running'})
        c = coverage(utc(2025, 12, 15), utc(2026, 1, 15), prod=running)
        shutoff = dict(SMALL, state='shutoff')
        self.assertEqual(
            D('0.12'),
            rating.rate(D('1'), shutoff, PERIOD, product(), [c]).amount)
        self.assertEqual(
            D('0'), rating.rate(D('1'), SMALL, PERIOD, product(), [c]).amount)

    def test_coverage_outside_the_period(self):
        c = coverage(utc(2025, 12, 1), utc(2026, 1, 1))
        rated = rating.rate(D('1'), SMALL, PERIOD, product(), [c])
        self.assertEqual(D('0.12'), rated.amount)
        self.assertIsNone(rated.coverage)

    def test_overlapping_coverages_count_once(self):
        a = coverage(utc(2026, 1, 1, 0, 0), utc(2026, 1, 1, 0, 40), 'o1')
        b = coverage(utc(2026, 1, 1, 0, 20), utc(2026, 1, 1, 0, 50), 'o2')
        rated = rating.rate(D('1'), SMALL, PERIOD, product(), [a, b])
        self.assertEqual(3000, rated.covered_seconds)
        self.assertEqual(600, rated.billed_seconds)
        # 1 x 0.12 x 600 / 3600
        self.assertEqual(D('0.02'), rated.amount)

    def test_reported_coverage_is_one_that_covers_the_period(self):
        # An order cancelled before the period, then a yearly one bought:
        # the charge line belongs to the yearly order.
        cancelled = coverage(utc(2025, 12, 1), utc(2025, 12, 20), 'old',
                             'monthly')
        yearly = coverage(utc(2025, 12, 20), utc(2026, 12, 20), 'new',
                          'yearly')
        rated = rating.rate(D('1'), SMALL, PERIOD, product(),
                            [cancelled, yearly])
        self.assertIs(yearly, rated.coverage)
        self.assertEqual('new', rated.coverage.order_id)
        self.assertEqual('yearly', rated.mode)

    def test_no_product_but_covered(self):
        c = coverage(utc(2026, 1, 1, 0, 30), utc(2026, 2, 1))
        rated = rating.rate(D('1'), SMALL, PERIOD, None, [c])
        self.assertEqual(D('0'), rated.amount)
        self.assertEqual(1800, rated.billed_seconds)
        self.assertEqual(1800, rated.covered_seconds)

    def test_mode_of_rated(self):
        c = coverage(utc(2025, 12, 15), utc(2026, 1, 15), mode='yearly')
        self.assertEqual('on_demand',
                         rating.Rated(D('0'), 0, 0, None, None).mode)
        self.assertEqual('on_demand',
                         rating.Rated(D('1'), 1, 3599, None, c).mode)
        self.assertEqual('yearly',
                         rating.Rated(D('0'), 0, 3600, None, c).mode)


class QuoteTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.product = product(monthly_price=D('30.00'),
                               yearly_price=D('300.00'))

    def test_no_product(self):
        self.assertEqual(D('0'), rating.quote(None, D('5')))

    def test_on_demand(self):
        self.assertEqual('0.3600000000',
                         str(rating.quote(self.product, D('3'))))

    def test_monthly(self):
        # A term is priced per resource: qty does not multiply it.
        self.assertEqual('90.0000000000', str(rating.quote(
            self.product, D('2'), 'monthly', 3)))

    def test_yearly(self):
        self.assertEqual(D('600.00'),
                         rating.quote(self.product, D('1'), 'yearly', 2))

    def test_check_qty(self):
        self.assertEqual(D('2'), rating.check_qty(D('2'), 'vm-1', 'cpu'))
        for bad in (D('-1'), D('NaN'), D('Infinity')):
            e = self.assertRaises(errors.InvalidInput, rating.check_qty,
                                  bad, 'vm-1', 'cpu')
            self.assertEqual('qty', e.field)
            self.assertIn("resource 'vm-1', service cpu", str(e))

    def test_not_sold_prepaid(self):
        e = self.assertRaises(errors.InvalidInput, rating.quote, product(),
                              D('1'), 'monthly', 1)
        self.assertEqual('mode', e.field)
        self.assertEqual('product small is not sold monthly', e.reason)

    def test_bad_mode_or_count(self):
        e = self.assertRaises(errors.InvalidInput, rating.quote,
                              self.product, D('1'), 'weekly', 1)
        self.assertEqual('mode', e.field)
        e = self.assertRaises(errors.InvalidInput, rating.quote,
                              self.product, D('1'), 'monthly', 0)
        self.assertEqual('count', e.field)
        e = self.assertRaises(errors.InvalidInput, rating.quote,
                              self.product, D('1'), 'yearly', 11)
        self.assertEqual('count', e.field)


class CheckCurrencyTest(base.TestCase):

    def test_same_currency(self):
        self.assertIsNone(rating.check_currency('p1', 'EUR', product()))

    def test_no_product(self):
        self.assertIsNone(rating.check_currency('p1', 'EUR', None))

    def test_other_currency(self):
        e = self.assertRaises(errors.CurrencyMismatch, rating.check_currency,
                              'p1', 'EUR', product(currency='USD'))
        self.assertEqual('p1', e.project_id)
        self.assertEqual('small', e.product_id)
        self.assertIn('EUR', str(e))
        self.assertIn('USD', str(e))
