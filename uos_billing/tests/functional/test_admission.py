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
"""The billing_admission filter in a real paste pipeline, for real.

The pipeline is loaded by paste.deploy from an ini file, as Nova, Cinder
and Neutron load theirs: keystonemiddleware's auth_token (its tokens made
up by keystonemiddleware's own AuthTokenFixture, the middleware itself
running), then ``billing_admission`` (``egg:uos-billing``), then a small
WSGI application standing in for a service API. The filter talks over
HTTP, through keystoneauth, to a real CloudKitty API serving the billing
module (api_server.CloudKittyAPI, no auth), to a port nobody listens on
(down), or to a socket that accepts connections and never answers (hangs).

Owed accounts are made the way production makes them: a period rated by
the billing module (in a child process, on the API's database) leaves the
balance below the credit limit.
"""

import json
import logging
import os
import socket
import subprocess
import sys
import urllib.request
import uuid

import fixtures
from keystonemiddleware import fixture as ksm_fixture
from oslotest import base
from paste import deploy
import testtools.content
import webob
import webob.dec

from uos_billing.middleware import admission
from uos_billing.tests.functional import api_server

BASE = '/v1/rating/module_config/billing'

PASTE = """\
[pipeline:main]
pipeline = authtoken billing_admission service

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
www_authenticate_uri = http://127.0.0.1:5000/v3

[filter:billing_admission]
use = egg:uos-billing#billing_admission
oslo_config_file = {conf}

[app:service]
paste.app_factory = uos_billing.tests.functional.test_admission:app_factory
"""

FILTER_CONF = """\
[billing_admission]
auth_type = none
endpoint_override = {endpoint}
timeout = {timeout}
cache_ttl = 5
failure_policy = {policy}
"""

# Rates one hour of an m1.big VM (3.00 EUR) for each project given, in a
# child process on the API's database: the way an account gets owed.
RATE_SCRIPT = """\
import datetime, sys
from oslo_config import cfg
from uos_billing.conf import opts  # noqa
from uos_billing import rating
from uos_billing.tests import samples
cfg.CONF([], project='cloudkitty', default_config_files=[sys.argv[1]])
utc = datetime.timezone.utc
start = datetime.datetime(2026, 11, 2, 10, tzinfo=utc)
end = datetime.datetime(2026, 11, 2, 11, tzinfo=utc)
for project in sys.argv[2:]:
    module = rating.BillingRating(tenant_id=project)
    module.reload_config(start)
    module.process(samples.frame(start, end, [
        samples.point('vm-' + project, 'm1.big', project=project)]))
"""


class Service(object):
    """A service API stand-in: Nova's servers and flavors, the rest echoed.

    POST .../servers answers 202 with a new server id, or 400 when the
    server's name is "fail"; GET .../flavors/{id} answers a flavor named
    after its id; every other request 200 with what it received.
    """

    def __init__(self):
        self.requests = []

    @webob.dec.wsgify
    def __call__(self, request):
        if request.method == 'GET' and '/flavors/' in request.path_info:
            flavor = request.path_info.rsplit('/', 1)[-1]
            return webob.Response(json_body={'flavor': {
                'id': flavor, 'name': 'm1.' + flavor}})
        body = request.json_body if request.body else None
        self.requests.append((request.method, request.path_info, body))
        if request.path_info.endswith('/servers'):
            if body['server']['name'] == 'fail':
                return webob.Response(status=400, json_body={
                    'badRequest': {'code': 400, 'message': 'no image'}})
            return webob.Response(status=202, json_body={
                'server': {'id': str(uuid.uuid4())}})
        return webob.Response(json_body={'seen': request.path_info})


def app_factory(global_conf, **local_conf):
    return Service()


def find(app, kind):
    """The first object of kind along the pipeline's .app / ._app links."""
    while app is not None and not isinstance(app, kind):
        app = getattr(app, 'app', None) or getattr(app, '_app', None)
    return app


class Clock(object):
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class AdmissionTestCase(base.BaseTestCase):
    """One billing API for the class; projects are new for every test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api = api_server.CloudKittyAPI()
        cls.api.setUp()
        try:
            cls.small = cls.billing('POST', '/products', {
                'name': 'm1.small', 'service': 'instance',
                'match': {'flavor_name': 'm1.small'}, 'unit': 'hour',
                'on_demand_price': '0.02', 'monthly_price': '10.00',
                'currency': 'EUR', 'effective_from': '2026-01-01'})
            cls.billing('POST', '/products', {
                'name': 'm1.big', 'service': 'instance',
                'match': {'flavor_name': 'm1.big'}, 'unit': 'hour',
                'on_demand_price': '3', 'currency': 'EUR',
                'effective_from': '2026-01-01'})
            cls.owed = 'owed-' + uuid.uuid4().hex[:8]
            cls.billing('POST', '/accounts/%s/recharge' % cls.owed,
                        {'amount': '1'})
            done = subprocess.run(
                [sys.executable, '-c', RATE_SCRIPT, cls.api.config,
                 cls.owed], capture_output=True, text=True, timeout=120)
            if done.returncode:
                raise RuntimeError('rating failed: %s' % done.stderr)
        except Exception:
            cls.api.cleanUp()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.api.cleanUp()
        super().tearDownClass()

    @classmethod
    def billing(cls, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            cls.api.endpoint + BASE + path, data=data, method=method,
            headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read() or b'null')

    def setUp(self):
        super().setUp()
        self.tokens = self.useFixture(ksm_fixture.AuthTokenFixture())
        self.workdir = self.useFixture(fixtures.TempDir()).path
        self.log = self.useFixture(fixtures.FakeLogger(
            level=logging.INFO, name='uos_billing.middleware'))
        self.addOnException(self.api_log)

    def api_log(self, exc_info):
        self.addDetailUniqueName(
            'cloudkitty-api.log', testtools.content.text_content(
                self.api.log_tail()))

    def pipeline(self, endpoint=None, policy='fail_open', timeout=5):
        """A paste pipeline in front of a new service stand-in."""
        conf = os.path.join(self.workdir, 'admission-%s.conf' %
                            uuid.uuid4().hex[:6])
        with open(conf, 'w') as f:
            f.write(FILTER_CONF.format(
                endpoint=endpoint or self.api.endpoint, policy=policy,
                timeout=timeout))
        ini = os.path.join(self.workdir, 'api-paste.ini')
        with open(ini, 'w') as f:
            f.write(PASTE.format(conf=conf))
        self.app = deploy.loadapp('config:' + ini)
        self.filter = find(self.app, admission.AdmissionMiddleware)
        self.service = find(self.app, Service)
        self.assertIsNotNone(self.filter)
        self.assertIsNotNone(self.service)
        self.clock = Clock()
        self.filter.client.cache.clock = self.clock
        return self.app

    def token(self, project_id):
        token_id = uuid.uuid4().hex
        self.tokens.add_token_data(token_id=token_id, project_id=project_id,
                                   user_id='u-' + project_id,
                                   role_list=['member'])
        return token_id

    def call(self, project_id, method, path, body=None):
        request = webob.Request.blank(path, method=method)
        request.headers['X-Auth-Token'] = self.token(project_id)
        if body is not None:
            request.body = json.dumps(body).encode()
            request.content_type = 'application/json'
        return request.get_response(self.app)

    def new_project(self, recharge=None):
        project_id = uuid.uuid4().hex
        if recharge:
            self.billing('POST', '/accounts/%s/recharge' % project_id,
                         {'amount': recharge})
        return project_id


# Every request class the filter checks by default, as the services send
# them, and requests of each service that always pass.
CHECKED = [
    ('POST', '/v2.1/servers', {'server': {'name': 'vm', 'flavorRef': '1',
                                          'imageRef': 'i'}}),
    ('POST', '/v2.1/{p}/servers/s/action', {'os-start': None}),
    ('POST', '/v2.1/servers/s/action', {'unshelve': None}),
    ('POST', '/v2.1/servers/s/action', {'resume': None}),
    ('POST', '/v2.1/servers/s/action', {'unpause': None}),
    ('POST', '/v2.1/servers/s/action', {'restore': None}),
    ('POST', '/v2.1/servers/s/action', {'resize': {'flavorRef': '2'}}),
    ('POST', '/v2.1/servers/s/action', {'createImage': {'name': 'i'}}),
    ('POST', '/v2.1/servers/s/action', {'createBackup': {}}),
    ('POST', '/v3/{p}/volumes', {'volume': {'size': 1}}),
    ('POST', '/v3/{p}/volumes/v/action', {'os-extend': {'new_size': 2}}),
    ('POST', '/v3/{p}/volumes/v/action', {'os-retype': {}}),
    ('POST', '/v3/{p}/volumes/v/action', {'os-volume_upload_image': {}}),
    ('POST', '/v3/{p}/snapshots', {'snapshot': {'volume_id': 'v'}}),
    ('POST', '/v3/{p}/backups', {'backup': {'volume_id': 'v'}}),
    ('POST', '/v3/{p}/backups/b/restore', {'restore': {}}),
    ('POST', '/v3/{p}/manageable_volumes', {'volume': {}}),
    ('POST', '/v3/{p}/manageable_snapshots', {'snapshot': {}}),
    ('POST', '/v2.0/floatingips', {'floatingip': {'floating_network_id':
                                                  'n'}}),
]
PASSING = [
    ('GET', '/v2.1/servers/detail', None),
    ('DELETE', '/v2.1/servers/s', None),
    ('POST', '/v2.1/servers/s/action', {'os-stop': None}),
    ('POST', '/v2.1/servers/s/action', {'shelve': None}),
    ('POST', '/v2.1/servers/s/action', {'reboot': {'type': 'SOFT'}}),
    ('PUT', '/v2.1/servers/s', {'server': {'name': 'n'}}),
    ('GET', '/v3/{p}/volumes/detail', None),
    ('DELETE', '/v3/{p}/volumes/v', None),
    ('POST', '/v3/{p}/volumes/v/action', {'os-detach': {}}),
    ('DELETE', '/v2.0/floatingips/f', None),
    ('PUT', '/v2.0/floatingips/f', {'floatingip': {'port_id': None}}),
    ('POST', '/v2.0/ports', {'port': {'network_id': 'n'}}),
    ('POST', '/v2.0/networks', {'network': {}}),
]


class TestAdmission(AdmissionTestCase):

    def run_all(self, project_id, requests):
        answers = []
        for method, path, body in requests:
            answers.append(self.call(project_id, method,
                                     path.format(p=project_id), body))
        return answers

    def test_owed_refused_with_the_amount(self):
        self.pipeline()
        for answer in self.run_all(self.owed, CHECKED):
            self.assertEqual(402, answer.status_int, answer.text)
            error = answer.json_body['error']
            self.assertEqual(('owed', '2.0000000000', '-2.0000000000',
                              'EUR'),
                             (error['reason'], error['owed'],
                              error['balance'], error['currency']))
            self.assertIn('2.00 EUR owed', error['message'])
        self.assertEqual([], self.service.requests)
        for answer in self.run_all(self.owed, PASSING):
            self.assertLess(answer.status_int, 300, answer.text)
        self.assertEqual(len(PASSING), len(self.service.requests))

    def test_frozen_refused(self):
        project_id = self.new_project(recharge='50')
        self.billing('PUT', '/accounts/' + project_id, {'frozen': True})
        self.pipeline()
        for answer in self.run_all(project_id, CHECKED):
            self.assertEqual(402, answer.status_int, answer.text)
            self.assertEqual('frozen', answer.json_body['error']['reason'])
        self.assertEqual([], self.service.requests)
        for answer in self.run_all(project_id, PASSING):
            self.assertLess(answer.status_int, 300, answer.text)

    def test_active_and_unknown_projects_pass(self):
        self.pipeline()
        for project_id in (self.new_project(recharge='5'),
                           self.new_project()):
            self.service.requests[:] = []
            for answer in self.run_all(project_id, CHECKED + PASSING):
                self.assertLess(answer.status_int, 300, answer.text)
            self.assertEqual(len(CHECKED + PASSING),
                             len(self.service.requests))

    def test_no_token_never_reaches_the_filter(self):
        self.pipeline()
        request = webob.Request.blank('/v2.1/servers', method='POST')
        self.assertEqual(401, request.get_response(self.app).status_int)

    def test_cache_expiry(self):
        project_id = self.new_project(recharge='5')
        self.pipeline()
        path = '/v3/%s/volumes' % project_id
        self.assertEqual(200, self.call(project_id, 'POST', path,
                                        {'volume': {}}).status_int)
        self.billing('PUT', '/accounts/' + project_id, {'frozen': True})
        self.clock.now += 4.9
        self.assertEqual(200, self.call(project_id, 'POST', path,
                                        {'volume': {}}).status_int)
        self.clock.now += 0.1
        self.assertEqual(402, self.call(project_id, 'POST', path,
                                        {'volume': {}}).status_int)
        self.billing('PUT', '/accounts/' + project_id, {'frozen': False})
        self.assertEqual(402, self.call(project_id, 'POST', path,
                                        {'volume': {}}).status_int)
        self.clock.now += 5
        self.assertEqual(200, self.call(project_id, 'POST', path,
                                        {'volume': {}}).status_int)


class TestBillingUnavailable(AdmissionTestCase):

    def hanging_endpoint(self):
        """A socket that accepts connections and never answers."""
        server = socket.socket()
        self.addCleanup(server.close)
        server.bind(('127.0.0.1', 0))
        server.listen(16)
        return 'http://127.0.0.1:%d' % server.getsockname()[1]

    def check(self, endpoint, policy, expected, logged, timeout=5):
        self.pipeline(endpoint=endpoint, policy=policy, timeout=timeout)
        project_id = self.new_project()
        answer = self.call(project_id, 'POST', '/v2.0/floatingips',
                           {'floatingip': {}})
        self.assertEqual(expected, answer.status_int, answer.text)
        self.assertIn(logged, self.log.output)
        self.assertIn('(%s)' % policy, self.log.output)
        # Reads never ask.
        self.assertEqual(200, self.call(project_id, 'GET',
                                        '/v2.0/floatingips').status_int)
        return answer

    def test_down_fail_open(self):
        self.check('http://127.0.0.1:%d' % free_port(), 'fail_open', 200,
                   'ConnectFailure')
        self.assertEqual(2, len(self.service.requests))

    def test_down_fail_closed(self):
        answer = self.check('http://127.0.0.1:%d' % free_port(),
                            'fail_closed', 503, 'ConnectFailure')
        self.assertEqual(503, answer.json_body['error']['code'])
        self.assertEqual(1, len(self.service.requests))

    def test_hanging_fail_open(self):
        self.check(self.hanging_endpoint(), 'fail_open', 200, 'Timeout',
                   timeout=0.2)

    def test_hanging_fail_closed(self):
        self.check(self.hanging_endpoint(), 'fail_closed', 503, 'Timeout',
                   timeout=0.2)

    def test_failures_are_not_cached(self):
        self.pipeline(endpoint='http://127.0.0.1:%d' % free_port(),
                      policy='fail_closed')
        project_id = self.new_project(recharge='5')
        for i in range(2):
            self.assertEqual(503, self.call(project_id, 'POST',
                                            '/v2.0/floatingips',
                                            {'floatingip': {}}).status_int)
        # The billing API is back: the next request asks it at once.
        self.filter.client.adapter.endpoint_override = self.api.endpoint
        self.assertEqual(200, self.call(project_id, 'POST',
                                        '/v2.0/floatingips',
                                        {'floatingip': {}}).status_int)


def holds_missing(endpoint):
    """Why the hold tests cannot run (the API serves no /holds), or None."""
    request = urllib.request.Request(
        endpoint + BASE + '/holds', data=b'{}', method='POST',
        headers={'Content-Type': 'application/json'})
    try:
        urllib.request.urlopen(request, timeout=30).close()
    except urllib.error.HTTPError as exc:
        if exc.code in (404, 405):
            return ('the billing API serves no POST .../holds yet (HTTP %d)'
                    % exc.code)
    return None


class TestPrepaid(AdmissionTestCase):

    def setUp(self):
        missing = holds_missing(self.api.endpoint)
        if missing:
            self.skipTest(missing)
        super().setUp()
        self.pipeline()

    def server(self, name='vm', flavor='small', **metadata):
        return {'server': {'name': name, 'flavorRef': flavor,
                           'imageRef': 'i', 'metadata': metadata}}

    def orders(self, project_id):
        return self.billing('GET', '/orders?project_id=%s&mode=monthly' %
                            project_id)['orders']

    def balance(self, project_id):
        return self.billing('GET', '/accounts/' + project_id)['balance']

    def test_hold_then_confirm(self):
        project_id = self.new_project(recharge='25')
        answer = self.call(project_id, 'POST', '/v2.1/servers', self.server(
            **{'billing:mode': 'monthly', 'billing:count': '2'}))
        self.assertEqual(202, answer.status_int, answer.text)
        server_id = answer.json_body['server']['id']
        [order] = self.orders(project_id)
        self.assertEqual((server_id, 'monthly', 2, self.small['id']),
                         (order['resource_id'], order['mode'],
                          order['count'], order['product_id']))
        self.assertEqual(order['id'], answer.headers['X-Billing-Order-Id'])
        self.assertEqual('5.0000000000', self.balance(project_id))

    def test_hold_then_release(self):
        project_id = self.new_project(recharge='25')
        answer = self.call(project_id, 'POST', '/v2.1/servers', self.server(
            name='fail', **{'billing:mode': 'monthly'}))
        self.assertEqual(400, answer.status_int)
        self.assertEqual([], self.orders(project_id))
        self.assertEqual('25.0000000000', self.balance(project_id))
        # The released funds buy the next one.
        answer = self.call(project_id, 'POST', '/v2.1/servers', self.server(
            **{'billing:mode': 'monthly', 'billing:count': '2'}))
        self.assertEqual(202, answer.status_int, answer.text)

    def test_insufficient_funds_before_the_server_exists(self):
        project_id = self.new_project(recharge='5')
        answer = self.call(project_id, 'POST', '/v2.1/servers', self.server(
            **{'billing:mode': 'monthly'}))
        self.assertEqual(402, answer.status_int)
        self.assertEqual('5.0000000000',
                         answer.json_body['error']['missing'])
        self.assertEqual([], self.service.requests)
        self.assertEqual([], self.orders(project_id))
