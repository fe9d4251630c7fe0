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
import decimal

from oslotest import base

from uos_billing.core import catalog
from uos_billing.core import errors
from uos_billing.tests import base as test_base

D = decimal.Decimal
utc = test_base.utc
NOW = utc(2026, 11, 22, 10)
GOOD = {'name': 'm1.small', 'service': 'instance',
        'match': {'flavor_name': 'm1.small'}, 'on_demand_price': '0.02',
        'monthly_price': '10'}


class TestNewProduct(base.BaseTestCase):

    def test_defaults(self):
        product = catalog.new_product('p1', GOOD, 'EUR', NOW)
        self.assertEqual(
            ('*', 'unit', 'EUR', NOW, None, D('0.02'), D('10'), None),
            (product.region, product.unit, product.currency,
             product.effective_from, product.effective_to,
             product.on_demand_price, product.monthly_price,
             product.yearly_price))

    def test_each_bad_field_is_named(self):
        cases = [
            ({'name': ''}, 'name'),
            ({'service': 5}, 'service'),
            ({'on_demand_price': '-1'}, 'on_demand_price'),
            ({'on_demand_price': 'ten'}, 'on_demand_price'),
            ({'on_demand_price': None}, 'on_demand_price'),
            ({'monthly_price': 0.1}, 'monthly_price'),
            ({'currency': 'EURO'}, 'currency'),
            ({'match': ['flavor']}, 'match'),
            ({'match': {'flavor_name': 1.5}}, 'match'),
            ({'effective_to': utc(2026, 1, 1)}, 'effective_to'),
            ({'effective_from': None}, 'effective_from'),
        ]
        for change, field in cases:
            exc = self.assertRaises(errors.InvalidInput, catalog.new_product,
                                    'p1', dict(GOOD, **change), 'EUR', NOW)
            self.assertEqual(field, exc.field, change)

    def test_prepaid_prices_follow_the_currency_places(self):
        # A JPY monthly price of 333.33 was accepted and charged as it is.
        for field in ('monthly_price', 'yearly_price'):
            exc = self.assertRaises(
                errors.InvalidInput, catalog.new_product, 'p1',
                dict(GOOD, currency='JPY', **{field: '333.33'}), 'EUR', NOW)
            self.assertEqual((field, '333.33 has more decimal places than '
                                     'JPY allows (0)'),
                             (exc.field, exc.reason))
        exc = self.assertRaises(
            errors.InvalidInput, catalog.new_product, 'p1',
            dict(GOOD, monthly_price='10.005'), 'EUR', NOW)
        self.assertEqual('monthly_price', exc.field)
        product = catalog.new_product(
            'p1', dict(GOOD, currency='KWD', monthly_price='10.005'), 'EUR',
            NOW)
        self.assertEqual(D('10.005'), product.monthly_price)

    def test_on_demand_rate_may_be_finer_than_the_currency(self):
        # A rate per unit of usage, rounded only in statement totals.
        product = catalog.new_product(
            'p1', dict(GOOD, currency='JPY', on_demand_price='0.125',
                       monthly_price='3000'), 'EUR', NOW)
        self.assertEqual((D('0.125'), D('3000')),
                         (product.on_demand_price, product.monthly_price))

    def test_control_characters_are_refused(self):
        for change, field in (({'name': 'a\x00b'}, 'name'),
                              ({'service': '\x1b[31minstance'}, 'service'),
                              ({'unit': 'hour\x85'}, 'unit'),
                              ({'region': 'Region\tOne'}, 'region'),
                              ({'match': {'flavor\nname': 'x'}}, 'match'),
                              ({'match': {'flavor': 'm1\x07'}},
                               'match.flavor')):
            exc = self.assertRaises(errors.InvalidInput, catalog.new_product,
                                    'p1', dict(GOOD, **change), 'EUR', NOW)
            self.assertEqual(field, exc.field, change)
            self.assertIn('control character', exc.reason)


class TestPriceChange(base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.product = catalog.new_product(
            'p1', dict(GOOD, effective_from=utc(2026, 1, 1)), 'EUR', NOW)

    def test_ends_the_old_and_starts_the_successor(self):
        ended, successor = catalog.price_change(
            self.product, 'p2', {'on_demand_price': '0.03',
                                 'monthly_price': None}, utc(2026, 12, 1))
        self.assertEqual(utc(2026, 12, 1), ended.effective_to)
        self.assertEqual(
            ('p2', utc(2026, 12, 1), None, D('0.03'), None,
             self.product.match),
            (successor.id, successor.effective_from, successor.effective_to,
             successor.on_demand_price, successor.monthly_price,
             successor.match))

    def test_refused_before_the_product_starts_or_after_it_ends(self):
        for at in (utc(2026, 1, 1), utc(2025, 6, 1)):
            exc = self.assertRaises(errors.InvalidInput,
                                    catalog.price_change, self.product,
                                    'p2', {'on_demand_price': '1'}, at)
            self.assertEqual('effective_from', exc.field)
        exc = self.assertRaises(errors.InvalidInput, catalog.price_change,
                                self.product, 'p2',
                                {'on_demand_price': None}, utc(2026, 12, 1))
        self.assertEqual('on_demand_price', exc.field)

    def test_new_prepaid_prices_follow_the_currency_places(self):
        exc = self.assertRaises(errors.InvalidInput, catalog.price_change,
                                self.product, 'p2',
                                {'yearly_price': '100.001'},
                                utc(2026, 12, 1))
        self.assertEqual(('yearly_price', '100.001 has more decimal places '
                                          'than EUR allows (2)'),
                         (exc.field, exc.reason))
        _ended, successor = catalog.price_change(
            self.product, 'p2', {'on_demand_price': '0.0001'},
            utc(2026, 12, 1))
        self.assertEqual(D('0.0001'), successor.on_demand_price)
