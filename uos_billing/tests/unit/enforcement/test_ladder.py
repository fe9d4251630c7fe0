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
"""The enforcement ladder, from the rating module to Nova over HTTP.

Accounts get owed the way production makes them: periods rated by the
billing module. The ladder runs from the module's hook after each posting
and from the service layer's after a recharge; it talks through
openstacksdk, over HTTP, to a Nova stand-in on 127.0.0.1
(uos_billing.tests.nova_standin), keystoneauth's "none" plugin and an
endpoint override standing in for the catalog.
"""

import datetime
import logging

import fixtures
from oslo_utils import timeutils

from uos_billing import enforcement
from uos_billing.enforcement import store
from uos_billing.tests import nova_standin
from uos_billing.tests import samples
from uos_billing.tests.unit.rating import test_module

D = samples.D
utc = test_module.utc
H = [utc(2026, 11, 2, 10 + i) for i in range(6)]
BOUGHT = utc(2026, 11, 2, 9)
HOUR = datetime.timedelta(hours=1)


class LadderTestCase(test_module.ModuleTestCase):

    dry_run = False

    def setUp(self):
        super().setUp()
        self.db.create_product(samples.product('big', 'm1.big', '3'))
        self.nova = self.useFixture(nova_standin.NovaStandIn())
        group = 'billing_enforcement'
        for name, value in [('enabled', True), ('grace_period', 7200),
                            ('dry_run', self.dry_run), ('auth_type', 'none'),
                            ('endpoint_override',
                             self.nova.endpoint + '/v2.1')]:
            self.conf.set_override(name, value, group)
        enforcement.reset()
        self.addCleanup(enforcement.reset)
        # The wall clock of the posting, the ladder and the recharges.
        self.useFixture(fixtures.MonkeyPatch(
            'oslo_utils.timeutils._override_time', H[1]))
        self.log = self.useFixture(fixtures.FakeLogger(
            level=logging.INFO, name='uos_billing.enforcement'))
        # vm-1 (m1.big) and vm-2 run on demand, vm-3 runs under a monthly
        # term, vm-4 was shut off by its user, vm-9 belongs to another
        # project.
        for vm, status in [('vm-1', 'ACTIVE'), ('vm-2', 'ACTIVE'),
                           ('vm-3', 'ACTIVE'), ('vm-4', 'SHUTOFF')]:
            self.nova.app.add(vm, 'acme', status)
        self.nova.app.add('vm-9', 'other')
        self.svc.recharge('acme', '12.00', now=BOUGHT)
        self.svc.buy('acme', 'vm-3', 'instance', 'small', 'monthly', 1,
                     now=BOUGHT)

    def at(self, when):
        timeutils._override_time = when

    def rate_hour(self, i):
        """Rate period H[i]..H[i+1], posted 5 s after it ends."""
        self.at(H[i + 1] + datetime.timedelta(seconds=5))
        self.rate(H[i], H[i + 1], [
            samples.point('vm-1', 'm1.big'),
            samples.point('vm-2', 'm1.small'),
            samples.point('vm-3', 'm1.small')])

    def actions(self):
        return [(a['action'], a['resource_id'], a['dry_run'])
                for a in store.list_actions('acme')]

    def enforcement_events(self):
        return [(event, payload['resource_id'])
                for event, payload in self.notifications()
                if event.startswith('billing.enforcement.')]


class TestLadder(LadderTestCase):

    def test_warn_then_stop_after_grace_then_restore_on_recharge(self):
        # Period 1: 3.00 + 0.02 (vm-3 is covered): 2.00 -> -1.02, owed.
        self.rate_hour(0)
        account = self.db.get_account('acme')
        self.assertEqual(('owed', D('-1.02'), utc(2026, 11, 2, 11, 0, 5)),
                         (account['status'], account['balance'],
                          account['owed_since']))
        self.assertEqual([('warn', None, False)], self.actions())
        [warn] = store.list_actions('acme')
        self.assertEqual(
            ('uos-billing-enforcement', 'warn:acme:2026-11-02T11:00:05Z',
             {'owed_since': '2026-11-02T11:00:05+00:00',
              'stop_at': '2026-11-02T13:00:05+00:00',
              'balance': '-1.0200000000', 'credit_limit': '0.0000000000',
              'currency': 'EUR'}),
            (warn['actor'], warn['idempotency_key'], warn['detail']))
        self.assertEqual(
            'balance -1.0200000000 EUR, owed since 2026-11-02T11:00:05+00:00;'
            ' its running servers are stopped from 2026-11-02T13:00:05+00:00',
            warn['reason'])
        self.assertEqual([('billing.enforcement.warn', None)],
                         self.enforcement_events())
        # Warned, not stopped: Nova was not even asked.
        self.assertEqual([], self.nova.app.requests)

        # Period 2 is posted at 12:00:05: still in the grace period (2 h,
        # it ends at 13:00:05), no second warning.
        self.rate_hour(1)
        self.assertEqual(D('-4.04'), self.balance())
        self.assertEqual([('warn', None, False)], self.actions())
        self.assertEqual([], self.nova.app.requests)

        # Period 3 is posted at 13:00:05: the grace period is over.
        self.rate_hour(2)
        self.assertEqual(D('-7.06'), self.balance())
        self.assertEqual([('os-stop', 'vm-1'), ('os-stop', 'vm-2')],
                         self.nova.app.actions())
        self.assertEqual({'vm-1': 'SHUTOFF', 'vm-2': 'SHUTOFF',
                          'vm-3': 'ACTIVE', 'vm-4': 'SHUTOFF',
                          'vm-9': 'ACTIVE'}, self.nova.app.statuses())
        self.assertEqual([('warn', None, False), ('stop', 'vm-1', False),
                          ('stop', 'vm-2', False)], self.actions())
        self.assertIn('server vm-3 is under a paid prepaid term',
                      self.log.output)
        stop = [p for e, p in self.notifications()
                if e == 'billing.enforcement.stop'][0]
        self.assertEqual({
            'project_id': 'acme', 'resource_id': 'vm-1', 'action': 'stop',
            'dry_run': False, 'owed_since': '2026-11-02T11:00:05+00:00',
            'reason': 'account owed since 2026-11-02T11:00:05+00:00, grace '
                      'period of 7200 s over'}, stop)

        # Period 4: nothing more to stop, nothing stopped twice.
        self.rate_hour(3)
        self.assertEqual([('os-stop', 'vm-1'), ('os-stop', 'vm-2')],
                         self.nova.app.actions())
        self.assertEqual(3, len(self.actions()))

        # 10.00 brings the balance to -0.08: still owed, nothing restored.
        self.svc.recharge('acme', '10.00')
        self.assertEqual('owed', self.db.get_account('acme')['status'])
        self.assertEqual(2, len(self.nova.app.actions()))
        # 0.08 more: active again; exactly what billing stopped starts.
        self.svc.recharge('acme', '0.08')
        self.assertEqual(('active', D('0')), (
            self.db.get_account('acme')['status'], self.balance()))
        self.assertEqual([('os-stop', 'vm-1'), ('os-stop', 'vm-2'),
                          ('os-start', 'vm-1'), ('os-start', 'vm-2')],
                         self.nova.app.actions())
        self.assertEqual({'vm-1': 'ACTIVE', 'vm-2': 'ACTIVE',
                          'vm-3': 'ACTIVE', 'vm-4': 'SHUTOFF',
                          'vm-9': 'ACTIVE'}, self.nova.app.statuses())
        self.assertEqual([('warn', None, False), ('stop', 'vm-1', False),
                          ('stop', 'vm-2', False), ('start', 'vm-1', False),
                          ('start', 'vm-2', False)], self.actions())
        self.assertEqual([('billing.enforcement.warn', None),
                          ('billing.enforcement.stop', 'vm-1'),
                          ('billing.enforcement.stop', 'vm-2'),
                          ('billing.enforcement.start', 'vm-1'),
                          ('billing.enforcement.start', 'vm-2')],
                         self.enforcement_events())

        # The next posting finds nothing outstanding: Nova is not asked.
        requests = len(self.nova.app.requests)
        self.svc.recharge('acme', '50')
        self.rate_hour(4)
        self.assertEqual(requests, len(self.nova.app.requests))

    def test_a_server_started_by_someone_else_is_released_not_started(self):
        self.conf.set_override('grace_period', 0, 'billing_enforcement')
        self.rate_hour(0)
        self.assertEqual([('os-stop', 'vm-1'), ('os-stop', 'vm-2')],
                         self.nova.app.actions())
        # An admin starts vm-2 and deletes vm-1.
        self.nova.app.servers['vm-2']['status'] = 'ACTIVE'
        del self.nova.app.servers['vm-1']
        # The next posting does not stop vm-2 again in this episode.
        self.rate_hour(1)
        self.assertEqual(2, len(self.nova.app.actions()))
        self.svc.recharge('acme', '10')
        self.assertEqual(2, len(self.nova.app.actions()))
        self.assertEqual([('warn', None), ('stop', 'vm-1'), ('stop', 'vm-2'),
                          ('release', 'vm-1'), ('release', 'vm-2')],
                         [(a, r) for a, r, _dry in self.actions()])
        reasons = [a['reason'] for a in store.list_actions('acme')[3:]]
        self.assertEqual(['the server no longer exists',
                          'the server is ACTIVE, not SHUTOFF'], reasons)

    def test_a_new_owed_episode_stops_again(self):
        self.conf.set_override('grace_period', 0, 'billing_enforcement')
        self.rate_hour(0)
        self.svc.recharge('acme', '1.02')
        self.assertEqual(4, len(self.nova.app.actions()))
        self.rate_hour(1)
        self.assertEqual([('os-stop', 'vm-1'), ('os-stop', 'vm-2'),
                          ('os-start', 'vm-1'), ('os-start', 'vm-2'),
                          ('os-stop', 'vm-1'), ('os-stop', 'vm-2')],
                         self.nova.app.actions())
        self.assertEqual(['warn', 'stop', 'stop', 'start', 'start', 'warn',
                          'stop', 'stop'],
                         [a for a, _r, _d in self.actions()])

    def test_frozen_accounts_and_unknown_projects_are_left_alone(self):
        self.conf.set_override('grace_period', 0, 'billing_enforcement')
        self.assertIsNone(enforcement.after_posting(None))
        self.assertEqual('nothing', enforcement.after_posting('nobody'))
        from uos_billing.rating import accounts
        accounts.AccountService().update('acme', {'frozen': True})
        self.rate_hour(0)
        self.assertEqual('frozen', self.db.get_account('acme')['status'])
        self.assertEqual([], self.actions())
        self.assertEqual([], self.nova.app.requests)

    def test_an_unfrozen_account_is_restored_by_the_next_posting(self):
        from uos_billing.rating import accounts
        self.conf.set_override('grace_period', 0, 'billing_enforcement')
        self.rate_hour(0)
        self.assertEqual(2, len(self.nova.app.actions()))
        # Frozen while owed, recharged while frozen (it stays frozen), then
        # unfrozen: active again, without a billing.account.restored.
        accounts.AccountService().update('acme', {'frozen': True})
        self.svc.recharge('acme', '10')
        accounts.AccountService().update('acme', {'frozen': False})
        self.assertEqual(('active', D('8.98')), (
            self.db.get_account('acme')['status'], self.balance()))
        self.assertEqual(2, len(self.nova.app.actions()))
        self.rate_hour(1)
        self.assertEqual([('os-stop', 'vm-1'), ('os-stop', 'vm-2'),
                          ('os-start', 'vm-1'), ('os-start', 'vm-2')],
                         self.nova.app.actions())

    def test_disabled_does_nothing(self):
        self.conf.set_override('enabled', False, 'billing_enforcement')
        self.conf.set_override('grace_period', 0, 'billing_enforcement')
        self.rate_hour(0)
        self.assertEqual('owed', self.db.get_account('acme')['status'])
        self.assertEqual([], self.actions())
        self.assertEqual([], self.nova.app.requests)

    def test_nova_down_fails_the_step_not_the_posting(self):
        self.conf.set_override('grace_period', 0, 'billing_enforcement')
        self.conf.set_override('endpoint_override',
                               'http://127.0.0.1:9/v2.1',
                               'billing_enforcement')
        self.conf.set_override('timeout', 2, 'billing_enforcement')
        self.rate_hour(0)
        self.assertEqual(D('-1.02'), self.balance())
        # Warned (no Nova needed), nothing recorded as stopped.
        self.assertEqual([('warn', None, False)], self.actions())
        self.assertIn('project acme: could not list the servers of project '
                      'acme: Unable to find a version discovery document '
                      'at http://127.0.0.1:9/v2.1', self.log.output)


class TestDryRun(LadderTestCase):

    dry_run = True

    def test_records_what_it_would_do_and_does_nothing(self):
        self.rate_hour(0)
        self.rate_hour(1)
        self.rate_hour(2)
        self.rate_hour(3)
        self.assertEqual([('warn', None, True), ('stop', 'vm-1', True),
                          ('stop', 'vm-2', True)], self.actions())
        self.svc.recharge('acme', '20')
        self.assertEqual([('warn', None, True), ('stop', 'vm-1', True),
                          ('stop', 'vm-2', True), ('start', 'vm-1', True),
                          ('start', 'vm-2', True)], self.actions())
        # Nova was listed, never asked to act; nothing was notified.
        self.assertEqual([], self.nova.app.actions())
        self.assertEqual({'vm-1': 'ACTIVE', 'vm-2': 'ACTIVE',
                          'vm-3': 'ACTIVE', 'vm-4': 'SHUTOFF',
                          'vm-9': 'ACTIVE'}, self.nova.app.statuses())
        self.assertEqual([], self.enforcement_events())
        self.assertIn('dry run: project acme: would stop vm-1',
                      self.log.output)
