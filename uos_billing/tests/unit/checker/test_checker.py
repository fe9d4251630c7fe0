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
"""The checker on a real database: each drift made on purpose, then healed.

Periods are rated by the billing module, CloudKitty's state is set with
its own StateManager; Gnocchi's answers come from an in-memory list (the
real Gnocchi is in the functional tests).
"""

import datetime

from cloudkitty import db as ck_db
from cloudkitty import storage_state
from oslo_messaging.notify import _impl_test as notify_test_driver
import sqlalchemy as sa

from uos_billing import checker
from uos_billing.checker import drift
from uos_billing.checker import resources as resources_mod
from uos_billing.enforcement import store
from uos_billing.rating.db.sqlalchemy import models
from uos_billing.tests import samples
from uos_billing.tests.unit.rating import test_module

D = samples.D
utc = test_module.utc
H0, H1, H2, H3 = (utc(2026, 11, 2, 10 + i) for i in range(4))
BOUGHT = utc(2026, 11, 2, 9)
# Within 7 days of the terms bought at BOUGHT (they end on Dec 2, 09:00).
NOW = utc(2026, 11, 28, 12)
MINUTE = datetime.timedelta(minutes=1)


class FakeResources(object):
    """GnocchiResources' answers from a list of Resources."""

    def __init__(self, found):
        self.found = found

    def live(self, project_ids):
        return [r for r in self.found
                if r.project_id in project_ids and r.ended_at is None]

    def get(self, service, ids):
        return {r.id: r for r in self.found
                if r.service == service and r.id in ids}


def resource(vm, project, started, ended=None):
    return resources_mod.Resource(vm, project, 'instance', started, ended)


class CheckerTestCase(test_module.ModuleTestCase):

    def setUp(self):
        super().setUp()
        storage_state.StateManager().init()
        self.state = storage_state.StateManager()

    def checker(self, found):
        return checker.Checker(self.conf, FakeResources(found), now=NOW)

    def actions(self):
        return [(a['project_id'], a['resource_id'], a['action'])
                for a in store.list_actions()]

    def schedules(self):
        table = drift.SCHEDULE
        with ck_db.session_for_read() as session:
            return [(r.identifier, r.start_reprocess_time,
                     r.end_reprocess_time) for r in session.execute(
                sa.select(table).order_by(table.c.id))]


class TestDrift(CheckerTestCase):

    def make_drift(self):
        small = samples.point
        # acme: 40.00, a monthly m1.small term for vm-4 and an auto-renewed
        # monthly m1.medium (25.00) for vm-5: 5.00 left.
        self.svc.recharge('acme', '40.00', now=BOUGHT)
        self.svc.buy('acme', 'vm-4', 'instance', 'small', 'monthly', 1,
                     now=BOUGHT)
        self.svc.buy('acme', 'vm-5', 'instance', 'medium', 'monthly', 1,
                     auto_renew=True, now=BOUGHT)
        self.rate(H0, H1, [small('vm-1', 'm1.small'),
                           small('vm-3', 'm1.small'),
                           small('vm-4', 'm1.small'),
                           small('vm-5', 'm1.medium')])
        self.rate(H1, H2, [small('vm-1', 'm1.small'),
                           small('vm-4', 'm1.small'),
                           small('vm-5', 'm1.medium')])
        # CloudKitty processed acme up to the period H1-H2.
        self.state.set_last_processed_timestamp('acme', H1)
        # beta: rated for H0-H1 only, but CloudKitty went on to H2-H3.
        self.rate(H0, H1, [small('b-1', 'm1.small', project='beta')],
                  project='beta')
        self.state.set_last_processed_timestamp('beta', H2)
        # gamma: a cached balance the ledger does not add up to.
        self.svc.recharge('gamma', '10.00')
        with ck_db.session_for_write() as session:
            session.execute(sa.update(models.Account).where(
                models.Account.project_id == 'gamma').values(
                    balance=D('9.5')))
        # zeta: a scope CloudKitty knows, no account.
        self.state.set_last_processed_timestamp('zeta', H2)
        # The rating's own notifications (beta is owed) are not the
        # checker's.
        notify_test_driver.reset()
        return [
            resource('vm-1', 'acme', H0),
            # Live since 10:10, never ordered.
            resource('vm-2', 'acme', H0 + 10 * MINUTE),
            # Ended at 11:00 and at 11:30, their orders still active.
            resource('vm-3', 'acme', H0, ended=H1),
            resource('vm-4', 'acme', H0, ended=H1 + 30 * MINUTE),
            resource('vm-5', 'acme', H0),
            # Started after the last processed period: not drift yet.
            resource('vm-6', 'acme', H2 + 30 * MINUTE),
            resource('b-1', 'beta', H0),
        ]

    def kinds(self, findings):
        return [(f.kind, f.project_id, f.resource_id, f.outcome)
                for f in findings]

    def test_finds_each_drift_heals_it_once(self):
        found = self.make_drift()
        check = self.checker(found)
        self.assertEqual(['acme', 'beta', 'gamma', 'zeta'], check.projects())
        orders_before = self.db.list_orders('acme')

        # A dry run finds everything and writes nothing.
        findings = check.check(check.projects(), dry_run=True)
        expected = [
            ('unordered_resource', 'acme', 'vm-2'),
            ('ended_resource_order', 'acme', 'vm-3'),
            ('ended_resource_order', 'acme', 'vm-4'),
            ('ended_resource_order', 'acme', 'vm-4'),
            ('renewal_at_risk', 'acme', 'vm-5'),
            ('unposted_period', 'beta', None),
            ('balance_mismatch', 'gamma', None),
        ]
        self.assertEqual([e + ('found',) for e in expected],
                         self.kinds(findings))
        self.assertEqual([], self.actions())
        self.assertEqual([], self.schedules())
        self.assertEqual(orders_before, self.db.list_orders('acme'))
        self.assertEqual([], self.notifications())
        by_kind = {(f.kind, f.detail.get('mode')): f.detail
                   for f in findings}
        self.assertEqual(
            {'periods': ['2026-11-02T11:00:00+00:00',
                         '2026-11-02T12:00:00+00:00'],
             'first': '2026-11-02T11:00:00+00:00',
             'last': '2026-11-02T12:00:00+00:00', 'period': 3600},
            by_kind[('unposted_period', None)])
        self.assertEqual(
            {'balance': '9.5000000000', 'ledger_sum': '10.0000000000',
             'last_balance_after': '10.0000000000',
             'difference': '-0.5000000000', 'currency': 'EUR'},
            by_kind[('balance_mismatch', None)])
        renewal = by_kind[('renewal_at_risk', 'monthly')]
        self.assertEqual(('25.0000000000', '4.9400000000', '20.0600000000',
                          '2026-12-02T09:00:00+00:00'),
                         (renewal['price'], renewal['available'],
                          renewal['missing'], renewal['term_end']))

        # Healing.
        findings = check.check(check.projects())
        self.assertEqual(
            [e + (o,) for e, o in zip(expected, [
                'healed', 'healed', 'healed', 'healed', 'reported',
                'healed', 'reported'])],
            self.kinds(findings))
        orders = {(o['resource_id'], o['mode']): o
                  for o in self.db.list_orders('acme')}
        vm2 = orders[('vm-2', 'on_demand')]
        self.assertEqual(('active', H0 + 10 * MINUTE, None),
                         (vm2['status'], vm2['term_start'],
                          vm2['closed_at']))
        self.assertEqual(('closed', H1), (
            orders[('vm-3', 'on_demand')]['status'],
            orders[('vm-3', 'on_demand')]['closed_at']))
        self.assertEqual(('closed', H1 + 30 * MINUTE), (
            orders[('vm-4', 'on_demand')]['status'],
            orders[('vm-4', 'on_demand')]['closed_at']))
        # The prepaid term is closed at the end of the period vm-4 ended
        # in (12:00) and its unused seconds refunded: 10.00 x 2,581,200 s
        # / 2,592,000 s.
        self.assertEqual(('closed', H2), (
            orders[('vm-4', 'monthly')]['status'],
            orders[('vm-4', 'monthly')]['closed_at']))
        refund = self.db.list_ledger('acme')[-1]
        self.assertEqual(('refund', D('9.9583333333'),
                          'refund:%s:resource_ended' %
                          orders[('vm-4', 'monthly')]['id']),
                         (refund['kind'], refund['amount'],
                          refund['idempotency_key']))
        self.assertEqual(D('14.8983333333'), self.balance())
        self.assertEqual([('beta', clock_naive(H1), clock_naive(H2))],
                         self.schedules())
        # Reported, never rewritten.
        self.assertEqual(D('9.5'), self.balance('gamma'))
        self.assertEqual(
            [('acme', 'vm-2', 'open_order'), ('acme', 'vm-3', 'close_order'),
             ('acme', 'vm-4', 'close_order'),
             ('acme', 'vm-4', 'close_order'),
             ('acme', 'vm-5', 'renewal_notice'), ('beta', None, 'reprocess'),
             ('gamma', None, 'balance_report')], self.actions())
        self.assertEqual(
            ['billing.checker.open_order', 'billing.checker.close_order',
             'billing.checker.close_order', 'billing.checker.close_order',
             'billing.order.renewal_at_risk', 'billing.checker.reprocess',
             'billing.checker.balance_report'],
            [event for event, _payload in self.notifications()])

        # A second heal heals nothing: what is left is pending or reported.
        notified = len(self.notifications())
        findings = check.check(check.projects())
        self.assertEqual([
            ('renewal_at_risk', 'acme', 'vm-5', 'already'),
            ('unposted_period', 'beta', None, 'already'),
            ('balance_mismatch', 'gamma', None, 'already')],
            self.kinds(findings))
        self.assertEqual(7, len(self.actions()))
        self.assertEqual(1, len(self.schedules()))
        self.assertEqual(notified, len(self.notifications()))
        self.assertEqual({'already': 3}, checker.summary(findings))

    def test_rerating_after_the_heal_uses_the_order_it_opened(self):
        found = self.make_drift()
        check = self.checker(found)
        check.check(['acme'])
        [vm2] = [o for o in self.db.list_orders('acme')
                 if o['resource_id'] == 'vm-2']
        self.rate(H2, H3, [samples.point('vm-2', 'm1.small')])
        [charge] = self.db.list_charges('acme', H2)
        self.assertEqual((vm2['id'], D('0.02')),
                         (charge['order_id'], charge['amount']))
        self.assertEqual(1, len([o for o in self.db.list_orders('acme')
                                 if o['resource_id'] == 'vm-2']))

    def test_periods_rated_for_nothing_are_not_unposted(self):
        # vm-4's term covers its periods: rated, no charge entry. Its
        # on-demand order, open for any second the term does not cover,
        # would make them "unposted" if an entry were the proof.
        self.svc.recharge('acme', '40.00', now=BOUGHT)
        self.svc.buy('acme', 'vm-4', 'instance', 'small', 'monthly', 1,
                     now=BOUGHT)
        for begin, end in ((H0, H1), (H1, H2)):
            self.rate(begin, end, [samples.point('vm-4', 'm1.small')])
        self.assertEqual(['recharge', 'order_payment'],
                         [e['kind'] for e in self.db.list_ledger('acme')])
        self.assertIn(('vm-4', 'on_demand', 'active'), [
            (o['resource_id'], o['mode'], o['status'])
            for o in self.db.list_orders('acme')])
        self.state.set_last_processed_timestamp('acme', H1)
        findings = self.checker([resource('vm-4', 'acme', H0)]).check(
            ['acme'])
        self.assertEqual([], [f for f in findings
                              if f.kind == drift.UNPOSTED])

    def test_no_state_no_account_nothing_to_check(self):
        check = self.checker([resource('vm-9', 'nobody', H0)])
        self.assertEqual([], check.check(['nobody']))
        self.svc.recharge('acme', '1')
        # An account CloudKitty never processed: only its balance counts.
        self.assertEqual([], check.check(['acme']))


def clock_naive(dt):
    return dt.replace(tzinfo=None)


class TestUnposted(test_module.base.TestCase):

    def facts(self, spans, posted):
        return drift.Facts(
            'p', account=object(), on_demand_spans=spans,
            posted_periods=set(posted), last_processed=H3,
            period=datetime.timedelta(hours=1), lookback_since=H0)

    def test_a_closed_order_counts_until_it_closed(self):
        facts = self.facts([(H0, H1 + 30 * MINUTE)], [H0])
        [finding] = drift.unposted(facts)
        self.assertEqual(['2026-11-02T11:00:00+00:00'],
                         finding.detail['periods'])

    def test_an_open_order_counts_from_its_start(self):
        facts = self.facts([(H2, None), (H0, H1)], [H0, H3])
        [finding] = drift.unposted(facts)
        self.assertEqual(['2026-11-02T12:00:00+00:00'],
                         finding.detail['periods'])
        self.assertEqual([], drift.unposted(self.facts([(H2, None)],
                                                       [H2, H3])))
