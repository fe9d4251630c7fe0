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
"""Projects are looked up in Keystone before the API opens an account.

Through the served API, with keystoneauth and the project lookup at
their HTTP boundary: a Keystone stand-in on 127.0.0.1
(uos_billing.tests.keystone_standin) that authenticates the
[billing_enforcement] user and answers GET /v3/projects/{id}.
"""

from urllib import parse

from keystoneauth1 import loading as ks_loading

from uos_billing.core import identifiers
from uos_billing.tests import base as tests_base
from uos_billing.tests import keystone_standin
from uos_billing.tests.unit.rating.api import base

KNOWN = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
GROUP = 'billing_enforcement'


def recharge_path(project_id):
    return '/accounts/%s/recharge' % parse.quote(project_id, safe='')


class TestIdentifiers(tests_base.TestCase):

    def test_keystone_ids_pass(self):
        for value in (KNOWN, 'default', 'acme-1', 'a' * 64, 'A.b_c-d'):
            self.assertEqual(value, identifiers.check_project_id(value))

    def test_what_cannot_be_a_keystone_id_is_refused(self):
        for value in ("1' OR '1'='1", 'a' * 65, '', 'a\x00b', 'a\x1b[31m',
                      'a b', 'a/b', '\U0001F600', None, 12):
            e = self.assertRaises(ValueError, identifiers.check_project_id,
                                  value)
            self.assertEqual('project_id', e.field)
            self.assertIn('not a Keystone project id', str(e))

    def test_blank_resource_ids_are_refused(self):
        for value in ('', '   ', '\t\n', None):
            e = self.assertRaises(ValueError, identifiers.check_resource_id,
                                  value)
            self.assertEqual('resource_id', e.field)
            self.assertEqual('resource_id: must not be empty or blank',
                             str(e))
        e = self.assertRaises(ValueError, identifiers.check_resource_id,
                              'v' * 256)
        self.assertEqual('resource_id: at most 255 characters', str(e))
        self.assertEqual(' vm-1', identifiers.check_resource_id(' vm-1'))


class KeystoneProjectsCase(base.APITestCase):
    """The billing API with [billing] project_source = keystone."""

    credentials = True

    def configure(self):
        self.keystone = self.useFixture(keystone_standin.KeystoneStandIn())
        self.keystone.app.add(KNOWN)
        self.conf.set_override('project_source', 'keystone', 'billing')
        # The password plugin's options, as keystoneauth registers them
        # when it loads the plugin from the group; through the fixture, so
        # that they are unregistered afterwards (they are required ones).
        self.config_fixture.register_opts(
            ks_loading.get_auth_plugin_conf_options('password'), GROUP)
        if self.credentials:
            for name, value in self.keystone.credentials().items():
                self.conf.set_override(name, value, GROUP)

    def accounts(self):
        return [a['project_id'] for a in self.db.list_accounts(100)]


class TestRecharge(KeystoneProjectsCase):

    def test_known_project_is_recharged(self):
        entry = self.ok('POST', recharge_path(KNOWN), {
            'amount': '10', 'idempotency_key': 'pay-1'}, status=201)
        self.assertEqual(KNOWN, entry['project_id'])
        self.assertEqual([KNOWN], self.keystone.app.lookups())
        self.assertEqual([KNOWN], self.accounts())

    def test_another_spelling_reaches_the_one_account_and_key(self):
        self.ok('POST', recharge_path(KNOWN), {
            'amount': '10', 'idempotency_key': 'pay-1'}, status=201)
        # Keystone (on MariaDB) finds the project whatever the case, and
        # answers its id: the account and the ledger key are KNOWN's, so
        # the retry is a replay and credits nothing.
        replay = self.call('POST', recharge_path(KNOWN.upper()), {
            'amount': '10', 'idempotency_key': 'pay-1'})
        self.assertEqual(200, replay.status, replay.text)
        self.assertEqual(KNOWN, replay.json['project_id'])
        self.assertEqual([KNOWN], self.accounts())
        ledger = self.db.list_ledger(KNOWN)
        self.assertEqual(['recharge:%s:pay-1' % KNOWN],
                         [e['idempotency_key'] for e in ledger])
        self.assertEqual('10.0000000000',
                         self.ok('GET', '/accounts/' + KNOWN)['balance'])

    def test_unknown_project_is_404_and_opens_nothing(self):
        answer = self.call('POST', recharge_path('f' * 32), {'amount': '1'})
        self.assertEqual(404, answer.status, answer.text)
        self.assertEqual('project %s not found in Keystone' % ('f' * 32),
                         answer.json['error']['message'])
        self.assertEqual([], self.accounts())

    def test_impossible_ids_are_400_without_asking_keystone(self):
        for project_id in ("1' OR '1'='1", 'p' * 65, 'a\x1b[2Jb',
                           'a\x01b', 'caf\u00e9', '\U0001F600'):
            answer = self.call('POST', recharge_path(project_id),
                               {'amount': '1'})
            self.assertEqual(400, answer.status, (project_id, answer.text))
            self.assertEqual('project_id', answer.json['error']['field'])
            self.assertIn('not a Keystone project id',
                          answer.json['error']['message'])
        self.assertEqual([], self.keystone.app.lookups())
        self.assertEqual([], self.accounts())

    def test_keystone_failing_is_503_and_writes_nothing(self):
        for status in (500, 503):
            self.keystone.app.status = status
            answer = self.call('POST', recharge_path(KNOWN), {'amount': '1'})
            self.assertEqual(503, answer.status, answer.text)
            message = answer.json['error']['message']
            self.assertTrue(message.startswith(
                'cannot check project %s against Keystone: ' % KNOWN),
                message)
            self.assertTrue(message.endswith('; nothing was written'))
        self.assertEqual([], self.accounts())

    def test_keystone_refusing_the_service_user_is_503(self):
        self.keystone.app.status = 403
        answer = self.call('POST', recharge_path(KNOWN), {'amount': '1'})
        self.assertEqual(503, answer.status, answer.text)
        self.assertIn('(the [billing_enforcement] user needs the admin role)',
                      answer.json['error']['message'])

    def test_keystone_down_is_503(self):
        self.keystone.server.shutdown()
        self.keystone.server.server_close()
        answer = self.call('POST', recharge_path(KNOWN), {'amount': '1'})
        self.assertEqual(503, answer.status, answer.text)
        self.assertEqual([], self.accounts())


class TestEveryAccountOpener(KeystoneProjectsCase):
    """PUT /accounts, POST /orders and POST /holds are checked too."""

    def setUp(self):
        super().setUp()
        self.product = self.ok('POST', '/products', {
            'name': 'm1.small', 'service': 'instance',
            'match': {'flavor_name': 'm1.small'},
            'on_demand_price': '0.02', 'monthly_price': '10',
            'effective_from': '2026-01-01T00:00:00Z'}, status=201)

    def requests(self, project_id):
        return [
            ('PUT', '/accounts/%s' % parse.quote(project_id, safe=''),
             {'credit_limit': '5'}),
            ('POST', '/orders', {
                'project_id': project_id, 'resource_id': 'vm-1',
                'service': 'instance', 'product_id': self.product['id'],
                'mode': 'monthly', 'count': 1}),
            ('POST', '/holds', {
                'project_id': project_id, 'service': 'instance',
                'mode': 'monthly', 'count': 1,
                'fields': {'flavor_name': 'm1.small'}}),
        ]

    def test_unknown_project_is_404_everywhere(self):
        for method, path, body in self.requests('e' * 32):
            answer = self.call(method, path, body)
            self.assertEqual(404, answer.status, (path, answer.text))
            self.assertEqual('project %s not found in Keystone' % ('e' * 32),
                             answer.json['error']['message'])
        self.assertEqual(['e' * 32] * 3, self.keystone.app.lookups())
        self.assertEqual([], self.accounts())

    def test_impossible_id_is_400_everywhere(self):
        for method, path, body in self.requests("x' OR 'x'='x"):
            answer = self.call(method, path, body)
            self.assertEqual(400, answer.status, (path, answer.text))
            self.assertEqual('project_id', answer.json['error']['field'])
        self.assertEqual([], self.keystone.app.lookups())

    def test_the_account_is_keyed_by_keystones_spelling(self):
        self.ok('PUT', '/accounts/%s' % KNOWN.upper(),
                {'credit_limit': '100'})
        self.ok('POST', '/holds', {
            'project_id': KNOWN.upper(), 'service': 'instance',
            'mode': 'monthly', 'count': 1,
            'fields': {'flavor_name': 'm1.small'}}, status=201)
        order = self.ok('POST', '/orders', {
            'project_id': KNOWN.upper(), 'resource_id': 'vm-1',
            'service': 'instance', 'product_id': self.product['id'],
            'mode': 'monthly', 'count': 1}, status=201)
        self.assertEqual(KNOWN, order['project_id'])
        self.assertEqual([KNOWN], self.accounts())


class TestNoCredentials(KeystoneProjectsCase):

    credentials = False

    def test_refused_with_503_naming_the_options(self):
        answer = self.call('POST', recharge_path(KNOWN), {'amount': '1'})
        self.assertEqual(503, answer.status, answer.text)
        self.assertEqual(
            'cannot check project %s against Keystone: no credentials in '
            '[billing_enforcement] (set auth_type, auth_url, username, '
            'password, project_name, user_domain_name, project_domain_name)'
            ', or [billing] project_source = none; nothing was written' %
            KNOWN, answer.json['error']['message'])
        self.assertEqual([], self.accounts())
        self.assertEqual([], self.keystone.app.requests)

    def test_incomplete_credentials_name_what_is_missing(self):
        self.conf.set_override('auth_type', 'password', GROUP)
        answer = self.call('POST', recharge_path(KNOWN), {'amount': '1'})
        self.assertEqual(503, answer.status, answer.text)
        self.assertIn('[billing_enforcement] Auth plugin requires '
                      'parameters which were not given: auth_url',
                      answer.json['error']['message'])


class TestProjectSourceNone(base.APITestCase):

    def test_ids_are_taken_as_sent_but_still_checked(self):
        self.ok('POST', recharge_path('made-up'), {'amount': '1'},
                status=201)
        answer = self.call('POST', recharge_path("1' OR '1'='1"),
                           {'amount': '1'})
        self.assertEqual(400, answer.status, answer.text)
        self.assertEqual(['made-up'], [
            a['project_id'] for a in self.db.list_accounts(100)])
