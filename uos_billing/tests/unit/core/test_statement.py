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

from hypothesis import given
from hypothesis import strategies as st
from oslotest import base

from uos_billing.core import errors
from uos_billing.core import statement
from uos_billing.tests import base as test_base

D = decimal.Decimal
utc = test_base.utc


class TestMonthWindow(base.BaseTestCase):

    def test_months_and_december(self):
        self.assertEqual((utc(2026, 2, 1), utc(2026, 3, 1)),
                         tuple(statement.month_window('2026-02')))
        self.assertEqual((utc(2026, 12, 1), utc(2027, 1, 1)),
                         tuple(statement.month_window('2026-12')))

    def test_malformed_months_name_the_field(self):
        for month in ('2026-13', '2026-00', '26-11', '2026/11', '', None,
                      '2026-11-01'):
            exc = self.assertRaises(errors.InvalidInput,
                                    statement.month_window, month)
            self.assertEqual('month', exc.field)

    def test_the_months_of_billing_instants(self):
        self.assertEqual((utc(1970, 1, 1), utc(1970, 2, 1)),
                         tuple(statement.month_window('1970-01')))
        self.assertEqual((utc(9998, 12, 1), utc(9999, 1, 1)),
                         tuple(statement.month_window('9998-12')))

    def test_months_past_the_instants_are_refused(self):
        # 9999-12 ended in year 10000, which datetime cannot hold: it was
        # a 500 ("year 10000 is out of range"); 0000-01 another.
        for month in ('9999-12', '9999-01', '1969-12', '0001-01', '0000-01'):
            exc = self.assertRaises(errors.InvalidInput,
                                    statement.month_window, month)
            self.assertEqual(('month', "must be from 1970-01 to 9998-12, got "
                                       "%r" % month),
                             (exc.field, exc.reason))

    def test_only_ascii_digits_and_the_whole_string(self):
        # \d took Arabic-Indic digits, and $ a trailing newline.
        for month in ('\u0662\u0660\u0662\u0666-\u0661\u0661',
                      '2026-11\n', ' 2026-11'):
            exc = self.assertRaises(errors.InvalidInput,
                                    statement.month_window, month)
            self.assertIn('expected YYYY-MM', exc.reason)


class TestStatement(base.BaseTestCase):

    def test_figures_are_rounded_once_each(self):
        result = statement.statement(
            'EUR', D('10.005'),
            [('recharge', D('100')), ('charge', D('-1.0025')),
             ('charge', D('-1.0025')), ('order_payment', D('-30')),
             ('refund', D('15.125')), ('adjustment', D('-0.001'))],
            [('instance', D('1.0025')), ('instance', D('1.0025')),
             ('volume.size', D('0.0049'))])
        # 2.005 rounds (half even) to 2.00 once; rounding each charge
        # first would give 2.00 too, but 1.0025 + 1.0025 shows why we
        # don't: the unrounded closing is 10.005 + 100 - 2.005 - 30 +
        # 15.125 - 0.001 = 93.124.
        self.assertEqual(
            (D('10.00'), D('100.00'), D('2.00'), D('30.00'), D('15.12'),
             D('0.00'), D('93.12')),
            (result.opening_balance, result.recharges, result.charges_total,
             result.order_payments, result.refunds, result.adjustments,
             result.closing_balance))
        self.assertEqual({'instance': D('2.00'), 'volume.size': D('0.00')},
                         result.charges)

    def test_zero_decimal_currency(self):
        result = statement.statement('JPY', D('0'),
                                     [('recharge', D('1500'))], [])
        self.assertEqual(D('1500'), result.closing_balance)
        self.assertEqual('1500', str(result.closing_balance))

    @given(st.lists(st.tuples(
        st.sampled_from(['recharge', 'charge', 'order_payment', 'refund',
                         'adjustment']),
        st.decimals(min_value=-1000, max_value=1000, places=10,
                    allow_nan=False, allow_infinity=False)), max_size=30))
    def test_closing_is_opening_plus_entries(self, entries):
        result = statement.statement('EUR', D('5'), entries, [])
        exact = D('5') + sum((a for _k, a in entries), D(0))
        self.assertEqual(exact.quantize(D('0.01'),
                                        rounding=decimal.ROUND_HALF_EVEN),
                         result.closing_balance)


class TestBurnRate(base.BaseTestCase):

    def test_mean_of_seven_days(self):
        self.assertEqual(D('1.5'), statement.burn_rate(D('10.5')))

    def test_days_until_owed(self):
        self.assertEqual(D('6.6'), statement.days_until_owed(D('10'),
                                                             D('1.5')))
        self.assertIsNone(statement.days_until_owed(D('10'), D('0')))
        self.assertEqual(D('0.0'), statement.days_until_owed(D('-3'),
                                                             D('1')))
