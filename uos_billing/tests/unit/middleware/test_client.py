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
"""The billing client: answers, failures, the lookup cache."""

import json

import fixtures
from keystoneauth1 import exceptions as ksa_exc
from keystoneauth1 import noauth
from keystoneauth1 import session as ksa_session
from oslo_config import cfg
from oslotest import base

from uos_billing.conf import admission as conf_admission
from uos_billing.middleware import client as billing_client

PREFIX = '/v1/rating/module_config/billing'


class Response(object):

    def __init__(self, status, body):
        self.status_code = status
        self.text = body if isinstance(body, str) else json.dumps(body)

    def json(self):
        return json.loads(self.text)


class FakeAdapter(object):
    """Answers queued responses (or raises queued exceptions)."""

    def __init__(self):
        self.answers = []
        self.requests = []

    def request(self, url, method, **kwargs):
        self.requests.append((method, url, kwargs.get('json')))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


class Clock(object):

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


ACCOUNT = {'project_id': 'p', 'status': 'active', 'balance': '1'}


class TestAccountLookup(base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.adapter = FakeAdapter()
        self.clock = Clock()
        self.client = billing_client.BillingClient(
            self.adapter, PREFIX + '/',
            billing_client.TTLCache(5, 100, self.clock))

    def test_found_then_cached_until_expiry(self):
        self.adapter.answers = [Response(200, ACCOUNT),
                                Response(200, dict(ACCOUNT, status='owed'))]
        self.assertEqual('active', self.client.account('p')['status'])
        self.assertEqual(('GET', PREFIX + '/accounts/p', None),
                         self.adapter.requests[0])
        self.clock.now += 4.9
        self.assertEqual('active', self.client.account('p')['status'])
        self.assertEqual(1, len(self.adapter.requests))
        self.clock.now += 0.1
        self.assertEqual('owed', self.client.account('p')['status'])
        self.assertEqual(2, len(self.adapter.requests))

    def test_cache_is_per_project(self):
        self.adapter.answers = [Response(200, ACCOUNT),
                                Response(200, dict(ACCOUNT, status='owed'))]
        self.client.account('p')
        self.assertEqual('owed', self.client.account('q')['status'])

    def test_billing_404_is_no_account_and_cached(self):
        self.adapter.answers = [Response(404, {'error': {
            'code': 404, 'title': 'Not Found',
            'message': 'account p not found'}})]
        self.assertIsNone(self.client.account('p'))
        self.assertIsNone(self.client.account('p'))
        self.assertEqual(1, len(self.adapter.requests))

    def test_other_404_is_a_failure(self):
        self.adapter.answers = [Response(404, 'The resource could not be '
                                              'found.')]
        self.assertRaises(billing_client.Unavailable,
                          self.client.account, 'p')

    def test_failures_not_cached(self):
        self.adapter.answers = [
            Response(500, {'error': {'code': 500, 'message': 'db down'}}),
            ksa_exc.ConnectFailure('refused'),
            ksa_exc.ConnectTimeout('slow'),
            ksa_exc.EndpointNotFound('no rating endpoint'),
            ksa_exc.Unauthorized('bad service password'),
            Response(200, 'not json'),
            Response(200, {'no': 'status'}),
            Response(200, ACCOUNT)]
        for i in range(7):
            exc = self.assertRaises(billing_client.Unavailable,
                                    self.client.account, 'p')
            self.assertIn('/accounts/p', str(exc))
        self.assertEqual('active', self.client.account('p')['status'])

    def test_ttl_zero_never_caches(self):
        self.client.cache = billing_client.TTLCache(0, 100, self.clock)
        self.adapter.answers = [Response(200, ACCOUNT),
                                Response(200, ACCOUNT)]
        self.client.account('p')
        self.client.account('p')
        self.assertEqual(2, len(self.adapter.requests))

    def test_cache_size(self):
        cache = billing_client.TTLCache(5, 2, self.clock)
        cache.put('a', 1)
        self.clock.now += 1
        cache.put('b', 2)
        cache.put('c', 3)
        self.assertEqual((False, None), cache.get('a'))
        self.assertEqual((True, 3), cache.get('c'))
        self.assertEqual(2, len(cache))
        self.clock.now += 4.5
        cache.put('d', 4)   # b expired: dropped first, c stays
        self.assertEqual((True, 3), cache.get('c'))
        self.assertEqual((False, None), cache.get('b'))
        cache.forget('c')
        self.assertEqual((False, None), cache.get('c'))


class TestHolds(base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.adapter = FakeAdapter()
        self.client = billing_client.BillingClient(
            self.adapter, PREFIX, billing_client.TTLCache(5, 10))

    def test_hold_confirm_release(self):
        self.adapter.answers = [Response(201, {'id': 'h'}),
                                Response(201, {'id': 'o'}),
                                Response(200, {'id': 'h'})]
        self.assertEqual({'id': 'h'}, self.client.hold({'mode': 'monthly'}))
        self.assertEqual({'id': 'o'}, self.client.confirm('h', 'vm'))
        self.assertEqual({'id': 'h'}, self.client.release('h'))
        self.assertEqual([
            ('POST', PREFIX + '/holds', {'mode': 'monthly'}),
            ('POST', PREFIX + '/holds/h/confirm', {'resource_id': 'vm'}),
            ('POST', PREFIX + '/holds/h/release', None)],
            self.adapter.requests)

    def test_refusals_and_failures(self):
        error = {'code': 402, 'message': 'insufficient funds',
                 'missing': '3'}
        self.adapter.answers = [Response(402, {'error': error}),
                                Response(503, {'error': {'code': 503}}),
                                Response(403, 'forbidden'),
                                Response(405, {'error': {'code': 405}}),
                                ksa_exc.ConnectTimeout('slow')]
        exc = self.assertRaises(billing_client.Refused, self.client.hold, {})
        self.assertEqual((402, error), (exc.status, exc.error))
        self.assertEqual('insufficient funds', str(exc))
        for i in range(4):
            self.assertRaises(billing_client.Unavailable, self.client.hold,
                              {})


class TestFromConf(base.BaseTestCase):

    def test_keystoneauth_from_the_group(self):
        conf = cfg.ConfigOpts()
        conf_admission.register_opts(conf)
        conf([], default_config_files=[])
        group = conf_admission.GROUP
        conf.set_override('auth_type', 'none', group)
        conf.set_override('endpoint_override', 'http://billing:8889', group)
        conf.set_override('cache_ttl', 7, group)
        conf.set_override('timeout', 1.5, group)
        client = billing_client.BillingClient.from_conf(conf)
        self.assertIsInstance(client.adapter.session, ksa_session.Session)
        self.assertIsInstance(client.adapter.auth, noauth.NoAuth)
        self.assertEqual(1.5, client.adapter.session.timeout)
        self.assertEqual('http://billing:8889',
                         client.adapter.endpoint_override)
        self.assertEqual('rating', client.adapter.service_type)
        self.assertEqual(7, client.cache.ttl)
        self.assertEqual(PREFIX, client.api_path)

    def test_password_plugin_from_a_file(self):
        path = self.useFixture(fixtures.TempDir()).join('nova.conf')
        with open(path, 'w') as f:
            f.write('[billing_admission]\nauth_type = password\n'
                    'auth_url = http://keystone:5000/v3\n'
                    'username = billing\npassword = secret\n'
                    'project_name = service\nuser_domain_name = Default\n'
                    'project_domain_name = Default\n')
        conf = cfg.ConfigOpts()
        conf_admission.register_opts(conf)
        conf([], default_config_files=[path])
        client = billing_client.BillingClient.from_conf(conf)
        self.assertEqual('http://keystone:5000/v3',
                         client.adapter.auth.auth_url)
        self.assertEqual('billing', client.adapter.auth._username)
