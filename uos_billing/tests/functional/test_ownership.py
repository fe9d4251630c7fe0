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
"""Whose project, whose VM: against a real Keystone and a real Gnocchi.

A Keystone (keystone_fixture) with projects A and B and a member each, a
Gnocchi (gnocchi_fixture) with A's running VM, A's deleted VM and B's
VM on its ``instance`` type, and CloudKitty's API (api_server) behind
keystonemiddleware, with [billing] project_source = keystone and
resource_owner_source = gnocchi, the [billing_enforcement] credentials
and [collector_gnocchi] of a real deployment, and the shipped
etc/cloudkitty/metrics.yml. Members buy with their own tokens.

TestDependenciesStopped stops Gnocchi, then Keystone, under an API of its
own (no auth: Keystone is stopped there) and sees 503s that write
nothing.
"""

import decimal
import json
import os
import urllib.error
from urllib import parse
import urllib.request
import uuid

from oslotest import base

from uos_billing.tests.functional import api_server
from uos_billing.tests.functional import gnocchi_fixture
from uos_billing.tests.functional import keystone_fixture

BASE = '/v1/rating/module_config/billing'
METRICS = os.path.join(gnocchi_fixture.REPO, 'etc', 'cloudkitty',
                       'metrics.yml')
STARTED = '2026-11-01T00:00:00+00:00'
ENDED = '2026-11-10T08:00:00+00:00'


def services_conf(keystone, gnocchi):
    """What a deployment's cloudkitty.conf says of Keystone and Gnocchi."""
    return '\n'.join([
        keystone.credentials('keystone_authtoken').replace(
            '[keystone_authtoken]\n', '[keystone_authtoken]\n'
            'www_authenticate_uri = %s\n' % keystone.auth_url),
        keystone.credentials('billing_enforcement'),
        '[collector_gnocchi]\n'
        'gnocchi_auth_type = basic\n'
        'gnocchi_user = admin\n'
        'gnocchi_endpoint = %s\n' % gnocchi.endpoint,
        '[collect]\n'
        'metrics_conf = %s\n' % METRICS,
    ])


def add_vm(client, vm_id, project_id, ended_at=None):
    attributes = {
        'id': vm_id, 'project_id': project_id, 'started_at': STARTED,
        'display_name': 'vm', 'flavor_id': 'small-id',
        'flavor_name': 'm1.small', 'host': 'cn1', 'image_ref': 'img'}
    if ended_at:
        attributes['ended_at'] = ended_at
    client.resource.create('instance', attributes)


class Answer(object):

    def __init__(self, status, body):
        self.status = status
        self.json = json.loads(body) if body else None

    def __repr__(self):
        return '<%d %s>' % (self.status, self.json)


def call(api, method, path, body=None, token=None, project=None):
    headers = {'Content-Type': 'application/json'}
    if token:
        headers['X-Auth-Token'] = token
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(api.endpoint + BASE + path, data=data,
                                     method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return Answer(answer.status, answer.read())
    except urllib.error.HTTPError as e:
        return Answer(e.code, e.read())


class StackCase(base.BaseTestCase):

    def ok(self, method, path, body=None, status=200, **kwargs):
        answer = call(self.api, method, path, body, **kwargs)
        self.assertEqual(status, answer.status, answer)
        return answer.json


class TestOwnership(StackCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.keystone = keystone_fixture.Keystone()
        cls.keystone.setUp()
        cls.gnocchi = gnocchi_fixture.Gnocchi()
        try:
            cls.gnocchi.setUp()
            cls._populate()
            cls.api = api_server.CloudKittyAPI(
                services_conf(cls.keystone, cls.gnocchi),
                project_source='keystone', resource_owner_source='gnocchi',
                auth_strategy='keystone')
            cls.api.setUp()
        except Exception:
            cls.gnocchi.cleanUp()
            cls.keystone.cleanUp()
            raise

    @classmethod
    def _populate(cls):
        keystone = cls.keystone
        cls.project_a, _ = keystone.member('billing-a', 'alice', 'pw-a')
        cls.project_b, _ = keystone.member('billing-b', 'bob', 'pw-b')
        cls.a = keystone.session('alice', 'pw-a', 'billing-a').get_token()
        cls.b = keystone.session('bob', 'pw-b', 'billing-b').get_token()
        cls.admin = keystone.admin_session().get_token()
        client = cls.gnocchi.client
        client.resource_type.create(gnocchi_fixture.INSTANCE_TYPE)
        cls.vm_a = str(uuid.uuid4())
        cls.vm_a_ended = str(uuid.uuid4())
        cls.vm_b = str(uuid.uuid4())
        add_vm(client, cls.vm_a, cls.project_a.id)
        add_vm(client, cls.vm_a_ended, cls.project_a.id, ended_at=ENDED)
        add_vm(client, cls.vm_b, cls.project_b.id)

    @classmethod
    def tearDownClass(cls):
        cls.api.cleanUp()
        cls.gnocchi.cleanUp()
        cls.keystone.cleanUp()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.product = self.ok('POST', '/products', {
            'name': 'm1.small %s' % uuid.uuid4().hex[:8],
            'service': 'instance',
            'match': {'flavor_name': 'm1.small-%s' % uuid.uuid4().hex[:8]},
            'on_demand_price': '0.02', 'monthly_price': '500.00',
            'effective_from': '2026-01-01T00:00:00Z'}, status=201,
            token=self.admin)

    def balance(self, project):
        answer = call(self.api, 'GET', '/accounts/%s' % project.id,
                      token=self.admin)
        return answer.json['balance'] if answer.status == 200 else None

    def recharge(self, project, amount='1000.00'):
        return self.ok('POST', '/accounts/%s/recharge' % project.id,
                       {'amount': amount}, status=201, token=self.admin)

    def buy(self, resource_id, token, **extra):
        return call(self.api, 'POST', '/orders', dict({
            'resource_id': resource_id, 'service': 'instance',
            'product_id': self.product['id'], 'mode': 'monthly',
            'count': 1}, **extra), token=token)

    def orders_of(self, resource_id):
        return self.ok('GET', '/orders?resource_id=%s' % resource_id,
                       token=self.admin)['orders']

    def test_the_owner_buys_its_own_vm(self):
        before = self.recharge(self.project_a)['balance_after']
        answer = self.buy(self.vm_a, self.a)
        self.assertEqual(201, answer.status, answer)
        self.assertEqual(self.project_a.id, answer.json['project_id'])
        self.assertEqual(decimal.Decimal(before) - 500,
                         decimal.Decimal(self.balance(self.project_a)))
        cancel = call(self.api, 'POST', '/orders/%s/cancel' %
                      answer.json['id'], token=self.a)
        self.assertEqual(200, cancel.status, cancel)

    def test_b_cannot_buy_as_vm(self):
        self.recharge(self.project_b)
        before = self.balance(self.project_b)
        answer = self.buy(self.vm_a, self.b)
        self.assertEqual(404, answer.status, answer)
        self.assertEqual(
            'resource %s not found: project %s has no instance resource '
            'with this id' % (self.vm_a, self.project_b.id),
            answer.json['error']['message'])
        self.assertEqual(before, self.balance(self.project_b))
        self.assertEqual([], [o for o in self.orders_of(self.vm_a)
                              if o['project_id'] == self.project_b.id])

    def test_an_admin_buys_for_the_vms_project_only(self):
        self.recharge(self.project_b)
        before = self.balance(self.project_b)
        answer = self.buy(self.vm_a, self.admin,
                          project_id=self.project_b.id)
        self.assertEqual(404, answer.status, answer)
        self.assertEqual(before, self.balance(self.project_b))

    def test_a_random_uuid_is_not_found(self):
        self.recharge(self.project_a)
        before = self.balance(self.project_a)
        nobody = str(uuid.uuid4())
        answer = self.buy(nobody, self.a)
        self.assertEqual(404, answer.status, answer)
        self.assertEqual(before, self.balance(self.project_a))
        self.assertEqual([], self.orders_of(nobody))

    def test_a_blank_resource_id_is_400(self):
        answer = self.buy('   ', self.a)
        self.assertEqual(400, answer.status, answer)
        self.assertEqual('resource_id', answer.json['error']['field'])

    def test_an_ended_vm_is_a_conflict(self):
        self.recharge(self.project_a)
        before = self.balance(self.project_a)
        answer = self.buy(self.vm_a_ended, self.a)
        self.assertEqual(409, answer.status, answer)
        self.assertIn('ended at 2026-11-10T08:00:00',
                      answer.json['error']['message'])
        self.assertEqual(before, self.balance(self.project_a))

    def test_recharges_reach_keystones_projects_only(self):
        entry = self.recharge(self.project_b, '1.00')
        self.assertEqual(self.project_b.id, entry['project_id'])
        unknown = uuid.uuid4().hex
        answer = call(self.api, 'POST', '/accounts/%s/recharge' % unknown,
                      {'amount': '1'}, token=self.admin)
        self.assertEqual(404, answer.status, answer)
        self.assertEqual('project %s not found in Keystone' % unknown,
                         answer.json['error']['message'])
        # Keystone on SQLite compares ids with their case: another
        # spelling is another (unknown) project, not a second account.
        answer = call(self.api, 'POST', '/accounts/%s/recharge' %
                      self.project_b.id.upper(), {'amount': '1'},
                      token=self.admin)
        self.assertEqual(404, answer.status, answer)
        answer = call(self.api, 'POST', '/accounts/%s/recharge' %
                      parse.quote("1' OR '1'='1", safe=''), {'amount': '1'},
                      token=self.admin)
        self.assertEqual(400, answer.status, answer)
        self.assertEqual('project_id', answer.json['error']['field'])
        accounts = [a['project_id'] for a in self.ok(
            'GET', '/accounts', token=self.admin)['accounts']]
        self.assertNotIn(unknown, accounts)
        self.assertNotIn(self.project_b.id.upper(), accounts)
        self.assertNotIn("1' OR '1'='1", accounts)


class TestDependenciesStopped(StackCase):

    def setUp(self):
        super().setUp()
        self.keystone = self.useFixture(keystone_fixture.Keystone())
        self.gnocchi = self.useFixture(gnocchi_fixture.Gnocchi())
        self.project, _ = self.keystone.member('billing-c', 'carol', 'pw')
        self.gnocchi.client.resource_type.create(
            gnocchi_fixture.INSTANCE_TYPE)
        self.vm = str(uuid.uuid4())
        add_vm(self.gnocchi.client, self.vm, self.project.id)
        # No auth in front of the API: Keystone is stopped below.
        self.api = self.useFixture(api_server.CloudKittyAPI(
            services_conf(self.keystone, self.gnocchi),
            project_source='keystone', resource_owner_source='gnocchi'))
        self.product = self.ok('POST', '/products', {
            'name': 'm1.small', 'service': 'instance',
            'on_demand_price': '0.02', 'monthly_price': '100.00',
            'effective_from': '2026-01-01T00:00:00Z'}, status=201)

    def buy(self):
        return call(self.api, 'POST', '/orders', {
            'project_id': self.project.id, 'resource_id': self.vm,
            'service': 'instance', 'product_id': self.product['id'],
            'mode': 'monthly', 'count': 1})

    def ledger(self):
        return self.ok('GET', '/accounts/%s/transactions' %
                       self.project.id)['transactions']

    def test_gnocchi_then_keystone_stopped(self):
        self.ok('POST', '/accounts/%s/recharge' % self.project.id,
                {'amount': '250.00'}, status=201)
        self.assertEqual(201, self.buy().status)
        written = self.ledger()

        self.gnocchi._stop(self.gnocchi.api)
        answer = self.buy()
        self.assertEqual(503, answer.status, answer)
        message = answer.json['error']['message']
        self.assertTrue(message.startswith(
            'cannot check resource %s in Gnocchi: ' % self.vm), message)
        self.assertTrue(message.endswith('; nothing was bought'), message)
        self.assertEqual(written, self.ledger())

        self.keystone.stop()
        answer = call(self.api, 'POST', '/accounts/%s/recharge' %
                      self.project.id, {'amount': '1'})
        self.assertEqual(503, answer.status, answer)
        self.assertTrue(answer.json['error']['message'].startswith(
            'cannot check project %s against Keystone: ' % self.project.id))
        self.assertEqual(written, self.ledger())
        self.assertEqual('150.0000000000', self.ok(
            'GET', '/accounts/%s' % self.project.id)['balance'])
