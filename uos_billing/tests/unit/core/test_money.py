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
"""Tests of uos_billing.core.money (SPEC section 2, Money rules)."""

import decimal

from uos_billing.core import errors
from uos_billing.core import money
from uos_billing.tests import base

D = decimal.Decimal


class ParseTest(base.TestCase):

    def assertRefused(self, value, reason_part, **kwargs):
        e = self.assertRaises(errors.InvalidInput, money.parse, value,
                              'amount', **kwargs)
        self.assertEqual('amount', e.field)
        self.assertIn(reason_part, e.reason)
        return e

    def test_string(self):
        self.assertEqual(D('12.34'), money.parse('12.34', 'amount'))
        self.assertEqual('12.34', str(money.parse('12.34', 'amount')))

    def test_surrounding_space_is_refused(self):
        # Decimal() strips it: a string is read as it is, or refused.
        for text in ('  7.5\n', ' 1', '1 ', '\t1'):
            self.assertRefused(text, 'not a decimal amount')

    def test_exponent_notation_is_refused(self):
        # Amounts are written as the API answers them: fixed point.
        for text in ('1E+3', '1e3', '1e-2', '5E0'):
            self.assertRefused(text, 'no exponent')

    def test_digit_separators_are_refused(self):
        # Decimal() reads "1_000" as 1000.
        for text in ('1_000', '1_000.5', '1,000', "1'000"):
            self.assertRefused(text, 'not a decimal amount')

    def test_other_scripts_digits_are_refused(self):
        # Decimal() reads Arabic-Indic, Devanagari and fullwidth digits.
        for text in ('\u0661', '\u0661\u0662', '\u0967', '\uff11',
                     '1\u0660'):
            self.assertRefused(text, 'ASCII digits')

    def test_half_written_numbers_are_refused(self):
        for text in ('.5', '5.', '+5', '--5', '-', '.', '1.2.3', '0x10'):
            self.assertRefused(text, 'not a decimal amount',
                               allow_negative=True)

    def test_plain_decimals_are_accepted(self):
        self.assertEqual(D('7.5'), money.parse('7.5', 'amount'))
        self.assertEqual(D('1000'), money.parse('1000', 'amount'))
        self.assertEqual(D('0.05'), money.parse('000.05', 'amount'))
        self.assertEqual(D('-3.25'), money.parse('-3.25', 'amount',
                                                 allow_negative=True))

    def test_a_long_refused_string_is_shown_shortened(self):
        e = self.assertRefused('x' * 10000, 'not a decimal amount')
        self.assertLess(len(e.reason), 400)

    def test_int(self):
        amount = money.parse(25, 'amount')
        self.assertIsInstance(amount, D)
        self.assertEqual(D('25'), amount)

    def test_decimal(self):
        self.assertEqual(D('3.50'), money.parse(D('3.50'), 'amount'))

    def test_exact_float_is_accepted(self):
        amount = money.parse(12.5, 'amount')
        self.assertIsInstance(amount, D)
        self.assertEqual(D('12.5'), amount)

    def test_exact_float_integer_is_accepted(self):
        self.assertEqual(D('3'), money.parse(3.0, 'amount'))

    def test_inexact_float_is_refused(self):
        e = self.assertRefused(0.1, 'no exact decimal value')
        # The message tells how to send it instead.
        self.assertIn('"0.1"', e.reason)

    def test_bool_is_refused(self):
        self.assertRefused(True, 'boolean')
        self.assertRefused(False, 'boolean')

    def test_none_is_refused(self):
        self.assertRefused(None, 'NoneType')

    def test_other_types_are_refused(self):
        self.assertRefused(['1'], 'list')
        self.assertRefused({'amount': '1'}, 'dict')

    def test_garbage_string_is_refused(self):
        self.assertRefused('12,34', 'not a decimal amount')
        self.assertRefused('', 'not a decimal amount')
        self.assertRefused('ten', 'not a decimal amount')

    def test_nan_is_refused(self):
        self.assertRefused('NaN', 'not a decimal amount')
        self.assertRefused('sNaN', 'not a decimal amount')
        self.assertRaises(errors.InvalidInput, money.parse, float('nan'),
                          'amount')
        self.assertRefused(D('NaN'), 'not a finite amount')

    def test_infinity_is_refused(self):
        self.assertRefused('Infinity', 'not a decimal amount')
        self.assertRefused('-Infinity', 'not a decimal amount',
                           allow_negative=True)
        self.assertRefused(float('inf'), 'not a finite amount')

    def test_negative_is_refused_by_default(self):
        self.assertRefused('-0.01', 'must not be negative')
        self.assertRefused(-5, 'must not be negative')

    def test_negative_when_allowed(self):
        self.assertEqual(D('-0.01'),
                         money.parse('-0.01', 'amount', allow_negative=True))

    def test_negative_zero_is_zero(self):
        self.assertEqual(D('0'), money.parse('-0', 'amount'))

    def test_ten_places_accepted(self):
        self.assertEqual(D('0.0000000001'),
                         money.parse('0.0000000001', 'amount'))

    def test_too_many_places_is_refused(self):
        self.assertRefused('0.00000000001', 'more than 10 decimal places')
        self.assertRefused('1.12345678901', 'more than 10 decimal places')

    def test_largest_amount_accepted(self):
        self.assertEqual(
            D('999999999999999999.9999999999'),
            money.parse('999999999999999999.9999999999', 'amount'))
        self.assertEqual(
            D('-999999999999999999.9999999999'),
            money.parse('-999999999999999999.9999999999', 'amount',
                        allow_negative=True))

    def test_too_large_is_refused(self):
        self.assertRefused('1000000000000000000', 'too large')
        self.assertRefused(10 ** 18, 'too large')
        self.assertRefused('-1000000000000000000', 'too large',
                           allow_negative=True)
        self.assertRefused(1e20, 'too large')

    def test_field_name_is_the_one_given(self):
        e = self.assertRaises(errors.InvalidInput, money.parse, 'x',
                              'credit_limit')
        self.assertEqual('credit_limit', e.field)


class ParseIntegerTest(base.TestCase):
    """Integers of query strings (limit, marker), read as parse() reads."""

    def assertRefused(self, value, reason_part):
        e = self.assertRaises(errors.InvalidInput, money.parse_integer,
                              value, 'limit', 1, 1000)
        self.assertEqual('limit', e.field)
        self.assertIn(reason_part, e.reason)

    def test_ascii_digits(self):
        self.assertEqual(1, money.parse_integer('1', 'limit', 1, 1000))
        self.assertEqual(1000, money.parse_integer('1000', 'limit', 1, 1000))
        self.assertEqual(7, money.parse_integer('007', 'limit', 1, 1000))

    def test_what_int_takes_is_refused(self):
        # int() reads every one of these.
        for text in ('1_0', ' 5', '5 ', '+5', '\u0661\u0662', '\uff15', ''):
            self.assertRefused(text, 'expected an integer in ASCII digits')

    def test_out_of_range(self):
        self.assertRefused('0', 'must be between 1 and 1000, got 0')
        self.assertRefused('1001', 'must be between 1 and 1000, got 1001')
        self.assertRefused('-1', 'must be between 1 and 1000')

    def test_more_digits_than_int_reads_is_out_of_range(self):
        # int() refuses 5000 digits with a ValueError of its own.
        self.assertRefused('9' * 5000, 'must be between 1 and 1000')

    def test_not_text(self):
        self.assertRefused(5, 'expected an integer in ASCII digits')


class CurrencyTest(base.TestCase):

    def test_known_code(self):
        self.assertEqual('EUR', money.check_currency('EUR'))

    def test_unknown_code(self):
        e = self.assertRaises(errors.InvalidInput, money.check_currency,
                              'XYZ')
        self.assertEqual('currency', e.field)
        self.assertIn("'XYZ'", e.reason)

    def test_lower_case_is_not_a_code(self):
        self.assertRaises(errors.InvalidInput, money.check_currency, 'eur')

    def test_not_a_string(self):
        self.assertRaises(errors.InvalidInput, money.check_currency, None)
        self.assertRaises(errors.InvalidInput, money.check_currency, 978)

    def test_field_name(self):
        e = self.assertRaises(errors.InvalidInput, money.check_currency,
                              'ZZZ', 'account.currency')
        self.assertEqual('account.currency', e.field)

    def test_minor_units(self):
        self.assertEqual(2, money.minor_unit('EUR'))
        self.assertEqual(2, money.minor_unit('USD'))
        self.assertEqual(0, money.minor_unit('JPY'))
        self.assertEqual(3, money.minor_unit('KWD'))
        self.assertEqual(4, money.minor_unit('CLF'))

    def test_minor_unit_of_unknown_currency(self):
        self.assertRaises(errors.InvalidInput, money.minor_unit, 'XAU')


class CheckPlacesTest(base.TestCase):

    def test_within_minor_unit(self):
        self.assertEqual(D('12.34'),
                         money.check_places(D('12.34'), 'EUR', 'amount'))
        self.assertEqual(D('12.340'),
                         money.check_places(D('12.340'), 'EUR', 'amount'))
        self.assertEqual(D('100'),
                         money.check_places(D('100'), 'JPY', 'amount'))
        self.assertEqual(D('1.234'),
                         money.check_places(D('1.234'), 'KWD', 'amount'))

    def test_too_many_places(self):
        e = self.assertRaises(errors.InvalidInput, money.check_places,
                              D('12.345'), 'EUR', 'amount')
        self.assertEqual('amount', e.field)
        self.assertEqual('12.345 has more decimal places than EUR allows '
                         '(2)', e.reason)
        e = self.assertRaises(errors.InvalidInput, money.check_places,
                              D('100.5'), 'JPY', 'amount')
        self.assertIn('JPY allows (0)', e.reason)
        self.assertRaises(errors.InvalidInput, money.check_places,
                          D('1.2345'), 'KWD', 'amount')


class ArithmeticTest(base.TestCase):

    def test_context_has_38_digits(self):
        self.assertEqual(38, money.CONTEXT.prec)

    def test_stored_keeps_ten_places(self):
        self.assertEqual('12.5000000000', str(money.stored(D('12.5'))))

    def test_stored_rounds_half_even(self):
        self.assertEqual(D('1.0000000000'),
                         money.stored(D('1.00000000005')))
        self.assertEqual(D('1.0000000002'),
                         money.stored(D('1.00000000015')))

    def test_mul(self):
        self.assertEqual(D('9.0'), money.mul(D('1.5'), D('2'), 3))
        self.assertEqual(D('1'), money.mul())

    def test_mul_is_unrounded(self):
        self.assertEqual(D('0.000000000001'),
                         money.mul(D('0.000001'), D('0.000001')))

    def test_fraction(self):
        self.assertEqual(D('3.3333333333'), money.fraction(D('10'), 1, 3))
        self.assertEqual(D('13.3333333333'), money.fraction(D('20'), 2, 3))
        self.assertEqual(D('0.6666666667'), money.fraction(D('2'), 1, 3))
        self.assertEqual('5.0000000000',
                         str(money.fraction(D('10'), 43200, 86400)))

    def test_fraction_by_zero(self):
        e = self.assertRaises(errors.InvalidInput, money.fraction, D('1'),
                              1, 0)
        self.assertEqual('denominator', e.field)


class RoundTotalTest(base.TestCase):

    def test_half_even_eur(self):
        self.assertEqual('0.12', str(money.round_total(D('0.125'), 'EUR')))
        self.assertEqual('0.14', str(money.round_total(D('0.135'), 'EUR')))
        self.assertEqual('0.13',
                         str(money.round_total(D('0.1250000001'), 'EUR')))
        self.assertEqual('-0.12',
                         str(money.round_total(D('-0.125'), 'EUR')))

    def test_half_even_jpy(self):
        self.assertEqual('2', str(money.round_total(D('2.5'), 'JPY')))
        self.assertEqual('4', str(money.round_total(D('3.5'), 'JPY')))

    def test_kwd_three_places(self):
        self.assertEqual('1.234',
                         str(money.round_total(D('1.2345'), 'KWD')))
        self.assertEqual('1.236',
                         str(money.round_total(D('1.2355'), 'KWD')))

    def test_pads_to_minor_unit(self):
        self.assertEqual('7.00', str(money.round_total(D('7'), 'EUR')))

    def test_stored_amount_to_total(self):
        self.assertEqual(
            '33.33',
            str(money.round_total(D('33.3333333333'), 'USD')))

    def test_unknown_currency(self):
        self.assertRaises(errors.InvalidInput, money.round_total, D('1'),
                          'ABC')


class ToStrTest(base.TestCase):

    def test_never_exponent_notation(self):
        self.assertEqual('1000', money.to_str(D('1E+3')))
        self.assertEqual('0.0000001', money.to_str(D('1E-7')))
        self.assertEqual('0.0000000000', money.to_str(D('0E-10')))
        self.assertEqual('12.30', money.to_str(D('12.30')))
        self.assertEqual('-0.5000000000', money.to_str(D('-0.5000000000')))

    def test_stored_amount(self):
        self.assertEqual('12.5000000000',
                         money.to_str(money.stored(D('12.5'))))


class DisplayTest(base.TestCase):

    def test_amounts_at_the_currency_places(self):
        self.assertEqual('100.00', money.display(D('100.0000000000'), 'EUR'))
        self.assertEqual('-0.06', money.display(D('-0.0634000000'), 'EUR'))
        self.assertEqual('-0.80', money.display(D('-0.8'), 'EUR'))
        self.assertEqual('0.12', money.display(D('0.125'), 'EUR'))
        self.assertEqual('1500', money.display(D('1500.5'), 'JPY'))
        self.assertEqual('1.234', money.display(D('1.2345'), 'KWD'))
        self.assertEqual('0.00', money.display(D('0E-10'), 'EUR'))

    def test_prices_trimmed_never_rounded(self):
        self.assertEqual('10.00',
                         money.display_price(D('10.0000000000'), 'EUR'))
        self.assertEqual('0.0125',
                         money.display_price(D('0.0125000000'), 'EUR'))
        self.assertEqual('0.0000000001',
                         money.display_price(D('0.0000000001'), 'EUR'))
        self.assertEqual('100', money.display_price(D('1E+2'), 'JPY'))
        self.assertEqual('0.5', money.display_price(D('0.5'), 'JPY'))
