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
"""The real ``openstack rating`` commands against a real CloudKitty API.

A CloudKitty API process (CloudKitty's own WSGI application with the
``billing`` module and its API, SQLite file, no auth) runs on loopback;
each test drives it with the ``openstack`` command of the virtualenv,
as a user would, and checks the figures. The API's clock is set for the
purchase and the cancellation (see api_server.py), so the refund and the
statement are exact.
"""

import decimal
import importlib.util
import json
import os
import subprocess
import urllib.request

from oslotest import base
from testtools import content

from uos_billing.tests.functional import api_server

D = decimal.Decimal
BASE = '/v1/rating/module_config/billing'
PROJECT = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
POOR_PROJECT = 'b2c3d4e5f60718293a4b5c6d7e8f90a1'


def billing_api_missing():
    """Why the billing API cannot be tested yet, or None.

    The check: the module uos_billing.rating.api.root exists and the billing
    rating module mounts a config_controller (its API).
    """
    if importlib.util.find_spec('uos_billing.rating.api.root') is None:
        return ('the billing API has no controllers yet '
                '(uos_billing.rating.api.root)')
    from uos_billing import rating
    if rating.BillingRating.config_controller is None:
        return ('the billing rating module mounts no API yet '
                '(BillingRating.config_controller is None)')
    return None


class CLITestCase(base.BaseTestCase):

    def setUp(self):
        super().setUp()
        missing = billing_api_missing()
        if missing:
            self.skipTest(missing)
        self.api = self.useFixture(api_server.CloudKittyAPI())
        self.addOnException(self.api_log)
        # Other OS_* settings of the caller must not change the commands.
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith('OS_')}

    def api_log(self, exc_info):
        self.addDetailUniqueName('cloudkitty-api.log',
                                 content.text_content(self.api.log_tail()))

    def openstack(self, *args, status=0):
        """Run ``openstack rating <args>``; the finished process."""
        argv = [api_server.bin_path('openstack'),
                '--os-auth-type', 'cloudkitty-noauth',
                '--os-endpoint', self.api.endpoint,
                '--rating-api-version', '1',
                'rating'] + list(args)
        done = subprocess.run(argv, capture_output=True, text=True,
                              timeout=120, env=self.env)
        self.assertEqual(status, done.returncode,
                         'openstack rating %s: %s%s' % (
                             ' '.join(args), done.stdout, done.stderr))
        if status == 0:
            self.assertEqual('', done.stderr)
        return done

    def json(self, *args):
        return json.loads(self.openstack(*(args + ('-f', 'json'))).stdout)

    def value(self, *args):
        return self.openstack(*(args + ('-f', 'value'))).stdout.rstrip('\n')

    def refused(self, status, *args):
        """The one line a refused command prints."""
        done = self.openstack(*args, status=1)
        self.assertEqual('', done.stdout)
        self.assertNotIn('Traceback', done.stderr)
        lines = done.stderr.splitlines()
        self.assertEqual(1, len(lines), done.stderr)
        self.assertTrue(lines[0].endswith('(HTTP %d)' % status), lines[0])
        return lines[0]

    def raw(self, method, path, body=None):
        """The API's own answer, straight over HTTP."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.api.endpoint + BASE + path, data=data, method=method,
            headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read() or b'null')

    def create_products(self):
        small = self.json(
            'product', 'create', 'm1.small', '--service', 'instance',
            '--match', 'flavor_name=m1.small', '--unit', 'hour',
            '--on-demand-price', '0.02', '--monthly-price', '10.00',
            '--currency', 'EUR', '--effective-from', '2026-11-01',
            '--description', 'Small instance')
        large = self.json(
            'product', 'create', 'm1.large', '--service', 'instance',
            '--match', 'flavor_name=m1.large', '--unit', 'hour',
            '--on-demand-price', '0.08', '--monthly-price', '40',
            '--yearly-price', '400', '--currency', 'EUR',
            '--effective-from', '2026-11-01')
        return small, large


class TestCLICycle(CLITestCase):

    def test_full_cycle(self):
        self.api.set_now('2026-11-01T00:00:00+00:00')
        self.openstack('module', 'enable', 'billing')
        self.assertIn({'Module': 'billing', 'Enabled': True, 'Priority': 1},
                      self.json('module', 'list'))

        # Products.
        small, large = self.create_products()
        self.assertEqual(
            ('m1.small', 'instance', '*', {'flavor_name': 'm1.small'},
             'hour', 'EUR', '2026-11-01T00:00:00+00:00', None,
             'Small instance'),
            (small['Name'], small['Service'], small['Region'],
             small['Match'], small['Unit'], small['Currency'],
             small['Effective From'], small['Effective To'],
             small['Description']))
        self.assertEqual((D('0.02'), D('10.00'), None),
                         (D(small['On Demand Price']),
                          D(small['Monthly Price']), small['Yearly Price']))
        self.assertEqual((D('0.08'), D('40'), D('400')),
                         (D(large['On Demand Price']),
                          D(large['Monthly Price']),
                          D(large['Yearly Price'])))
        listed = self.json('product', 'list', '--service', 'instance')
        self.assertEqual(['m1.large', 'm1.small'],
                         sorted(p['Name'] for p in listed))
        # Money is printed as the API's strings, unchanged.
        raw = {p['id']: p for p in self.raw('GET', '/products')['products']}
        for product in listed:
            for heading, key in (('On Demand Price', 'on_demand_price'),
                                 ('Monthly Price', 'monthly_price'),
                                 ('Yearly Price', 'yearly_price')):
                self.assertEqual(raw[product['ID']][key], product[heading])
        self.assertEqual(small, self.json('product', 'show', small['ID']))
        self.assertEqual([], self.json('product', 'list', '--service',
                                       'volume.size'))

        # A recharge, sent twice with its idempotency key: credited once.
        entry = self.json('account', 'recharge', PROJECT,
                          '--amount', '100.00', '--note', 'bank transfer',
                          '--idempotency-key', 'pay-0042')
        self.assertEqual(('recharge', D('100'), D('100'), 'bank transfer'),
                         (entry['Kind'], D(entry['Amount']),
                          D(entry['Balance After']), entry['Note']))
        again = self.json('account', 'recharge', PROJECT,
                          '--amount', '100.00', '--note', 'bank transfer',
                          '--idempotency-key', 'pay-0042')
        self.assertEqual(entry['ID'], again['ID'])
        account = self.json('account', 'show', PROJECT)
        self.assertEqual(('EUR', D('100'), 'active'),
                         (account['Currency'], D(account['Balance']),
                          account['Status']))

        # A monthly term bought on the 15th: 10.00 paid at once.
        self.api.set_now('2026-11-15T00:00:00+00:00')
        order = self.json('order', 'create', '--project', PROJECT,
                          '--resource-id', 'vm-1', '--service', 'instance',
                          '--product', small['ID'], '--mode', 'monthly')
        self.assertEqual(
            (PROJECT, 'vm-1', 'instance', small['ID'], 'monthly', 'active',
             '2026-11-15T00:00:00+00:00', '2026-12-15T00:00:00+00:00', 1,
             False),
            (order['Project ID'], order['Resource ID'], order['Service'],
             order['Product ID'], order['Mode'], order['Status'],
             order['Term Start'], order['Term End'], order['Count'],
             order['Auto Renew']))
        self.assertEqual(D('10'), D(order['Unit Price']))
        balance = self.value('account', 'show', PROJECT, '-c', 'Balance')
        self.assertEqual(D('90'), D(balance))
        self.assertEqual(
            self.raw('GET', '/accounts/' + PROJECT)['balance'], balance)

        orders = self.json('order', 'list', '--project', PROJECT)
        self.assertEqual([order['ID']], [o['ID'] for o in orders])
        self.assertEqual(order['Unit Price'], orders[0]['Unit Price'])
        self.assertEqual([], self.json('order', 'list', '--project', PROJECT,
                                       '--status', 'cancelled'))
        self.assertEqual(order, self.json('order', 'show', order['ID']))

        # Cancelled on the 21st: 24 of the 30 days are refunded, 8.00.
        self.api.set_now('2026-11-21T00:00:00+00:00')
        cancelled = self.json('order', 'cancel', order['ID'])
        self.assertEqual('cancelled', cancelled['Status'])
        self.assertEqual(D('8'), D(cancelled['Refund']))
        self.assertIn(order['ID'],
                      self.refused(409, 'order', 'cancel', order['ID']))
        self.assertEqual(
            ['cancelled'],
            self.value('order', 'list', '--project', PROJECT,
                       '-c', 'Status').split('\n'))

        # The ledger and the statement of November.
        entries = self.json('transaction', 'list', PROJECT)
        self.assertEqual(
            [('recharge', D('100'), D('100'), None),
             ('order_payment', D('-10'), D('90'), order['ID']),
             ('refund', D('8'), D('98'), order['ID'])],
            [(e['Kind'], D(e['Amount']), D(e['Balance After']),
              e['Order ID']) for e in entries])
        self.assertEqual(
            ['refund'], [e['Kind'] for e in self.json(
                'transaction', 'list', PROJECT, '--kind', 'refund')])
        self.assertEqual({
            'Project ID': PROJECT,
            'Month': '2026-11',
            'Currency': 'EUR',
            'Opening Balance': '0.00',
            'Recharges': '100.00',
            'Charges': {},
            'Charges Total': '0.00',
            'Order Payments': '10.00',
            'Refunds': '8.00',
            'Adjustments': '0.00',
            'Closing Balance': '98.00',
        }, self.json('account', 'statement', PROJECT, '--month', '2026-11'))
        self.assertEqual(D('98'), D(self.value('account', 'show', PROJECT,
                                               '-c', 'Balance')))

    def test_errors_are_one_line(self):
        self.assertIn('nope', self.refused(404, 'product', 'show', 'nope'))
        self.assertIn('amount', self.refused(
            400, 'account', 'recharge', PROJECT, '--amount', '-5'))
        small, _ = self.create_products()
        # No money on the account: the purchase says what is missing.
        self.refused(402, 'order', 'create', '--project', POOR_PROJECT,
                     '--resource-id', 'vm-2', '--service', 'instance',
                     '--product', small['ID'], '--mode', 'monthly')
        self.assertEqual([], self.json('order', 'list', '--project',
                                       POOR_PROJECT))
        # A bad command line never reaches the API.
        done = self.openstack('account', 'recharge', PROJECT, status=2)
        self.assertIn('the following arguments are required: --amount',
                      done.stderr)


class TestCLIQuote(CLITestCase):

    def test_quote(self):
        small, large = self.create_products()
        quote = self.json(
            'billing', 'quote',
            '--item', 'service=instance,qty=720,flavor_name=m1.small',
            '--item', 'service=instance,qty=1,flavor_name=m1.large,'
            'mode=monthly,count=3')
        self.assertEqual('EUR', quote['Currency'])
        self.assertEqual(D('134.40'), D(quote['Total']))
        self.assertEqual(
            [('on_demand', small['ID'], D('0.02'), D('14.40')),
             ('monthly', large['ID'], D('40'), D('120'))],
            [(line['mode'], line['product_id'], D(line['unit_price']),
              D(line['amount'])) for line in quote['Lines']])


class TestCLIPaging(CLITestCase):

    def test_lists_follow_the_pages(self):
        # 102 products, more than the API's page of 100.
        for i in range(102):
            self.raw('POST', '/products', {
                'name': 'p%03d' % i, 'service': 'instance',
                'match': {'flavor_name': 'f%03d' % i},
                'on_demand_price': '0.01', 'currency': 'EUR'})
        ids = self.value('product', 'list', '-c', 'ID').split('\n')
        self.assertEqual(102, len(set(ids)))
        self.assertEqual(ids[:101], self.value(
            'product', 'list', '--limit', '101', '-c', 'ID').split('\n'))
        self.assertEqual(ids[100:], self.value(
            'product', 'list', '--marker', ids[99], '-c', 'ID').split('\n'))
