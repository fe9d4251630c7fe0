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
"""Tests of uos_billing.core.orders (SPEC section 4, Prepaid terms)."""

import datetime
import decimal

import hypothesis
from hypothesis import strategies as st

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import money
from uos_billing.core import orders
from uos_billing.core import pricebook
from uos_billing.core import terms
from uos_billing.tests import base

D = decimal.Decimal
utc = base.utc

# A 30-day term: April 2026.
APRIL = clock.Window(utc(2026, 4, 1), utc(2026, 5, 1))


def product(monthly='30.00', yearly='300.00'):
    return pricebook.Product.build(
        id='small', service='instance', on_demand_price=D('0.05'),
        currency='EUR', effective_from=utc(2025, 1, 1),
        monthly_price=None if monthly is None else D(monthly),
        yearly_price=None if yearly is None else D(yearly))


class TermPriceTest(base.TestCase):

    def test_monthly(self):
        total, unit = orders.term_price(product(), 'monthly', 3)
        self.assertEqual('90.0000000000', str(total))
        self.assertEqual(D('30.00'), unit)

    def test_yearly(self):
        total, unit = orders.term_price(product(), 'yearly', 2)
        self.assertEqual(D('600'), total)
        self.assertEqual(D('300.00'), unit)

    def test_not_sold(self):
        e = self.assertRaises(errors.InvalidInput, orders.term_price,
                              product(yearly=None), 'yearly', 1)
        self.assertEqual('product_id', e.field)
        self.assertEqual('product small has no yearly price', e.reason)

    def test_bad_mode_and_count(self):
        e = self.assertRaises(errors.InvalidInput, orders.term_price,
                              product(), 'on_demand', 1)
        self.assertEqual('mode', e.field)
        e = self.assertRaises(errors.InvalidInput, orders.term_price,
                              product(), 'monthly', 121)
        self.assertEqual('count', e.field)


class TermWindowsTest(base.TestCase):

    def test_first_term(self):
        term = orders.first_term(utc(2026, 1, 31, 10, 0, 0, 500),
                                 'monthly', 1)
        self.assertEqual(
            clock.Window(utc(2026, 1, 31, 10), utc(2026, 2, 28, 10)), term)
        self.assertEqual(0, term.begin.microsecond)

    def test_first_term_several_months(self):
        self.assertEqual(
            clock.Window(utc(2026, 1, 31), utc(2026, 4, 30)),
            orders.first_term(utc(2026, 1, 31), 'monthly', 3))

    def test_next_term_keeps_the_anchor(self):
        term = orders.first_term(utc(2026, 1, 31, 10), 'monthly', 1)
        second = orders.next_term(term, 'monthly', 1, 31)
        self.assertEqual(
            clock.Window(utc(2026, 2, 28, 10), utc(2026, 3, 31, 10)), second)
        third = orders.next_term(second, 'monthly', 1, 31)
        self.assertEqual(
            clock.Window(utc(2026, 3, 31, 10), utc(2026, 4, 30, 10)), third)

    def test_yearly_from_leap_day(self):
        term = orders.first_term(utc(2028, 2, 29), 'yearly', 1)
        self.assertEqual(clock.Window(utc(2028, 2, 29), utc(2029, 2, 28)),
                         term)
        for _ in range(3):
            term = orders.next_term(term, 'yearly', 1, 29)
        self.assertEqual(clock.Window(utc(2031, 2, 28), utc(2032, 2, 29)),
                         term)


class SettleTest(base.TestCase):

    def test_cancelled_after_ten_days(self):
        s = orders.settle(D('30.00'), APRIL, utc(2026, 4, 11))
        self.assertEqual('10.0000000000', str(s.used))
        self.assertEqual('20.0000000000', str(s.refund))
        self.assertEqual(20 * 86400, s.unused_seconds)

    def test_cancel_instant_is_truncated(self):
        s = orders.settle(D('30.00'), APRIL,
                          utc(2026, 4, 11, 0, 0, 0, 999999))
        self.assertEqual(D('20'), s.refund)

    def test_thirds_add_up(self):
        s = orders.settle(D('100'), APRIL, utc(2026, 4, 11))
        self.assertEqual(D('33.3333333333'), s.used)
        self.assertEqual(D('66.6666666667'), s.refund)

    def test_one_second_used(self):
        s = orders.settle(D('25.92'), APRIL, utc(2026, 4, 1, 0, 0, 1))
        # 25.92 / 2592000 = 0.00001 per second.
        self.assertEqual(D('0.00001'), s.used)
        self.assertEqual(D('25.91999'), s.refund)
        self.assertEqual(2591999, s.unused_seconds)

    def test_before_the_term_refunds_all(self):
        s = orders.settle(D('30.00'), APRIL, utc(2026, 3, 20))
        self.assertEqual(D('0'), s.used)
        self.assertEqual(D('30'), s.refund)
        self.assertEqual(2592000, s.unused_seconds)

    def test_at_the_start_refunds_all(self):
        s = orders.settle(D('30.00'), APRIL, utc(2026, 4, 1))
        self.assertEqual(D('30'), s.refund)

    def test_after_the_term_refunds_nothing(self):
        for at in (utc(2026, 5, 1), utc(2026, 6, 1)):
            s = orders.settle(D('30.00'), APRIL, at)
            self.assertEqual(D('30'), s.used)
            self.assertEqual(D('0'), s.refund)
            self.assertEqual(0, s.unused_seconds)


class RemainingPriceTest(base.TestCase):

    def test_rest_of_the_term(self):
        self.assertEqual(
            '20.0000000000',
            str(orders.remaining_price(D('60.00'), APRIL, utc(2026, 4, 21))))

    def test_non_terminating(self):
        self.assertEqual(
            D('0.3333333333'),
            orders.remaining_price(D('1'), APRIL, utc(2026, 4, 21)))

    def test_term_entirely_in_the_future(self):
        self.assertEqual(
            D('60'),
            orders.remaining_price(D('60.00'), APRIL, utc(2026, 3, 15)))

    def test_term_over(self):
        self.assertEqual(
            D('0'), orders.remaining_price(D('60.00'), APRIL,
                                           utc(2026, 5, 1)))
        self.assertEqual(
            D('0'), orders.remaining_price(D('60.00'), APRIL,
                                           utc(2026, 7, 1)))


class RenewalDecisionTest(base.TestCase):

    def test_renew_when_affordable(self):
        self.assertEqual('renew', orders.renewal_decision(
            True, False, D('30'), D('30')))
        self.assertEqual('renew', orders.renewal_decision(
            True, False, D('30'), D('100')))

    def test_expire_when_not_affordable(self):
        self.assertEqual('expire', orders.renewal_decision(
            True, False, D('30'), D('29.99')))

    def test_expire_without_auto_renew(self):
        self.assertEqual('expire', orders.renewal_decision(
            False, False, D('30'), D('100')))

    def test_expire_when_frozen(self):
        self.assertEqual('expire', orders.renewal_decision(
            True, True, D('30'), D('100')))

    def test_expire_when_no_longer_sold(self):
        self.assertEqual('expire', orders.renewal_decision(
            True, False, None, D('100')))


class PaidTermTest(base.TestCase):

    def test_open_order(self):
        self.assertEqual(APRIL, orders.PaidTerm('o1', APRIL).effective())

    def test_closed_during_the_term(self):
        self.assertEqual(
            clock.Window(utc(2026, 4, 1), utc(2026, 4, 10, 12)),
            orders.PaidTerm('o1', APRIL,
                            utc(2026, 4, 10, 12, 0, 0, 400)).effective())

    def test_closed_naive_is_utc(self):
        self.assertEqual(
            clock.Window(utc(2026, 4, 1), utc(2026, 4, 10, 12)),
            orders.PaidTerm('o1', APRIL,
                            datetime.datetime(2026, 4, 10, 12)).effective())

    def test_closed_before_the_term(self):
        self.assertIsNone(
            orders.PaidTerm('o1', APRIL, utc(2026, 3, 1)).effective())
        self.assertIsNone(
            orders.PaidTerm('o1', APRIL, utc(2026, 4, 1)).effective())

    def test_closed_after_the_term(self):
        self.assertEqual(
            APRIL, orders.PaidTerm('o1', APRIL, utc(2026, 6, 1)).effective())


@st.composite
def _terms_and_instants(draw):
    start = draw(st.datetimes(min_value=datetime.datetime(2000, 1, 1),
                              max_value=datetime.datetime(2100, 12, 31),
                              timezones=st.just(clock.UTC)))
    mode = draw(st.sampled_from(terms.PREPAID_MODES))
    count = draw(st.integers(1, terms.MAX_COUNT[mode]))
    term = orders.first_term(start, mode, count)
    year = 366 * 86400
    offset = draw(st.integers(-year, term.seconds + year))
    return term, term.begin + datetime.timedelta(seconds=offset)


def _paid():
    bound = D('999999999999.9999999999')
    return st.one_of([
        st.decimals(min_value=0, max_value=bound, places=places,
                    allow_nan=False, allow_infinity=False)
        for places in range(11)])


class SettlePropertyTest(base.TestCase):

    @hypothesis.settings(max_examples=200, deadline=None)
    @hypothesis.given(paid=_paid(), term_and_at=_terms_and_instants())
    def test_used_and_refund_make_what_was_paid(self, paid, term_and_at):
        term, at = term_and_at
        s = orders.settle(paid, term, at)
        self.assertEqual(money.stored(paid), s.used + s.refund)
        self.assertGreaterEqual(s.refund, 0)
        self.assertLessEqual(s.refund, paid)
        self.assertGreaterEqual(s.used, 0)
        self.assertGreaterEqual(s.unused_seconds, 0)
        self.assertLessEqual(s.unused_seconds, term.seconds)

    @hypothesis.settings(max_examples=200, deadline=None)
    @hypothesis.given(paid=_paid().map(lambda d: -d),
                      term_and_at=_terms_and_instants())
    def test_sum_holds_for_negative_amounts(self, paid, term_and_at):
        term, at = term_and_at
        s = orders.settle(paid, term, at)
        self.assertEqual(money.stored(paid), s.used + s.refund)
