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
"""Tests of uos_billing.core.errors: each error names what is wrong."""

import decimal

from uos_billing.core import errors
from uos_billing.core import pricebook
from uos_billing.tests import base

D = decimal.Decimal


class InvalidInputTest(base.TestCase):

    def test_names_field_and_reason(self):
        e = errors.InvalidInput('amount', 'must not be negative')
        self.assertEqual('amount', e.field)
        self.assertEqual('must not be negative', e.reason)
        self.assertEqual('amount: must not be negative', str(e))

    def test_is_a_value_error_and_a_billing_error(self):
        e = errors.InvalidInput('count', 'bad')
        self.assertIsInstance(e, ValueError)
        self.assertIsInstance(e, errors.BillingError)


class NotFoundTest(base.TestCase):

    def test_message(self):
        e = errors.NotFound('account', 'p1')
        self.assertEqual('account', e.kind)
        self.assertEqual('p1', e.ident)
        self.assertEqual('account p1 not found', str(e))
        self.assertIsInstance(e, errors.BillingError)


class InsufficientFundsTest(base.TestCase):

    def test_missing_is_exact_and_in_the_message(self):
        e = errors.InsufficientFunds('p1', D('90.00'), D('75.50'), 'EUR')
        self.assertEqual(D('14.50'), e.missing)
        self.assertEqual('14.50', str(e.missing))
        self.assertEqual(D('90.00'), e.required)
        self.assertEqual(D('75.50'), e.available)
        self.assertEqual('EUR', e.currency)
        self.assertEqual('p1', e.project_id)
        self.assertEqual(
            'insufficient funds for project p1: 90.00 EUR required, '
            '75.50 EUR available (balance + credit limit), 14.50 EUR '
            'missing', str(e))

    def test_negative_available(self):
        e = errors.InsufficientFunds('p1', D('10'), D('-2.5'), 'USD')
        self.assertEqual(D('12.5'), e.missing)
        self.assertIn('12.50 USD missing', str(e))

    def test_message_never_rounds_the_missing_amount(self):
        e = errors.InsufficientFunds('p1', D('10.0000000000'),
                                     D('5.4950000000'), 'EUR')
        self.assertEqual(D('4.505'), e.missing)
        self.assertEqual(
            'insufficient funds for project p1: 10.00 EUR required, '
            '5.495 EUR available (balance + credit limit), 4.505 EUR '
            'missing', str(e))

    def test_message_in_a_currency_without_minor_unit(self):
        e = errors.InsufficientFunds('p1', D('1000'), D('250.0000000000'),
                                     'JPY', places=0)
        self.assertIn(': 1000 JPY required, 250 JPY available', str(e))
        self.assertIn('750 JPY missing', str(e))


class ShownTest(base.TestCase):

    def test_pads_to_places(self):
        self.assertEqual('90.00', errors.shown(D('90'), 2))
        self.assertEqual('0.00', errors.shown(D('0E-10'), 2))
        self.assertEqual('1.000', errors.shown(D('1'), 3))

    def test_strips_stored_zeros(self):
        self.assertEqual('14.50', errors.shown(D('14.5000000000'), 2))
        self.assertEqual('250', errors.shown(D('250.0000000000'), 0))

    def test_keeps_extra_places_unrounded(self):
        self.assertEqual('4.505', errors.shown(D('4.5050000000'), 2))
        self.assertEqual('0.0000000001', errors.shown(D('1E-10'), 2))

    def test_no_exponent_notation(self):
        self.assertEqual('1000', errors.shown(D('1E+3'), 0))
        self.assertEqual('1000.00', errors.shown(D('1E+3'), 2))


class ConflictsTest(base.TestCase):

    def test_account_frozen_is_a_conflict(self):
        e = errors.AccountFrozen('p9')
        self.assertIsInstance(e, errors.Conflict)
        self.assertEqual('p9', e.project_id)
        self.assertEqual('account of project p9 is frozen', str(e))

    def test_currency_mismatch_names_both_currencies(self):
        e = errors.CurrencyMismatch('p1', 'EUR', 'prod-1', 'USD')
        self.assertEqual('p1', e.project_id)
        self.assertEqual('prod-1', e.product_id)
        self.assertEqual(
            'project p1 has an account in EUR but product prod-1 is priced '
            'in USD; no conversion is made', str(e))

    def test_ambiguous_product_names_both_products(self):
        when = base.utc(2026, 1, 1)
        first = pricebook.Product(
            id='a', service='instance', on_demand_price=D('1'),
            currency='EUR', effective_from=when, region='RegionOne')
        second = pricebook.Product(
            id='b', service='instance', on_demand_price=D('2'),
            currency='EUR', effective_from=when, region='RegionOne')
        e = errors.AmbiguousProduct(first, second)
        self.assertIsInstance(e, errors.Conflict)
        self.assertIs(first, e.first)
        self.assertIs(second, e.second)
        self.assertEqual(
            'products a and b are equally specific and both in effect for '
            'service instance in region RegionOne', str(e))
