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
"""Retried and parallel money requests through a served CloudKitty API.

A real cloudkitty API process (api_server.py, each request in a thread of
its own) on MariaDB and PostgreSQL: 20 parallel renewals of one intent
(the same term_end; all with one key, or without keys) renew the order
once, 20 parallel purchases with one key buy once. On a SQLite file,
concurrent writers are answered as on the servers (201, 402), never 500.
"""

from concurrent import futures
import json
import threading
import urllib.error
import urllib.request

from testtools import content

from uos_billing.core import ledger
from uos_billing.tests import base
from uos_billing.tests.functional import api_server
from uos_billing.tests import samples

D = samples.D
BASE = '/v1/rating/module_config/billing'
PARALLEL = 20


class Answer(object):

    def __init__(self, status, body):
        self.status = status
        self.json = json.loads(body) if body else None

    def __repr__(self):
        return '<%d %s>' % (self.status, self.json)


class ServedAPITestCase(base.DBTestCase):

    def setUp(self):
        super().setUp()
        self.api = self.useFixture(api_server.CloudKittyAPI(
            database_url=(self.database.url if self.backend != 'sqlite'
                          else None),
            threaded=True))
        self.addOnException(lambda exc_info: self.addDetailUniqueName(
            'cloudkitty-api.log', content.text_content(self.api.log_tail())))

    def call(self, method, path, body=None):
        request = urllib.request.Request(
            self.api.endpoint + BASE + path, method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={'Content-Type': 'application/json'})
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                return Answer(answer.status, answer.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read())

    def ok(self, method, path, body=None, status=200):
        answer = self.call(method, path, body)
        self.assertEqual(status, answer.status, answer.json)
        return answer.json

    def at_once(self, requests):
        """Send (method, path, body) requests all at once; the answers."""
        start = threading.Barrier(len(requests))

        def send(request):
            start.wait(timeout=60)
            return self.call(*request)
        with futures.ThreadPoolExecutor(max_workers=len(requests)) as pool:
            return list(pool.map(send, requests))

    def ledger(self, project):
        return self.ok('GET', '/accounts/%s/transactions' % project)[
            'transactions']

    def assert_books_balance(self, project):
        entries = self.ledger(project)
        balance = D(self.ok('GET', '/accounts/' + project)['balance'])
        self.assertEqual(balance, sum(D(e['amount']) for e in entries))
        self.assertEqual(balance, D(entries[-1]['balance_after']))
        return balance, entries


class TestParallelRetries(ServedAPITestCase):

    scenarios = [(name, {'backend': name})
                 for name in ('mysql', 'postgresql')]

    def setUp(self):
        super().setUp()
        self.product = self.ok('POST', '/products', {
            'name': 'm1.small', 'service': 'instance',
            'on_demand_price': '0.02', 'monthly_price': '10',
            'effective_from': '2026-01-01T00:00:00Z'}, status=201)
        self.ok('POST', '/accounts/acme/recharge', {'amount': '100'},
                status=201)

    def buy_body(self, key=None):
        body = {'project_id': 'acme', 'resource_id': 'vm-1',
                'service': 'instance', 'product_id': self.product['id'],
                'mode': 'monthly', 'count': 1}
        if key is not None:
            body['idempotency_key'] = key
        return body

    def payments(self, order_id):
        return [e for e in self.ledger('acme')
                if e['kind'] == ledger.ORDER_PAYMENT
                and e['order_id'] == order_id]

    def renew_at_once(self, key):
        order = self.ok('POST', '/orders', self.buy_body(), status=201)
        body = {'term_end': order['term_end']}
        if key is not None:
            body['idempotency_key'] = key
        answers = self.at_once([('POST', '/orders/%s/renew' % order['id'],
                                 body)] * PARALLEL)
        renewed = self.ok('GET', '/orders/' + order['id'])
        # One renewal: the term moved once, one more payment, 10 paid.
        self.assertEqual(1, renewed['renewals'])
        self.assertEqual(2, len(self.payments(order['id'])))
        self.assertEqual(renewed['term_end'],
                         self.payments(order['id'])[-1]['period_end'])
        balance, _entries = self.assert_books_balance('acme')
        self.assertEqual(D('80'), balance)
        return answers, renewed

    def test_parallel_renewals_with_one_key_renew_once(self):
        answers, renewed = self.renew_at_once('renew-once')
        # Every one is answered the first result.
        self.assertEqual([200] * PARALLEL, [a.status for a in answers])
        self.assertEqual([renewed] * PARALLEL, [a.json for a in answers])

    def test_parallel_renewals_of_one_term_end_renew_once(self):
        answers, renewed = self.renew_at_once(None)
        statuses = sorted(a.status for a in answers)
        self.assertEqual([200] + [409] * (PARALLEL - 1), statuses)
        for answer in answers:
            if answer.status == 409:
                self.assertIn('which ends at %s' % renewed['term_end'],
                              answer.json['error']['message'])

    def test_parallel_purchases_with_one_key_buy_once(self):
        answers = self.at_once([('POST', '/orders',
                                 self.buy_body('buy-once'))] * PARALLEL)
        statuses = sorted(a.status for a in answers)
        self.assertEqual([200] * (PARALLEL - 1) + [201], statuses)
        self.assertEqual(1, len({a.json['id'] for a in answers}))
        orders = self.ok('GET', '/orders?project_id=acme&mode=monthly')[
            'orders']
        self.assertEqual([answers[0].json['id']], [o['id'] for o in orders])
        self.assertEqual(1, len(self.payments(orders[0]['id'])))
        balance, _entries = self.assert_books_balance('acme')
        self.assertEqual(D('90'), balance)


class TestSQLiteWriters(ServedAPITestCase):
    """SQLite takes one writer at a time: the others wait their turn."""

    scenarios = [('sqlite', {'backend': 'sqlite'})]

    def test_concurrent_writers_get_no_server_error(self):
        product = self.ok('POST', '/products', {
            'name': 'm1.small', 'service': 'instance',
            'on_demand_price': '0.02', 'monthly_price': '30',
            'effective_from': '2026-01-01T00:00:00Z'}, status=201)
        self.ok('POST', '/accounts/acme/recharge', {'amount': '50'},
                status=201)
        recharges = [('POST', '/accounts/acme/recharge',
                      {'amount': '10', 'idempotency_key': 'r-%02d' % i})
                     for i in range(PARALLEL // 2)]
        purchases = [('POST', '/orders', {
            'project_id': 'acme', 'resource_id': 'vm-%02d' % i,
            'service': 'instance', 'product_id': product['id'],
            'mode': 'monthly', 'count': 1}) for i in range(PARALLEL // 2)]
        answers = self.at_once(recharges + purchases)
        statuses = [a.status for a in answers]
        self.assertEqual([201] * len(recharges), statuses[:len(recharges)],
                         answers)
        self.assertEqual(set(), set(statuses[len(recharges):]) - {201, 402},
                         answers)
        balance, entries = self.assert_books_balance('acme')
        bought = statuses.count(201) - len(recharges)
        self.assertGreaterEqual(bought, 1)
        self.assertEqual(D('50') + 10 * len(recharges) - 30 * bought,
                         balance)
        self.assertEqual(1 + len(recharges) + bought, len(entries))
