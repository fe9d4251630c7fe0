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
"""Tests of uos_billing.core.ledger (SPEC sections 3 and 4, Owed)."""

import decimal

from uos_billing.core import errors
from uos_billing.core import ledger
from uos_billing.core import money
from uos_billing.tests import base

D = decimal.Decimal
utc = base.utc

T0 = utc(2026, 1, 5, 8)
NOW = utc(2026, 2, 1, 12, 30)


def state(balance, credit_limit='0', threshold=None, status='active',
          owed_since=None):
    return ledger.AccountState(
        balance=D(balance), credit_limit=D(credit_limit),
        low_balance_threshold=None if threshold is None else D(threshold),
        status=status, owed_since=owed_since)


class SignedTest(base.TestCase):

    def test_money_in_is_positive(self):
        self.assertEqual('10.0000000000',
                         str(ledger.signed(ledger.RECHARGE, D('10'))))
        self.assertEqual(D('2.5'), ledger.signed(ledger.REFUND, D('2.5')))

    def test_money_out_is_negative(self):
        self.assertEqual('-10.0000000000',
                         str(ledger.signed(ledger.CHARGE, D('10'))))
        self.assertEqual(D('-5.5'),
                         ledger.signed(ledger.ORDER_PAYMENT, D('5.5')))

    def test_adjustment_keeps_its_sign(self):
        self.assertEqual(D('-3'), ledger.signed(ledger.ADJUSTMENT, D('-3')))
        self.assertEqual(D('3'), ledger.signed(ledger.ADJUSTMENT, D('3')))

    def test_negative_magnitude_is_refused(self):
        for kind in (ledger.RECHARGE, ledger.CHARGE, ledger.ORDER_PAYMENT,
                     ledger.REFUND):
            self.assertRaises(ValueError, ledger.signed, kind, D('-1'))

    def test_zero(self):
        self.assertEqual(D('0'), ledger.signed(ledger.CHARGE, D('0')))

    def test_zero_charge_is_not_negative_zero(self):
        self.assertEqual('0.0000000000',
                         money.to_str(ledger.signed(ledger.CHARGE, D('0'))))


class KeysTest(base.TestCase):

    def test_charge_key(self):
        self.assertEqual('charge:p1:2026-01-01T10:00:00Z',
                         ledger.charge_key('p1', utc(2026, 1, 1, 10)))

    def test_adjustment_key(self):
        self.assertEqual(
            'adjustment:p1:2026-01-01T10:05:07Z:2',
            ledger.adjustment_key('p1', utc(2026, 1, 1, 10, 5, 7), 2))

    def test_payment_key(self):
        self.assertEqual('order_payment:o1:0', ledger.payment_key('o1', 0))
        self.assertEqual('order_payment:o1:3', ledger.payment_key('o1', 3))

    def test_refund_key(self):
        self.assertEqual('refund:o1:cancel',
                         ledger.refund_key('o1', 'cancel'))

    def test_recharge_key(self):
        self.assertEqual('recharge:p1:abc',
                         ledger.recharge_key('p1', 'abc'))


class AccountStateTest(base.TestCase):

    def test_available(self):
        self.assertEqual(D('15'), state('10', '5').available)
        self.assertEqual(D('2'), state('-3', '5').available)

    def test_defaults(self):
        s = ledger.AccountState(balance=D('1'))
        self.assertEqual(D('0'), s.credit_limit)
        self.assertIsNone(s.low_balance_threshold)
        self.assertEqual('active', s.status)
        self.assertIsNone(s.owed_since)


class PostTest(base.TestCase):

    def test_balance_is_stored_precision(self):
        new, events = ledger.post(state('10'), D('-4.5'), NOW)
        self.assertEqual('5.5000000000', str(new.balance))
        self.assertEqual('active', new.status)
        self.assertEqual([], events)

    def test_active_turns_owed(self):
        new, events = ledger.post(state('10'), D('-15'), NOW)
        self.assertEqual(D('-5'), new.balance)
        self.assertEqual('owed', new.status)
        self.assertEqual(NOW, new.owed_since)
        self.assertEqual([ledger.EVENT_OWED], events)
        self.assertEqual('billing.account.owed', ledger.EVENT_OWED)

    def test_within_credit_limit_stays_active(self):
        new, events = ledger.post(state('10', '20'), D('-15'), NOW)
        self.assertEqual(D('-5'), new.balance)
        self.assertEqual('active', new.status)
        self.assertIsNone(new.owed_since)
        self.assertEqual([], events)

    def test_exactly_at_credit_limit_stays_active(self):
        new, events = ledger.post(state('0', '5'), D('-5'), NOW)
        self.assertEqual('active', new.status)
        self.assertEqual([], events)
        new, events = ledger.post(state('0', '5'), D('-5.0000000001'), NOW)
        self.assertEqual('owed', new.status)
        self.assertEqual([ledger.EVENT_OWED], events)

    def test_owed_is_restored_at_zero(self):
        new, events = ledger.post(
            state('-30', status='owed', owed_since=T0), D('30'), NOW)
        self.assertEqual(D('0'), new.balance)
        self.assertEqual('active', new.status)
        self.assertIsNone(new.owed_since)
        self.assertEqual([ledger.EVENT_RESTORED], events)
        self.assertEqual('billing.account.restored', ledger.EVENT_RESTORED)

    def test_owed_stays_owed_while_negative(self):
        new, events = ledger.post(
            state('-30', status='owed', owed_since=T0), D('20'), NOW)
        self.assertEqual(D('-10'), new.balance)
        self.assertEqual('owed', new.status)
        self.assertEqual(T0, new.owed_since)
        self.assertEqual([], events)

    def test_owed_stays_owed_within_credit_limit(self):
        # -credit_limit <= balance < 0 does not restore an owed account.
        new, events = ledger.post(
            state('-30', '20', status='owed', owed_since=T0), D('10'), NOW)
        self.assertEqual(D('-20'), new.balance)
        self.assertEqual('owed', new.status)
        self.assertEqual(T0, new.owed_since)
        self.assertEqual([], events)
        new, events = ledger.post(new, D('19.99'), NOW)
        self.assertEqual(D('-0.01'), new.balance)
        self.assertEqual('owed', new.status)
        self.assertEqual([], events)

    def test_owed_charged_again_stays_owed_since_first(self):
        new, events = ledger.post(
            state('-30', status='owed', owed_since=T0), D('-5'), NOW)
        self.assertEqual('owed', new.status)
        self.assertEqual(T0, new.owed_since)
        self.assertEqual([], events)

    def test_frozen_stays_frozen(self):
        new, events = ledger.post(state('10', status='frozen'), D('-100'),
                                  NOW)
        self.assertEqual(D('-90'), new.balance)
        self.assertEqual('frozen', new.status)
        self.assertIsNone(new.owed_since)
        self.assertEqual([], events)
        new, events = ledger.post(new, D('200'), NOW)
        self.assertEqual(D('110'), new.balance)
        self.assertEqual('frozen', new.status)
        self.assertEqual([], events)

    def test_balance_low_when_crossing(self):
        new, events = ledger.post(state('15', threshold='10'), D('-6'), NOW)
        self.assertEqual(D('9'), new.balance)
        self.assertEqual([ledger.EVENT_BALANCE_LOW], events)
        self.assertEqual('billing.balance.low', ledger.EVENT_BALANCE_LOW)

    def test_balance_low_from_exactly_the_threshold(self):
        new, events = ledger.post(state('10', threshold='10'), D('-0.01'),
                                  NOW)
        self.assertEqual([ledger.EVENT_BALANCE_LOW], events)

    def test_balance_low_only_once(self):
        new, events = ledger.post(state('9', threshold='10'), D('-1'), NOW)
        self.assertEqual(D('8'), new.balance)
        self.assertEqual([], events)

    def test_reaching_the_threshold_is_not_low(self):
        new, events = ledger.post(state('15', threshold='10'), D('-5'), NOW)
        self.assertEqual(D('10'), new.balance)
        self.assertEqual([], events)

    def test_rising_over_the_threshold_is_not_low(self):
        new, events = ledger.post(state('5', threshold='10'), D('20'), NOW)
        self.assertEqual([], events)

    def test_no_threshold(self):
        new, events = ledger.post(state('15'), D('-14'), NOW)
        self.assertEqual([], events)

    def test_owed_and_low_together(self):
        new, events = ledger.post(state('15', threshold='10'), D('-20'),
                                  NOW)
        self.assertEqual('owed', new.status)
        self.assertEqual([ledger.EVENT_OWED, ledger.EVENT_BALANCE_LOW],
                         events)

    def test_evaluate_without_previous_balance_fires_no_low(self):
        new, events = ledger.evaluate(state('1', threshold='10'), NOW)
        self.assertEqual('active', new.status)
        self.assertEqual([], events)


class UnfreezeTest(base.TestCase):

    def test_unfreeze_in_credit(self):
        new, events = ledger.unfreeze(state('5', status='frozen'), NOW)
        self.assertEqual('active', new.status)
        self.assertEqual([], events)

    def test_unfreeze_in_debt(self):
        new, events = ledger.unfreeze(state('-50', '10', status='frozen'),
                                      NOW)
        self.assertEqual('owed', new.status)
        self.assertEqual(NOW, new.owed_since)
        self.assertEqual([ledger.EVENT_OWED], events)


class RequireFundsTest(base.TestCase):

    def test_covered(self):
        self.assertIsNone(ledger.require_funds('p1', state('10', '5'),
                                               D('15'), 'EUR'))

    def test_covered_by_credit_alone(self):
        self.assertIsNone(ledger.require_funds('p1', state('-2', '5'),
                                               D('3'), 'EUR'))

    def test_insufficient(self):
        e = self.assertRaises(errors.InsufficientFunds, ledger.require_funds,
                              'p1', state('10', '5'), D('15.01'), 'EUR')
        self.assertEqual(D('0.01'), e.missing)
        self.assertEqual(D('15.01'), e.required)
        self.assertEqual(D('15'), e.available)
        self.assertEqual('EUR', e.currency)
        self.assertEqual('p1', e.project_id)

    def test_message_uses_the_currency_minor_unit(self):
        e = self.assertRaises(errors.InsufficientFunds, ledger.require_funds,
                              'p1', state('100.0000000000'), D('1500'),
                              'JPY')
        self.assertEqual(D('1400'), e.missing)
        self.assertIn('1400 JPY missing', str(e))
        e = self.assertRaises(errors.InsufficientFunds, ledger.require_funds,
                              'p1', state('1.0000000000'), D('1.5'), 'KWD')
        self.assertIn('0.500 KWD missing', str(e))

    def test_insufficient_when_owed(self):
        e = self.assertRaises(errors.InsufficientFunds, ledger.require_funds,
                              'p1', state('-12.5', '2.5', status='owed'),
                              D('30'), 'EUR')
        self.assertEqual(D('40'), e.missing)
        self.assertEqual(D('-10'), e.available)

    def test_frozen(self):
        e = self.assertRaises(errors.AccountFrozen, ledger.require_funds,
                              'p1', state('1000', status='frozen'), D('1'),
                              'EUR')
        self.assertEqual('p1', e.project_id)


class PeriodPostingTest(base.TestCase):

    BEGIN = utc(2026, 1, 1, 10)

    def test_first_rating_is_a_charge(self):
        kind, amount, key = ledger.period_posting('p1', self.BEGIN,
                                                  D('12.5'), [])
        self.assertEqual('charge', kind)
        self.assertEqual('-12.5000000000', str(amount))
        self.assertEqual('charge:p1:2026-01-01T10:00:00Z', key)

    def test_a_first_rating_of_nothing_writes_nothing(self):
        self.assertIsNone(ledger.period_posting('p1', self.BEGIN, D('0'),
                                                []))

    def test_a_first_charge_after_zero_ratings_is_the_charge(self):
        # Zero ratings left no entry: posted is empty, the key is free.
        kind, amount, key = ledger.period_posting('p1', self.BEGIN,
                                                  D('0.02'), [])
        self.assertEqual(('charge', D('-0.02'),
                          'charge:p1:2026-01-01T10:00:00Z'),
                         (kind, amount, key))

    def test_back_to_zero_is_an_adjustment(self):
        self.assertEqual(
            ('adjustment', D('0.02'), 'adjustment:p1:2026-01-01T10:00:00Z:1'),
            ledger.period_posting('p1', self.BEGIN, D('0'), [D('-0.02')]))

    def test_unchanged_writes_nothing(self):
        self.assertIsNone(ledger.period_posting(
            'p1', self.BEGIN, D('12.5'), [D('-12.5000000000')]))
        self.assertIsNone(ledger.period_posting(
            'p1', self.BEGIN, D('10'), [D('-12.5'), D('2.5')]))

    def test_increase_is_a_negative_adjustment(self):
        kind, amount, key = ledger.period_posting(
            'p1', self.BEGIN, D('12.34'), [D('-10')])
        self.assertEqual('adjustment', kind)
        self.assertEqual('-2.3400000000', str(amount))
        self.assertEqual('adjustment:p1:2026-01-01T10:00:00Z:1', key)

    def test_decrease_is_a_positive_adjustment(self):
        kind, amount, key = ledger.period_posting(
            'p1', self.BEGIN, D('7'), [D('-10')])
        self.assertEqual('adjustment', kind)
        self.assertEqual(D('3'), amount)

    def test_version_counts_earlier_entries(self):
        kind, amount, key = ledger.period_posting(
            'p1', self.BEGIN, D('12.34'), [D('-12.5'), D('2.5')])
        self.assertEqual('adjustment', kind)
        self.assertEqual(D('-2.34'), amount)
        self.assertEqual('adjustment:p1:2026-01-01T10:00:00Z:2', key)

    def test_difference_at_stored_precision(self):
        kind, amount, key = ledger.period_posting(
            'p1', self.BEGIN, D('0.0000000001'), [D('0')])
        self.assertEqual('adjustment', kind)
        self.assertEqual(D('-0.0000000001'), amount)


class ServiceDifferencesTest(base.TestCase):

    def test_first_posting_is_the_lines_per_service(self):
        self.assertEqual({'instance': D('0.07'), 'volume': D('0.01')},
                         ledger.service_differences(
                             {'instance': D('0.07'), 'volume': D('0.01'),
                              'image': D('0')}, {}))

    def test_rerating_records_each_services_difference(self):
        differences = ledger.service_differences(
            {'instance': D('0.02'), 'volume': D('0.03')},
            {'instance': D('0.07'), 'volume': D('0.01'), 'ip': D('0.5')})
        self.assertEqual({'instance': D('-0.05'), 'volume': D('0.02'),
                          'ip': D('-0.5')}, differences)
        self.assertEqual(['instance', 'ip', 'volume'], list(differences))
        # They add up to the magnitude of the adjustment's difference.
        self.assertEqual(D('-0.53'), sum(differences.values()))

    def test_unchanged_services_are_left_out(self):
        self.assertEqual({'volume': D('0.0000000001')},
                         ledger.service_differences(
                             {'instance': D('1'), 'volume': D('0.0000000001')},
                             {'instance': D('1.0000000000')}))
