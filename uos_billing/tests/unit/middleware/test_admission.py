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
"""The admission filter against a fake billing client and service app."""

import decimal
import json
import logging

import fixtures
from oslo_config import cfg
from oslotest import base
import webob
import webob.dec

from uos_billing.conf import admission as conf_admission
from uos_billing.middleware import admission
from uos_billing.middleware import client as billing_client

PROJECT = 'p-1'
SERVER_ID = '6f3d0c36-5fb2-4d0e-9d8c-1c2c4ac9f0a1'


def account(status='active', balance='10.0000000000', **extra):
    return dict({'project_id': PROJECT, 'status': status,
                 'balance': balance, 'credit_limit': '0.0000000000',
                 'currency': 'EUR', 'owed_since': None}, **extra)


class FakeClient(object):
    """Answers what the test put in; records the calls."""

    def __init__(self):
        self.accounts = {}
        self.calls = []
        self.unavailable = False
        self.hold_error = None
        self.confirm_error = None
        self.cache = billing_client.TTLCache(0, 10)

    def account(self, project_id):
        self.calls.append(('account', project_id))
        if self.unavailable:
            raise billing_client.Unavailable('connection refused')
        return self.accounts.get(project_id)

    def hold(self, body):
        self.calls.append(('hold', body))
        if self.hold_error:
            raise self.hold_error
        return {'id': 'h-1', 'status': 'held', 'amount': '10.00'}

    def confirm(self, hold_id, resource_id):
        self.calls.append(('confirm', hold_id, resource_id))
        if self.confirm_error:
            raise self.confirm_error
        return {'id': 'o-1', 'resource_id': resource_id}

    def release(self, hold_id):
        self.calls.append(('release', hold_id))
        return {'id': hold_id, 'status': 'released'}

    def kinds(self):
        return [c[0] for c in self.calls]


class Service(object):
    """A service API stand-in: records requests, answers what it is told."""

    def __init__(self):
        self.requests = []
        self.status = 202
        self.body = {'server': {'id': SERVER_ID}}
        self.error = None

    @webob.dec.wsgify
    def __call__(self, request):
        if request.path_info.endswith('/flavors/f-small'):
            return webob.Response(json_body={'flavor': {
                'id': 'f-small', 'name': 'm1.small'}})
        self.requests.append((request.method, request.path_info,
                              request.body))
        if self.error:
            raise self.error
        return webob.Response(status=self.status, json_body=self.body)


class AdmissionTestCase(base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.conf = cfg.ConfigOpts()
        conf_admission.register_opts(self.conf)
        self.conf([], default_config_files=[])
        self.client = FakeClient()
        self.service = Service()
        self.log = self.useFixture(fixtures.FakeLogger(
            level=logging.DEBUG, name='uos_billing.middleware.admission'))

    def set(self, **kwargs):
        for name, value in kwargs.items():
            self.conf.set_override(name, value, conf_admission.GROUP)

    def call(self, method, path, body=None, project=PROJECT):
        app = admission.AdmissionMiddleware(self.service, self.conf,
                                            client=self.client)
        request = webob.Request.blank(path, method=method)
        if project:
            request.headers['X-Project-Id'] = project
        if body is not None:
            request.body = json.dumps(body).encode()
            request.content_type = 'application/json'
        return request.get_response(app)

    def server(self, **metadata):
        return {'server': {'name': 'vm', 'flavorRef': 'f-small',
                           'imageRef': 'i-1', 'metadata': metadata}}


class TestAdmission(AdmissionTestCase):

    def test_reads_deletes_stops_never_ask(self):
        self.client.accounts[PROJECT] = account('owed', '-5')
        for method, path, body in (
                ('GET', '/v2.1/servers', None),
                ('DELETE', '/v2.1/servers/s1', None),
                ('POST', '/v2.1/servers/s1/action', {'os-stop': None}),
                ('PUT', '/v2.0/floatingips/f1', {'floatingip': {}})):
            self.assertEqual(202, self.call(method, path, body).status_int)
        self.assertEqual([], self.client.calls)
        self.assertEqual(4, len(self.service.requests))

    def test_active_account_passes(self):
        self.client.accounts[PROJECT] = account('active')
        answer = self.call('POST', '/v2.1/servers', self.server())
        self.assertEqual(202, answer.status_int)
        self.assertEqual([('account', PROJECT)], self.client.calls)

    def test_no_account_passes(self):
        self.assertEqual(202, self.call('POST', '/v3/p-1/volumes',
                                        {'volume': {}}).status_int)
        self.assertEqual(1, len(self.service.requests))

    def test_owed_refused_with_amount(self):
        self.client.accounts[PROJECT] = account(
            'owed', '-12.5000000000', owed_since='2026-11-02T00:00:00+00:00')
        answer = self.call('POST', '/v2.1/servers/s1/action',
                           {'os-start': None})
        self.assertEqual(402, answer.status_int)
        self.assertEqual('application/json', answer.content_type)
        error = answer.json_body['error']
        self.assertEqual(402, error['code'])
        self.assertEqual('Payment Required', error['title'])
        self.assertEqual('owed', error['reason'])
        self.assertEqual('12.5000000000', error['owed'])
        self.assertEqual('-12.5000000000', error['balance'])
        self.assertEqual('EUR', error['currency'])
        self.assertEqual('server.start', error['request_class'])
        self.assertIn('owed since 2026-11-02', error['message'])
        self.assertIn('12.50 EUR owed', error['message'])
        self.assertEqual([], self.service.requests)

    def test_frozen_refused(self):
        self.client.accounts[PROJECT] = account('frozen', '30')
        answer = self.call('POST', '/v2.0/floatingips', {'floatingip': {}})
        self.assertEqual(402, answer.status_int)
        error = answer.json_body['error']
        self.assertEqual('frozen', error['reason'])
        self.assertEqual(decimal.Decimal(0), decimal.Decimal(error['owed']))
        self.assertIn('frozen', error['message'])
        self.assertEqual([], self.service.requests)

    def test_every_default_class_refused_when_owed(self):
        self.client.accounts[PROJECT] = account('owed', '-1')
        for path, body in (
                ('/v2.1/servers', self.server()),
                ('/v2.1/servers/s/action', {'unshelve': None}),
                ('/v2.1/servers/s/action', {'resize': {'flavorRef': '2'}}),
                ('/v2.1/servers/s/action', {'createImage': {'name': 'x'}}),
                ('/v3/p-1/volumes', {'volume': {'size': 1}}),
                ('/v3/p-1/volumes/v/action', {'os-extend': {}}),
                ('/v3/p-1/snapshots', {'snapshot': {}}),
                ('/v3/p-1/backups', {'backup': {}}),
                ('/v2.0/floatingips', {'floatingip': {}})):
            self.assertEqual(402, self.call('POST', path, body).status_int,
                             path)
        self.assertEqual([], self.service.requests)

    def test_ports_pass_unless_listed(self):
        self.client.accounts[PROJECT] = account('owed', '-1')
        self.assertEqual(202, self.call('POST', '/v2.0/ports',
                                        {'port': {}}).status_int)
        self.assertEqual([], self.client.calls)
        self.set(check_classes=conf_admission.DEFAULT_CLASSES +
                 ['port.create'])
        self.assertEqual(402, self.call('POST', '/v2.0/ports',
                                        {'port': {}}).status_int)

    def test_unknown_class_refused_at_start(self):
        self.set(check_classes=['server.create', 'server.explode'])
        exc = self.assertRaises(cfg.ConfigFileValueError,
                                admission.AdmissionMiddleware,
                                self.service, self.conf, self.client)
        self.assertIn('check_classes', str(exc))
        self.assertIn('server.explode', str(exc))

    def test_disabled_passes_everything(self):
        self.set(enabled=False)
        self.client.accounts[PROJECT] = account('owed', '-1')
        self.assertEqual(202, self.call('POST', '/v2.1/servers',
                                        self.server()).status_int)
        self.assertEqual([], self.client.calls)

    def test_without_project_passes(self):
        self.client.accounts[PROJECT] = account('owed', '-1')
        self.assertEqual(202, self.call('POST', '/v2.1/servers',
                                        self.server(),
                                        project=None).status_int)
        self.assertEqual([], self.client.calls)

    def test_neutron_body_names_the_project(self):
        self.client.accounts['p-2'] = account('owed', '-1')
        answer = self.call('POST', '/v2.0/floatingips',
                           {'floatingip': {'project_id': 'p-2'}})
        self.assertEqual(402, answer.status_int)
        self.assertEqual('p-2', answer.json_body['error']['project_id'])
        answer = self.call('POST', '/v2.0/floatingips',
                           {'floatingip': {'tenant_id': 'p-2'}})
        self.assertEqual(402, answer.status_int)

    def test_service_reads_the_body_after_the_filter(self):
        self.call('POST', '/v2.1/servers/s/action', {'os-start': None})
        self.assertEqual(b'{"os-start": null}', self.service.requests[0][2])

    def test_fail_open(self):
        self.client.unavailable = True
        answer = self.call('POST', '/v3/p-1/volumes', {'volume': {}})
        self.assertEqual(202, answer.status_int)
        self.assertIn('let through (fail_open)', self.log.output)
        self.assertIn('connection refused', self.log.output)

    def test_fail_closed(self):
        self.set(failure_policy='fail_closed')
        self.client.unavailable = True
        answer = self.call('POST', '/v3/p-1/volumes', {'volume': {}})
        self.assertEqual(503, answer.status_int)
        error = answer.json_body['error']
        self.assertEqual(503, error['code'])
        self.assertIn('billing API cannot be reached', error['message'])
        self.assertEqual([], self.service.requests)
        self.assertIn('refused (fail_closed)', self.log.output)

    def test_failure_policy_choices(self):
        self.assertRaises(ValueError, self.set, failure_policy='maybe')


class TestPrepaid(AdmissionTestCase):

    def test_hold_then_confirm(self):
        self.client.accounts[PROJECT] = account('active', '100')
        answer = self.call('POST', '/v2.1/servers', self.server(**{
            'billing:mode': 'monthly', 'billing:count': '3'}))
        self.assertEqual(202, answer.status_int)
        self.assertEqual('o-1', answer.headers['X-Billing-Order-Id'])
        self.assertEqual(['account', 'hold', 'confirm'], self.client.kinds())
        self.assertEqual({'project_id': PROJECT, 'service': 'instance',
                          'mode': 'monthly', 'count': 3,
                          'auto_renew': False,
                          'fields': {'flavor_id': 'f-small',
                                     'flavor_name': 'm1.small'}},
                         self.client.calls[1][1])
        self.assertEqual(('confirm', 'h-1', SERVER_ID),
                         self.client.calls[2])

    def test_hold_fields_from_a_flavor_url_and_product(self):
        body = self.server(**{'billing:mode': 'yearly',
                              'billing:auto_renew': 'true',
                              'billing:product_id': 'prod-9'})
        body['server']['flavorRef'] = 'http://nova/v2.1/flavors/f-big'
        self.call('POST', '/v2.1/p-1/servers', body)
        hold = self.client.calls[1][1]
        self.assertEqual({'flavor_id': 'f-big'}, hold['fields'])
        self.assertEqual(('yearly', 1, True, 'prod-9'), (
            hold['mode'], hold['count'], hold['auto_renew'],
            hold['product_id']))

    def test_hold_then_release_when_the_service_refuses(self):
        self.service.status = 400
        self.service.body = {'badRequest': {'message': 'no image'}}
        answer = self.call('POST', '/v2.1/servers', self.server(**{
            'billing:mode': 'monthly'}))
        self.assertEqual(400, answer.status_int)
        self.assertEqual({'badRequest': {'message': 'no image'}},
                         answer.json_body)
        self.assertEqual(['account', 'hold', 'release'],
                         self.client.kinds())

    def test_hold_released_when_the_service_raises(self):
        self.service.error = RuntimeError('nova broke')
        self.assertRaises(RuntimeError, self.call, 'POST', '/v2.1/servers',
                          self.server(**{'billing:mode': 'monthly'}))
        self.assertEqual(['account', 'hold', 'release'],
                         self.client.kinds())

    def test_hold_released_without_a_server_id(self):
        self.service.body = {'reservation_id': 'r-1'}
        self.call('POST', '/v2.1/servers',
                  self.server(**{'billing:mode': 'monthly'}))
        self.assertEqual('release', self.client.kinds()[-1])

    def test_insufficient_funds_before_the_server_exists(self):
        self.client.hold_error = billing_client.Refused(402, {
            'code': 402, 'title': 'Payment Required',
            'message': 'insufficient funds for project p-1: ...',
            'missing': '5.0000000000', 'currency': 'EUR'})
        answer = self.call('POST', '/v2.1/servers', self.server(**{
            'billing:mode': 'monthly'}))
        self.assertEqual(402, answer.status_int)
        error = answer.json_body['error']
        self.assertEqual('5.0000000000', error['missing'])
        self.assertEqual('EUR', error['currency'])
        self.assertIn('insufficient funds', error['message'])
        self.assertEqual([], self.service.requests)

    def test_owed_refused_before_the_hold(self):
        self.client.accounts[PROJECT] = account('owed', '-1')
        answer = self.call('POST', '/v2.1/servers', self.server(**{
            'billing:mode': 'monthly'}))
        self.assertEqual(402, answer.status_int)
        self.assertEqual(['account'], self.client.kinds())

    def test_billing_down_refuses_prepaid_even_fail_open(self):
        self.client.unavailable = True
        answer = self.call('POST', '/v2.1/servers', self.server(**{
            'billing:mode': 'monthly'}))
        self.assertEqual(503, answer.status_int)
        self.assertEqual([], self.service.requests)
        self.client.unavailable = False
        self.client.hold_error = billing_client.Unavailable('timed out')
        answer = self.call('POST', '/v2.1/servers', self.server(**{
            'billing:mode': 'monthly'}))
        self.assertEqual(503, answer.status_int)
        self.assertEqual([], self.service.requests)

    def test_confirm_failure_keeps_the_server(self):
        self.client.confirm_error = billing_client.Unavailable('down')
        answer = self.call('POST', '/v2.1/servers', self.server(**{
            'billing:mode': 'monthly'}))
        self.assertEqual(202, answer.status_int)
        self.assertNotIn('X-Billing-Order-Id', answer.headers)
        self.assertIn('could not be bought', self.log.output)

    def test_bad_metadata(self):
        for metadata, extra, field in (
                ({'billing:mode': 'weekly'}, {}, 'metadata.billing:mode'),
                ({'billing:count': '2'}, {}, 'metadata.billing:count'),
                ({'billing:mode': 'monthly', 'billing:count': 'two'}, {},
                 'metadata.billing:count'),
                ({'billing:mode': 'monthly', 'billing:count': '0'}, {},
                 'metadata.billing:count'),
                ({'billing:mode': 'monthly', 'billing:auto_renew': 'yes'},
                 {}, 'metadata.billing:auto_renew'),
                ({'billing:mode': 'monthly'}, {'max_count': 2},
                 'server.max_count'),
                ({'billing:mode': 'monthly'}, {'flavorRef': None},
                 'server.flavorRef')):
            body = self.server(**metadata)
            body['server'].update(extra)
            answer = self.call('POST', '/v2.1/servers', body)
            self.assertEqual(400, answer.status_int, metadata)
            self.assertEqual(field, answer.json_body['error']['field'])
        self.assertEqual([], self.service.requests)
        self.assertEqual([], self.client.calls)

    def test_prepaid_off_ignores_metadata(self):
        self.set(prepaid=False)
        self.call('POST', '/v2.1/servers', self.server(**{
            'billing:mode': 'weekly'}))
        self.assertEqual(['account'], self.client.kinds())


class TestLoadConf(base.BaseTestCase):

    def test_own_file_and_paste_overrides(self):
        path = self.useFixture(fixtures.TempDir()).join('admission.conf')
        with open(path, 'w') as f:
            f.write('[billing_admission]\nfailure_policy = fail_closed\n'
                    'cache_ttl = 9\nendpoint_override = http://b:8889\n')
        conf = admission.load_conf({'oslo_config_file': path,
                                    'cache_ttl': '2'})
        self.assertEqual('fail_closed',
                         conf.billing_admission.failure_policy)
        self.assertEqual(2, conf.billing_admission.cache_ttl)
        self.assertEqual('http://b:8889',
                         conf.billing_admission.endpoint_override)
        self.assertEqual(3.0, conf.billing_admission.timeout)
