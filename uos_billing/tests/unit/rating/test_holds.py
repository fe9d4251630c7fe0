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
"""Funds holds: hold, confirm, release, expiry, and purchases beside them."""

import datetime

import sqlalchemy as sa

from cloudkitty import db as ck_db

from uos_billing.core import errors
from uos_billing.rating.db.sqlalchemy import models
from uos_billing.rating import holds
from uos_billing.tests import base
from uos_billing.tests import samples
from uos_billing.tests.unit.rating import test_service

D = samples.D
utc = base.utc
NOV5 = utc(2026, 11, 5, 12)
SMALL = {'flavor_id': '1', 'flavor_name': 'm1.small'}
MEDIUM = {'flavor_id': '2', 'flavor_name': 'm1.medium'}


def later(seconds):
    return NOV5 + datetime.timedelta(seconds=seconds)


class HoldTestCase(test_service.ServiceTestCase):

    def setUp(self):
        super().setUp()
        self.holds = holds.HoldService()

    def hold(self, fields=SMALL, mode='monthly', count=1, now=NOV5,
             project='acme', **kwargs):
        return self.holds.hold(project, 'instance', mode, count,
                               fields=fields, now=now, **kwargs)

    def hold_rows(self, project='acme'):
        with ck_db.session_for_read() as session:
            return [(r.status, r.resource_id, r.order_id, r.amount)
                    for r in session.execute(
                        sa.select(models.Hold)
                        .where(models.Hold.project_id == project)
                        .order_by(models.Hold.created_at,
                                  models.Hold.id)).scalars()]

    def snapshot(self, project='acme'):
        return super().snapshot(project) + (self.hold_rows(project),)

    def set_account(self, **values):
        with ck_db.session_for_write() as session:
            session.execute(sa.update(models.Account).values(**values))


class TestHold(HoldTestCase):

    def test_holds_the_price_of_the_matched_product(self):
        self.svc.recharge('acme', '30')
        hold = self.hold(count=2, auto_renew=True, created_by='nova')
        self.assertEqual(
            ('acme', 'instance', 'small', 'monthly', 2, D('20'), 'EUR',
             'held', True, later(300), NOV5, 'nova', None, None),
            (hold['project_id'], hold['service'], hold['product_id'],
             hold['mode'], hold['count'], hold['amount'], hold['currency'],
             hold['status'], hold['auto_renew'], hold['expires_at'],
             hold['created_at'], hold['created_by'], hold['resource_id'],
             hold['order_id']))
        # No ledger entry, no order: the balance is untouched.
        self.assertEqual([('recharge', D('30'))], self.ledger_amounts())
        self.assertEqual([], self.db.list_orders('acme'))
        self.assertEqual(D('30'), self.balance())

    def test_product_id_skips_the_matching(self):
        self.svc.recharge('acme', '30')
        hold = self.hold(fields={}, product_id='medium')
        self.assertEqual(('medium', D('25')),
                         (hold['product_id'], hold['amount']))

    def test_live_holds_are_not_available_to_other_holds(self):
        self.svc.recharge('acme', '30')
        self.hold(count=2)
        # 30 - 20 held = 10 available: one more month fits, then nothing.
        self.hold(count=1, now=later(10))
        before = self.snapshot()
        e = self.assertRaises(errors.InsufficientFunds, self.hold,
                              fields=MEDIUM, now=later(20))
        self.assertEqual((D('25'), D('0'), D('25'), 'EUR', D('30')),
                         (e.required, e.available, e.missing, e.currency,
                          e.held))
        self.assertIn('balance + credit limit - 30.00 EUR held', str(e))
        self.assertEqual(before, self.snapshot())

    def test_credit_limit_counts_as_funds(self):
        self.svc.recharge('acme', '20')
        self.set_account(credit_limit=D('5'))
        self.hold(fields=MEDIUM)
        e = self.assertRaises(errors.InsufficientFunds, self.hold)
        self.assertEqual((D('10'), D('0'), D('10')),
                         (e.required, e.available, e.missing))

    def test_insufficient_funds_writes_nothing(self):
        self.svc.recharge('acme', '5')
        before = self.snapshot()
        e = self.assertRaises(errors.InsufficientFunds, self.hold)
        self.assertEqual((D('10'), D('5'), D('5')),
                         (e.required, e.available, e.missing))
        self.assertEqual(before, self.snapshot())

    def test_a_project_without_account_writes_nothing(self):
        self.assertRaises(errors.InsufficientFunds, self.hold)
        self.assertEqual((None, [], [], []), self.snapshot())

    def test_frozen_account_is_a_conflict(self):
        self.svc.recharge('acme', '100')
        self.set_account(status='frozen')
        before = self.snapshot()
        e = self.assertRaises(errors.AccountFrozen, self.hold)
        self.assertIsInstance(e, errors.Conflict)
        self.assertEqual(before, self.snapshot())

    def test_no_product_or_no_prepaid_price_is_a_bad_request(self):
        self.svc.recharge('acme', '100')
        self.db.create_product(samples.product('tiny', 'm1.tiny', '0.01'))
        for kwargs, field in (
                ({'fields': {'flavor_name': 'm1.huge'}}, 'fields'),
                ({'fields': {}}, 'fields'),
                ({'fields': {'flavor_name': 'm1.tiny'}}, 'product_id'),
                ({'fields': SMALL, 'mode': 'yearly'}, 'product_id'),
                ({'product_id': 'nope'}, 'product_id'),
                ({'mode': 'on_demand'}, 'mode'),
                ({'count': 0}, 'count')):
            e = self.assertRaises(errors.InvalidInput, self.hold, **kwargs)
            self.assertEqual(field, e.field, kwargs)
        self.assertEqual([], self.hold_rows())

    def test_an_expired_hold_stops_counting(self):
        self.svc.recharge('acme', '10')
        first = self.hold()
        self.assertRaises(errors.InsufficientFunds, self.hold,
                          now=later(299))
        second = self.hold(now=later(300))
        self.assertEqual('expired', holds.get_hold(first['id'],
                                                   now=later(300))['status'])
        self.assertEqual('held', holds.get_hold(second['id'],
                                                now=later(300))['status'])
        # Recorded as expired by the project's next write.
        self.assertEqual(['expired', 'held'],
                         [r[0] for r in self.hold_rows()])

    def test_hold_ttl_option(self):
        self.conf.set_override('hold_ttl', 60, 'billing')
        self.svc.recharge('acme', '10')
        self.assertEqual(later(60), self.hold()['expires_at'])
        self.hold(now=later(60))


class TestBuyBesideHolds(HoldTestCase):

    def test_buy_does_not_spend_held_funds(self):
        self.svc.recharge('acme', '30')
        self.hold()
        before = self.snapshot()
        e = self.assertRaises(errors.InsufficientFunds, self.svc.buy,
                              'acme', 'vm-1', 'instance', 'medium',
                              'monthly', 1, now=later(1))
        self.assertEqual((D('25'), D('20'), D('5'), D('10')),
                         (e.required, e.available, e.missing, e.held))
        self.assertEqual(before, self.snapshot())
        # Once the hold expired, its money buys.
        self.svc.buy('acme', 'vm-1', 'instance', 'medium', 'monthly', 1,
                     now=later(300))
        self.assertEqual(D('5'), self.balance())

    def test_a_released_hold_gives_its_funds_back(self):
        self.svc.recharge('acme', '30')
        hold = self.hold()
        self.holds.release(hold['id'], now=later(1))
        self.svc.buy('acme', 'vm-1', 'instance', 'medium', 'monthly', 1,
                     now=later(2))
        self.assertEqual(D('5'), self.balance())


class TestOtherPaymentsRespectHolds(HoldTestCase):
    """Renewing or changing the flavor of a term spends no held money."""

    def setUp(self):
        super().setUp()
        self.svc.recharge('acme', '30')
        self.order = self.svc.buy('acme', 'vm-1', 'instance', 'small',
                                  'monthly', 1, now=NOV5)
        # 20 left, all of it held for two months of m1.small.
        self.held = self.hold(count=2)

    def test_renew(self):
        before = self.snapshot()
        e = self.assertRaises(errors.InsufficientFunds, self.svc.renew,
                              'acme', self.order['id'],
                              self.order['term_end'], now=later(1))
        self.assertEqual((D('10'), D('0'), D('20')),
                         (e.required, e.available, e.held))
        self.assertEqual(before, self.snapshot())
        self.holds.release(self.held['id'], now=later(2))
        self.svc.renew('acme', self.order['id'], self.order['term_end'],
                       now=later(3))
        self.assertEqual(D('10'), self.balance())

    def test_flavor_change_falls_back_to_on_demand(self):
        result = self.svc.change_flavor('acme', self.order['id'], 'medium',
                                        now=later(1))
        # The refund (almost all of 10.00) and the 0 not held do not pay
        # the rest of a medium term (almost 25.00): on demand from now.
        self.assertIsNone(result['new_order'])
        self.assertEqual('closed', result['closed_order']['status'])


class TestConfirm(HoldTestCase):

    def setUp(self):
        super().setUp()
        self.svc.recharge('acme', '60')

    def test_confirm_buys_the_term_as_buy_does(self):
        hold = self.hold(count=2, auto_renew=True)
        order, replayed = self.holds.confirm(hold['id'], 'vm-1',
                                             created_by='nova',
                                             now=later(30))
        self.assertFalse(replayed)
        start = later(30)
        self.assertEqual(
            ('acme', 'vm-1', 'instance', 'small', 'monthly', 'active', 2,
             D('10'), start, utc(2027, 1, 5, 12, 0, 30), True, 5, 0),
            (order['project_id'], order['resource_id'], order['service'],
             order['product_id'], order['mode'], order['status'],
             order['count'], order['unit_price'], order['term_start'],
             order['term_end'], order['auto_renew'], order['anchor_day'],
             order['renewals']))
        payment = self.db.list_ledger('acme')[-1]
        self.assertEqual(
            ('order_payment', D('-20'), D('40'), order['id'], start,
             utc(2027, 1, 5, 12, 0, 30), 'order_payment:%s:0' % order['id'],
             'nova', 'purchase'),
            (payment['kind'], payment['amount'], payment['balance_after'],
             payment['order_id'], payment['period_begin'],
             payment['period_end'], payment['idempotency_key'],
             payment['created_by'], payment['note']))
        self.assertEqual([('confirmed', 'vm-1', order['id'], D('20'))],
                         self.hold_rows())
        self.assertEqual('confirmed', holds.get_hold(
            hold['id'], now=later(3600))['status'])
        # The confirmed hold no longer sets anything aside: 40 are left.
        self.hold(fields=MEDIUM, now=later(31))

    def test_the_hold_pays_with_its_own_funds(self):
        # 60: this hold's 50 (yearly would not fit, two mediums do).
        hold = self.hold(fields=MEDIUM, count=2)
        self.holds.confirm(hold['id'], 'vm-1', now=later(1))
        self.assertEqual(D('10'), self.balance())

    def test_other_live_holds_are_not_spent_by_a_confirmation(self):
        first = self.hold(fields=MEDIUM)
        self.hold(fields=MEDIUM, now=later(1))
        # Balance drops under the two holds (a period was charged).
        self.set_account(balance=D('40'))
        before = self.snapshot()
        e = self.assertRaises(errors.InsufficientFunds, self.holds.confirm,
                              first['id'], 'vm-1', now=later(2))
        self.assertEqual((D('25'), D('15'), D('10')),
                         (e.required, e.available, e.missing))
        self.assertEqual(before, self.snapshot())

    def test_same_resource_again_returns_the_same_order(self):
        hold = self.hold()
        order, _ = self.holds.confirm(hold['id'], 'vm-1', now=later(1))
        before = self.snapshot()
        again, replayed = self.holds.confirm(hold['id'], 'vm-1',
                                             now=later(900))
        self.assertTrue(replayed)
        self.assertEqual(order, again)
        self.assertEqual(before, self.snapshot())
        e = self.assertRaises(errors.Conflict, self.holds.confirm,
                              hold['id'], 'vm-2', now=later(2))
        self.assertIn('confirmed for resource vm-1', str(e))
        self.assertEqual(before, self.snapshot())

    def test_released_or_expired_hold_is_a_conflict(self):
        released = self.hold()
        self.holds.release(released['id'], now=later(1))
        expired = self.hold(now=later(2))
        before = self.snapshot()
        for hold_id, at, status in ((released['id'], later(3), 'released'),
                                    (expired['id'], later(302),
                                     'expired')):
            e = self.assertRaises(errors.Conflict, self.holds.confirm,
                                  hold_id, 'vm-1', now=at)
            self.assertIn('is %s' % status, str(e))
        self.assertEqual(before, self.snapshot())

    def test_buy_checks_apply(self):
        hold = self.hold()
        self.svc.buy('acme', 'vm-1', 'instance', 'small', 'monthly', 1,
                     now=later(1))
        before = self.snapshot()
        e = self.assertRaises(errors.Conflict, self.holds.confirm,
                              hold['id'], 'vm-1', now=later(2))
        self.assertIn('already has the active monthly order', str(e))
        self.set_account(status='frozen')
        self.assertRaises(errors.AccountFrozen, self.holds.confirm,
                          hold['id'], 'vm-2', now=later(2))
        self.assertRaises(errors.InvalidInput, self.holds.confirm,
                          hold['id'], '', now=later(2))
        self.assertEqual(before[1:], self.snapshot()[1:])

    def test_unknown_hold(self):
        self.assertRaises(errors.NotFound, self.holds.confirm, 'nope',
                          'vm-1')
        self.assertRaises(errors.NotFound, self.holds.release, 'nope')


class TestRelease(HoldTestCase):

    def setUp(self):
        super().setUp()
        self.svc.recharge('acme', '10')

    def test_release_twice(self):
        hold = self.hold()
        released = self.holds.release(hold['id'], now=later(1))
        self.assertEqual(('released', later(1)),
                         (released['status'], released['updated_at']))
        before = self.snapshot()
        self.assertEqual('released', self.holds.release(
            hold['id'], now=later(2))['status'])
        self.assertEqual(before, self.snapshot())
        # Its 10 are available again.
        self.hold(now=later(3))
        self.assertEqual([('recharge', D('10'))], self.ledger_amounts())

    def test_releasing_an_expired_hold_keeps_it_expired(self):
        hold = self.hold()
        self.assertEqual('expired', self.holds.release(
            hold['id'], now=later(300))['status'])

    def test_a_confirmed_hold_is_a_conflict(self):
        hold = self.hold()
        self.holds.confirm(hold['id'], 'vm-1', now=later(1))
        before = self.snapshot()
        e = self.assertRaises(errors.Conflict, self.holds.release,
                              hold['id'], now=later(2))
        self.assertIn('confirmed into order', str(e))
        self.assertEqual(before, self.snapshot())
