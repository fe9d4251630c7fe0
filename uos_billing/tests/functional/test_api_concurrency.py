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
"""50 parallel purchases, recharges and cancellations on one account.

Through the served API, on MariaDB and PostgreSQL: whatever the
interleaving, balance == sum(ledger) == the last balance_after, no entry
ever takes the balance under -credit_limit (0 here: no purchase went
through that the funds did not cover), and every answer is 200, 201 or
402.
"""

from concurrent import futures

from uos_billing.tests import samples
from uos_billing.tests.unit.rating.api import base

D = samples.D
PURCHASES = 20
RECHARGES = 15
CANCELS = 15


class TestParallelRequests(base.APITestCase):

    scenarios = [(name, {'backend': name})
                 for name in ('mysql', 'postgresql')]

    def setUp(self):
        super().setUp()
        self.product = self.ok('POST', '/products', {
            'name': 'm1.small', 'service': 'instance',
            'on_demand_price': '0.02', 'monthly_price': '30',
            'effective_from': '2026-01-01T00:00:00Z'}, status=201)
        self.ok('POST', '/accounts/acme/recharge', {'amount': '750'},
                status=201)
        # Orders to cancel in the race: 15 x 30 = 450 of the 750 paid.
        self.bought = [self.buy('vm-old-%02d' % i).json['id']
                       for i in range(CANCELS)]

    def buy(self, vm):
        return self.call('POST', '/orders', {
            'project_id': 'acme', 'resource_id': vm, 'service': 'instance',
            'product_id': self.product['id'], 'mode': 'monthly',
            'count': 1})

    def test_fifty_requests_at_once(self):
        requests = (
            [(self.buy, 'vm-new-%02d' % i) for i in range(PURCHASES)] +
            [(lambda key: self.call('POST', '/accounts/acme/recharge', {
                'amount': '10', 'idempotency_key': key}), 'r-%02d' % i)
             for i in range(RECHARGES)] +
            [(lambda order: self.call('POST', '/orders/%s/cancel' % order),
              order) for order in self.bought])
        with futures.ThreadPoolExecutor(max_workers=50) as pool:
            answers = list(pool.map(lambda job: job[0](job[1]), requests))
        statuses = [a.status for a in answers]
        self.assertEqual(set(), set(statuses) - {200, 201, 402}, statuses)
        self.assertEqual([201] * RECHARGES,
                         statuses[PURCHASES:PURCHASES + RECHARGES])
        self.assertEqual([200] * CANCELS, statuses[PURCHASES + RECHARGES:])

        entries = self.db.list_ledger('acme')
        account = self.db.get_account('acme')
        self.assertEqual(account['balance'],
                         sum(e['amount'] for e in entries))
        self.assertEqual(account['balance'], entries[-1]['balance_after'])
        self.assertEqual([], [e for e in entries if e['balance_after'] < 0])
        bought = statuses[:PURCHASES].count(201)
        refunds = [e['amount'] for e in entries if e['kind'] == 'refund']
        self.assertEqual(CANCELS, len(refunds))
        self.assertEqual(
            D('750') - 30 * (CANCELS + bought) + 10 * RECHARGES +
            sum(refunds), account['balance'])
        # The 300 left before the race pay for 10 whatever the order; the
        # recharges and refunds may come before or after the others.
        self.assertGreaterEqual(bought, 10)
        for answer in answers[:PURCHASES]:
            if answer.status == 402:
                self.assertIn('missing', answer.json['error'])
