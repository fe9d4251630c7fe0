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
"""The service layer: recharge, buy, cancel, renew, flavor change."""

import sqlalchemy as sa

from cloudkitty import db as ck_db

from uos_billing.core import errors
from uos_billing.rating.db.sqlalchemy import models
from uos_billing.rating import holds
from uos_billing.tests import base
from uos_billing.tests import samples
from uos_billing.tests.unit.rating import test_module

D = samples.D
utc = base.utc
NOV5 = utc(2026, 11, 5, 12)


class ServiceTestCase(test_module.ModuleTestCase):

    def snapshot(self, project='acme'):
        try:
            account = self.db.get_account(project)
        except errors.NotFound:
            account = None
        return (account, self.db.list_ledger(project),
                self.db.list_orders(project))


class TestRecharge(ServiceTestCase):

    def test_recharge_adds_one_entry(self):
        entry = self.svc.recharge('acme', '12.34', note='wire 42',
                                  idempotency_key='k-1', created_by='adm')
        self.assertEqual(('recharge', D('12.34'), D('12.34'),
                          'recharge:acme:k-1', 'adm', 'wire 42'),
                         (entry['kind'], entry['amount'],
                          entry['balance_after'], entry['idempotency_key'],
                          entry['created_by'], entry['note']))
        self.assertEqual(D('12.34'), self.balance())

    def test_same_key_same_body_returns_the_first_entry(self):
        first = self.svc.recharge('acme', '5', idempotency_key='k')
        again = self.svc.recharge('acme', '5.00', idempotency_key='k')
        self.assertEqual(first['id'], again['id'])
        self.assertEqual(D('5'), self.balance())
        self.assertEqual(1, len(self.db.list_ledger('acme')))

    def test_same_key_other_body_is_a_conflict(self):
        self.svc.recharge('acme', '5', idempotency_key='k')
        before = self.snapshot()
        self.assertRaises(errors.Conflict, self.svc.recharge, 'acme', '6',
                          idempotency_key='k')
        self.assertRaises(errors.Conflict, self.svc.recharge, 'acme', '5',
                          note='other', idempotency_key='k')
        self.assertEqual(before, self.snapshot())

    def test_bad_amounts_name_the_field_and_write_nothing(self):
        for amount, reason in (('-1', 'must not be negative'),
                               ('0', 'greater than zero'),
                               ('abc', 'not a decimal amount'),
                               (0.1, 'no exact decimal value'),
                               ('1.001', 'more decimal places than EUR'),
                               (None, 'expected a decimal amount')):
            e = self.assertRaises(errors.InvalidInput, self.svc.recharge,
                                  'acme', amount)
            self.assertEqual('amount', e.field)
            self.assertIn(reason, str(e))
        self.assertEqual((None, [], []), self.snapshot())


class TestBuy(ServiceTestCase):

    def test_buy_charges_the_term_at_once(self):
        self.svc.recharge('acme', '60')
        order = self.svc.buy('acme', 'vm-1', 'instance', 'medium',
                             'monthly', 2, auto_renew=True, now=NOV5)
        self.assertEqual(
            ('monthly', 'active', 2, D('25'), NOV5, utc(2027, 1, 5, 12),
             True, 5),
            (order['mode'], order['status'], order['count'],
             order['unit_price'], order['term_start'], order['term_end'],
             order['auto_renew'], order['anchor_day']))
        payment = self.db.list_ledger('acme')[-1]
        self.assertEqual(('order_payment', D('-50'), D('10'), order['id'],
                          NOV5, utc(2027, 1, 5, 12),
                          'order_payment:%s:0' % order['id']),
                         (payment['kind'], payment['amount'],
                          payment['balance_after'], payment['order_id'],
                          payment['period_begin'], payment['period_end'],
                          payment['idempotency_key']))

    def test_credit_limit_counts_as_funds(self):
        self.svc.recharge('acme', '20')
        self.db_set_account(credit_limit='5')
        self.svc.buy('acme', 'vm-1', 'instance', 'medium', 'monthly', 1,
                     now=NOV5)
        self.assertEqual(D('-5'), self.balance())

    def db_set_account(self, **values):
        with ck_db.session_for_write() as session:
            session.execute(sa.update(models.Account).values(
                **{k: (D(v) if k != 'status' else v)
                   for k, v in values.items()}))

    def test_insufficient_funds_names_the_missing_amount(self):
        self.svc.recharge('acme', '20.50')
        before = self.snapshot()
        e = self.assertRaises(errors.InsufficientFunds, self.svc.buy,
                              'acme', 'vm-1', 'instance', 'medium',
                              'monthly', 1, now=NOV5)
        self.assertEqual((D('25'), D('20.50'), D('4.50'), 'EUR'),
                         (e.required, e.available, e.missing, e.currency))
        self.assertIn('4.50 EUR missing', str(e))
        self.assertEqual(before, self.snapshot())

    def test_a_project_without_account_writes_nothing_when_refused(self):
        self.assertRaises(errors.InsufficientFunds, self.svc.buy, 'acme',
                          'vm-1', 'instance', 'small', 'monthly', 1,
                          now=NOV5)
        self.assertEqual((None, [], []), self.snapshot())

    def test_frozen_account_cannot_buy(self):
        self.svc.recharge('acme', '100')
        self.db_set_account(status='frozen')
        self.assertRaises(errors.AccountFrozen, self.svc.buy, 'acme',
                          'vm-1', 'instance', 'small', 'monthly', 1,
                          now=NOV5)

    def test_bad_requests_name_the_field(self):
        self.svc.recharge('acme', '100')
        before = self.snapshot()
        cases = [
            (('vm-1', 'instance', 'small', 'weekly', 1), 'mode'),
            (('vm-1', 'instance', 'small', 'monthly', 0), 'count'),
            (('vm-1', 'instance', 'small', 'yearly', 11), 'count'),
            (('vm-1', 'instance', 'small', 'monthly', True), 'count'),
            (('', 'instance', 'small', 'monthly', 1), 'resource_id'),
            (('vm-1', 'instance', 'nope', 'monthly', 1), 'product_id'),
            (('vm-1', 'volume', 'small', 'monthly', 1), 'service'),
            (('vm-1', 'instance', 'small-off', 'monthly', 1), 'product_id'),
        ]
        for args, field in cases:
            e = self.assertRaises(errors.InvalidInput, self.svc.buy,
                                  'acme', *args, now=NOV5)
            self.assertEqual(field, e.field, args)
        self.assertEqual(before, self.snapshot())

    def test_a_second_term_for_the_same_resource_is_a_conflict(self):
        self.svc.recharge('acme', '100')
        self.svc.buy('acme', 'vm-1', 'instance', 'small', 'monthly', 1,
                     now=NOV5)
        self.assertRaises(errors.Conflict, self.svc.buy, 'acme', 'vm-1',
                          'instance', 'small', 'monthly', 1, now=NOV5)

    def test_currency_mismatch_is_refused(self):
        self.db.create_product(samples.product('usd', 'm1.usd', '1',
                                               monthly='1', currency='USD'))
        self.svc.recharge('acme', '100')
        self.assertRaises(errors.CurrencyMismatch, self.svc.buy, 'acme',
                          'vm-1', 'instance', 'usd', 'monthly', 1, now=NOV5)


class TestCancelRenew(ServiceTestCase):

    def setUp(self):
        super().setUp()
        self.svc.recharge('acme', '100')
        # Nov 1 to Dec 1: 30 days.
        self.order = self.svc.buy('acme', 'vm-1', 'instance', 'small',
                                  'monthly', 1, now=utc(2026, 11, 1))

    def test_cancel_refunds_the_unused_seconds(self):
        result = self.svc.cancel('acme', self.order['id'],
                                 now=utc(2026, 11, 11))
        # 10.00 x 20 days / 30 days.
        self.assertEqual(D('6.6666666667'), result['refund'])
        self.assertEqual(('cancelled', utc(2026, 11, 11)),
                         (result['status'], result['closed_at']))
        refund = self.db.list_ledger('acme')[-1]
        self.assertEqual(('refund', D('6.6666666667'),
                          'refund:%s:cancel' % self.order['id']),
                         (refund['kind'], refund['amount'],
                          refund['idempotency_key']))
        self.assertEqual(D('96.6666666667'), self.balance())

    def test_cancelling_twice_is_a_conflict(self):
        self.svc.cancel('acme', self.order['id'], now=utc(2026, 11, 11))
        before = self.snapshot()
        e = self.assertRaises(errors.Conflict, self.svc.cancel, 'acme',
                              self.order['id'], now=utc(2026, 11, 12))
        self.assertIn('already cancelled', str(e))
        self.assertEqual(before, self.snapshot())

    def test_other_projects_cannot_touch_the_order(self):
        self.svc.recharge('other', '1')
        self.assertRaises(errors.NotFound, self.svc.cancel, 'other',
                          self.order['id'])

    def test_renew_extends_from_term_end_on_the_anchor_day(self):
        order = self.svc.renew('acme', self.order['id'],
                               self.order['term_end'], now=utc(2026, 11, 20))
        self.assertEqual((utc(2026, 11, 1), utc(2027, 1, 1), 1),
                         (order['term_start'], order['term_end'],
                          order['renewals']))
        self.assertEqual(D('80'), self.balance())
        # Cancelling refunds the rest of this term and all of the next.
        result = self.svc.cancel('acme', self.order['id'],
                                 now=utc(2026, 11, 16))
        self.assertEqual(D('15'), result['refund'])

    def test_set_auto_renew(self):
        revision = self.db.get_account('acme')['revision']
        order = self.svc.set_auto_renew('acme', self.order['id'], True)
        self.assertTrue(order['auto_renew'])
        # Rating processes holding the project's orders must see it.
        self.assertEqual(revision + 1,
                         self.db.get_account('acme')['revision'])
        self.assertRaises(errors.InvalidInput, self.svc.set_auto_renew,
                          'acme', self.order['id'], 'yes')


class TestRenewalQuote(ServiceTestCase):
    """renewal_quote: what renew charges, through the same rule, no write."""

    def setUp(self):
        super().setUp()
        self.svc.recharge('acme', '100')
        # Nov 1 to Dec 1, 10.00; the balance is 90.00.
        self.order = self.svc.buy('acme', 'vm-1', 'instance', 'small',
                                  'monthly', 1, now=utc(2026, 11, 1))
        self.oid = self.order['id']

    def quote(self, now=utc(2026, 11, 20), project='acme', order_id=None):
        return self.svc.renewal_quote(project, order_id or self.oid,
                                      now=now)

    def renew_payment(self, now=utc(2026, 11, 20)):
        """Renew at now; (order, its renewal's ledger entry)."""
        order = self.svc.renew('acme', self.oid,
                               self.db.get_order_row(self.oid)['term_end'],
                               now=now)
        entry = self.db.list_ledger('acme')[-1]
        self.assertEqual(('order_payment',
                          'order_payment:%s:%d' % (self.oid,
                                                   order['renewals'])),
                         (entry['kind'], entry['idempotency_key']))
        return order, entry

    def test_quote_shows_the_next_term_and_its_price(self):
        quote = self.quote()
        self.assertEqual(
            {'order_id': self.oid, 'project_id': 'acme',
             'resource_id': 'vm-1', 'service': 'instance',
             'product_id': 'small', 'mode': 'monthly', 'count': 1,
             'unit_price': D('10'), 'price': D('10'), 'currency': 'EUR',
             'term_start': utc(2026, 12, 1), 'term_end': utc(2027, 1, 1),
             'balance': D('90'), 'credit_limit': D('0'), 'held': D('0'),
             'available': D('90'), 'missing': D('0'),
             'account_status': 'active'}, quote)

    def test_renew_charges_exactly_the_quoted_price_and_term(self):
        quote = self.quote()
        order, entry = self.renew_payment()
        self.assertEqual((-quote['price'], quote['term_start'],
                          quote['term_end']),
                         (entry['amount'], entry['period_begin'],
                          entry['period_end']))
        self.assertEqual((quote['term_end'], quote['product_id'],
                          quote['unit_price']),
                         (order['term_end'], order['product_id'],
                          order['unit_price']))
        self.assertEqual(D('80'), self.balance())

    def test_after_a_price_change_quote_and_renewal_use_the_new_price(self):
        # New prices from Nov 25, before the term ends on Dec 1: the
        # renewal is priced by the new row, not the order's 10.00.
        self.db.end_product('small', utc(2026, 11, 25))
        self.db.create_product(samples.product(
            'small-2', 'm1.small', '0.02', monthly='12.34',
            since=utc(2026, 11, 25)))
        quote = self.quote()
        self.assertEqual(('small-2', D('12.34'), D('12.34')),
                         (quote['product_id'], quote['unit_price'],
                          quote['price']))
        self.assertNotEqual(self.order['unit_price'] * self.order['count'],
                            quote['price'])
        order, entry = self.renew_payment()
        self.assertEqual(D('-12.34'), entry['amount'])
        self.assertEqual(-quote['price'], entry['amount'])
        self.assertEqual(('small-2', D('12.34'), utc(2027, 1, 1)),
                         (order['product_id'], order['unit_price'],
                          order['term_end']))
        self.assertEqual(D('77.66'), self.balance())

    def test_a_price_change_after_the_term_end_is_not_used(self):
        self.db.end_product('small', utc(2026, 12, 15))
        self.db.create_product(samples.product(
            'small-2', 'm1.small', '0.02', monthly='12',
            since=utc(2026, 12, 15)))
        self.assertEqual(('small', D('10')),
                         (self.quote()['product_id'], self.quote()['price']))
        _order, entry = self.renew_payment()
        self.assertEqual(D('-10'), entry['amount'])

    def test_a_product_ended_before_the_term_end_prices_it_now(self):
        # Nothing is in effect on Dec 1; the renewal takes today's row.
        self.db.end_product('small', utc(2026, 11, 25))
        quote = self.quote()
        self.assertEqual(('small', D('10')),
                         (quote['product_id'], quote['price']))
        _order, entry = self.renew_payment()
        self.assertEqual(-quote['price'], entry['amount'])

    def test_the_next_term_keeps_the_anchor_day(self):
        self.db.create_product(samples.product(
            'large', 'm1.large', '0.1', monthly='25.5', yearly='250.25'))
        self.svc.recharge('acme', '1000')
        # Bought on Jan 31: the term ends on Feb 28, the next one on
        # Mar 31 (SPEC 4, Prepaid term), the one after that on Apr 30.
        order = self.svc.buy('acme', 'vm-2', 'instance', 'large', 'monthly',
                             1, now=utc(2026, 1, 31))
        self.svc.renew('acme', order['id'], order['term_end'],
                       now=utc(2026, 2, 1))
        quote = self.svc.renewal_quote('acme', order['id'],
                                       now=utc(2026, 2, 2))
        self.assertEqual((D('25.5'), utc(2026, 3, 31), utc(2026, 4, 30)),
                         (quote['price'], quote['term_start'],
                          quote['term_end']))
        renewed = self.svc.renew('acme', order['id'], quote['term_start'],
                                 now=utc(2026, 2, 2))
        self.assertEqual(quote['term_end'], renewed['term_end'])
        # Two years at 250.25, from Jan 31 2026 to Jan 31 2028, then 2030.
        yearly = self.svc.buy('acme', 'vm-3', 'instance', 'large', 'yearly',
                              2, now=utc(2026, 1, 31))
        quote = self.svc.renewal_quote('acme', yearly['id'],
                                       now=utc(2026, 6, 1))
        self.assertEqual((D('500.5'), D('250.25'), utc(2028, 1, 31),
                          utc(2030, 1, 31)),
                         (quote['price'], quote['unit_price'],
                          quote['term_start'], quote['term_end']))
        renewed = self.svc.renew('acme', yearly['id'], yearly['term_end'],
                                 now=utc(2026, 6, 1))
        self.assertEqual(quote['term_end'], renewed['term_end'])
        self.assertEqual(D('-500.5'),
                         self.db.list_ledger('acme')[-1]['amount'])

    def test_the_quote_writes_nothing(self):
        self.db.end_product('small', utc(2026, 11, 25))
        self.db.create_product(samples.product(
            'small-2', 'm1.small', '0.02', monthly='12',
            since=utc(2026, 11, 25)))
        before = self.snapshot()
        for _ in range(2):
            self.quote()
        # Not the ledger, not the order, not the account (its revision,
        # which rating processes read, included).
        self.assertEqual(before, self.snapshot())
        self.assertEqual(self.order,
                         dict(self.db.list_orders('acme')[0], replayed=False))

    def test_funds_are_shown_and_renew_misses_the_same_amount(self):
        # 90 - 75 = 15 left, the renewal costs 20 after a price change.
        self.svc.buy('acme', 'vm-2', 'instance', 'medium', 'monthly', 3,
                     now=utc(2026, 11, 1))
        self.db.end_product('small', utc(2026, 11, 25))
        self.db.create_product(samples.product(
            'small-2', 'm1.small', '0.02', monthly='20',
            since=utc(2026, 11, 25)))
        quote = self.quote()
        self.assertEqual((D('15'), D('15'), D('20'), D('5')),
                         (quote['balance'], quote['available'],
                          quote['price'], quote['missing']))
        before = self.snapshot()
        e = self.assertRaises(errors.InsufficientFunds, self.svc.renew,
                              'acme', self.oid, utc(2026, 12, 1),
                              now=utc(2026, 11, 20))
        self.assertEqual((quote['price'], quote['available'],
                          quote['missing']),
                         (e.required, e.available, e.missing))
        self.assertEqual(before, self.snapshot())

    def test_live_holds_are_not_available(self):
        at = utc(2026, 11, 20)
        holds.HoldService().hold(
            'acme', 'instance', 'monthly', 8,
            fields={'flavor_name': 'm1.small'}, now=at)
        quote = self.quote(now=at)
        self.assertEqual((D('90'), D('80'), D('10'), D('0')),
                         (quote['balance'], quote['held'],
                          quote['available'], quote['missing']))
        # Once the hold has expired (300 s), it is available again.
        later = self.quote(now=utc(2026, 11, 20, 1))
        self.assertEqual((D('0'), D('90')),
                         (later['held'], later['available']))

    def assert_same_refusal(self, exc_class, project='acme', order_id=None,
                            now=utc(2026, 11, 20)):
        order_id = order_id or self.oid
        before = self.snapshot(project)
        quoted = self.assertRaises(exc_class, self.svc.renewal_quote,
                                   project, order_id, now=now)
        renewed = self.assertRaises(exc_class, self.svc.renew, project,
                                    order_id, utc(2026, 12, 1), now=now)
        self.assertEqual(str(renewed), str(quoted))
        self.assertEqual(before, self.snapshot(project))
        return quoted

    def test_unknown_order_and_other_project_are_not_found(self):
        e = self.assert_same_refusal(errors.NotFound, order_id='nope')
        self.assertEqual('order nope not found', str(e))
        self.svc.recharge('other', '5')
        self.assert_same_refusal(errors.NotFound, project='other')

    def test_a_cancelled_order_is_a_conflict(self):
        self.svc.cancel('acme', self.oid, now=utc(2026, 11, 10))
        e = self.assert_same_refusal(errors.Conflict)
        self.assertEqual('order %s is already cancelled' % self.oid, str(e))

    def test_an_on_demand_order_is_a_conflict(self):
        self.rate(utc(2026, 11, 2), utc(2026, 11, 2, 1),
                  [samples.point('vm-9', 'm1.small')])
        [on_demand] = [o for o in self.db.list_orders('acme')
                       if o['resource_id'] == 'vm-9']
        e = self.assert_same_refusal(errors.Conflict,
                                     order_id=on_demand['id'])
        self.assertIn('is on demand', str(e))

    def test_no_product_in_effect_is_a_conflict(self):
        # Ended on Nov 10, nothing after it: nothing on Dec 1 nor today.
        self.db.end_product('small', utc(2026, 11, 10))
        e = self.assert_same_refusal(errors.Conflict)
        self.assertEqual('no product is in effect for the renewal of order '
                         '%s' % self.oid, str(e))

    def test_a_successor_in_another_currency_is_a_conflict(self):
        self.db.end_product('small', utc(2026, 11, 25))
        self.db.create_product(samples.product(
            'small-usd', 'm1.small', '0.02', monthly='11', currency='USD',
            since=utc(2026, 11, 25)))
        self.assert_same_refusal(errors.CurrencyMismatch)


class TestFlavorChange(ServiceTestCase):

    def setUp(self):
        super().setUp()
        self.svc.recharge('acme', '100')
        self.order = self.svc.buy('acme', 'vm-1', 'instance', 'small',
                                  'monthly', 1, now=utc(2026, 11, 1))

    def test_refund_old_term_and_charge_new_price_for_the_rest(self):
        result = self.svc.change_flavor('acme', self.order['id'], 'medium',
                                        now=utc(2026, 11, 16))
        # Half of 10.00 back, half of 25.00 charged.
        self.assertEqual(D('5'), result['refund'])
        new = result['new_order']
        self.assertEqual(('medium', 'active', utc(2026, 11, 16),
                          utc(2026, 12, 1), 1),
                         (new['product_id'], new['status'],
                          new['term_start'], new['term_end'],
                          new['anchor_day']))
        self.assertEqual('closed', result['closed_order']['status'])
        self.assertEqual(D('100') - D('10') + D('5') - D('12.5'),
                         self.balance())

    def test_after_a_renewal_paid_ahead_the_next_term_is_priced_whole(self):
        self.svc.renew('acme', self.order['id'], self.order['term_end'],
                       now=utc(2026, 11, 15))
        result = self.svc.change_flavor('acme', self.order['id'], 'medium',
                                        now=utc(2026, 12, 1))
        # Dec 1 to Jan 1 is a whole term still to come: all of 10.00 back,
        # 25.00 for the medium term.
        self.assertEqual(D('10'), result['refund'])
        self.assertEqual(D('100') - D('10') - D('10') + D('10') - D('25'),
                         self.balance())

    def test_a_second_change_prices_the_rest_of_the_whole_term(self):
        first = self.svc.change_flavor('acme', self.order['id'], 'medium',
                                       now=utc(2026, 11, 16))
        second = self.svc.change_flavor('acme', first['new_order']['id'],
                                        'small', now=utc(2026, 11, 24))
        # 7 days of the Nov 1 - Dec 1 term left: 25 x 7/30 back,
        # 10 x 7/30 charged.
        self.assertEqual(D('5.8333333333'), second['refund'])
        payment = self.db.list_ledger('acme')[-1]
        self.assertEqual(('order_payment', D('-2.3333333333')),
                         (payment['kind'], payment['amount']))

    def test_a_product_not_in_effect_is_refused(self):
        self.db.create_product(samples.product(
            'later', 'm1.later', '1', monthly='1',
            since=utc(2027, 1, 1)))
        e = self.assertRaises(errors.InvalidInput, self.svc.change_flavor,
                              'acme', self.order['id'], 'later',
                              now=utc(2026, 11, 16))
        self.assertEqual('product_id', e.field)

    def test_without_funds_the_resource_falls_back_to_on_demand(self):
        self.svc.buy('acme', 'vm-2', 'instance', 'medium', 'monthly', 3,
                     now=utc(2026, 11, 1))
        self.svc.buy('acme', 'vm-3', 'instance', 'small', 'monthly', 1,
                     now=utc(2026, 11, 1))
        # 5.00 left + 5.00 refunded < 12.50 for the rest of the term.
        result = self.svc.change_flavor('acme', self.order['id'], 'medium',
                                        now=utc(2026, 11, 16))
        self.assertIsNone(result['new_order'])
        self.assertEqual(D('10'), self.balance())
