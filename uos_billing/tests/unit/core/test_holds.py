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
"""Tests of uos_billing.core.holds: what a live hold is, what it sets aside."""

import decimal

from uos_billing.core import errors
from uos_billing.core import holds
from uos_billing.core import ledger
from uos_billing.tests import base

D = decimal.Decimal
utc = base.utc
T0 = utc(2026, 11, 5, 12)
T_END = utc(2026, 11, 5, 12, 5)


class LiveTest(base.TestCase):

    def test_expiry_is_ttl_seconds_later(self):
        self.assertEqual(T_END, holds.expiry(T0, 300))
        self.assertRaises(errors.InvalidInput, holds.expiry, T0, 0)

    def test_a_held_hold_is_live_until_its_expiry(self):
        self.assertTrue(holds.is_live('held', T_END, T0))
        self.assertTrue(holds.is_live('held', T_END,
                                      utc(2026, 11, 5, 12, 4, 59)))
        self.assertFalse(holds.is_live('held', T_END, T_END))
        for status in ('confirmed', 'released', 'expired'):
            self.assertFalse(holds.is_live(status, T_END, T0))

    def test_status_at(self):
        self.assertEqual('held', holds.status_at('held', T_END, T0))
        self.assertEqual('expired', holds.status_at('held', T_END, T_END))
        for status in ('confirmed', 'released', 'expired'):
            self.assertEqual(status, holds.status_at(status, T_END, T_END))

    def test_held_total_counts_live_holds_only(self):
        rows = [('held', T_END, D('10.25')), ('held', T0, D('100')),
                ('released', T_END, D('7')), ('confirmed', T_END, D('8')),
                ('held', utc(2026, 11, 5, 12, 10), D('0.0000000001'))]
        self.assertEqual(D('10.2500000001'), holds.held_total(rows, T0))
        self.assertEqual(D('0.0000000001'), holds.held_total(rows, T_END))
        self.assertEqual(D('0'), holds.held_total([], T0))


class FundsTest(base.TestCase):

    def state(self, balance, credit_limit='0', status='active'):
        return ledger.AccountState(balance=D(balance),
                                   credit_limit=D(credit_limit),
                                   status=status)

    def test_available_is_balance_plus_credit_minus_held(self):
        self.assertEqual(D('5'), holds.available(self.state('20', '5'),
                                                 D('20')))
        self.assertEqual(D('-3'), holds.available(self.state('-3'), D('0')))

    def test_require_funds_counts_the_holds(self):
        state = self.state('30', '5')
        holds.require_funds('p', state, D('15'), 'EUR', D('20'))
        e = self.assertRaises(errors.InsufficientFunds, holds.require_funds,
                              'p', state, D('15.01'), 'EUR', D('20'))
        self.assertEqual((D('15.01'), D('15'), D('0.01'), D('20')),
                         (e.required, e.available, e.missing, e.held))
        self.assertIn('15.00 EUR available (balance + credit limit - '
                      '20.00 EUR held), 0.01 EUR missing', str(e))

    def test_without_holds_the_message_is_unchanged(self):
        e = self.assertRaises(errors.InsufficientFunds, holds.require_funds,
                              'p', self.state('1'), D('2'), 'EUR')
        self.assertIn('1.00 EUR available (balance + credit limit), 1.00 '
                      'EUR missing', str(e))

    def test_frozen_comes_first(self):
        self.assertRaises(errors.AccountFrozen, holds.require_funds, 'p',
                          self.state('0', status='frozen'), D('1'), 'EUR',
                          D('5'))
