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
"""A fake rating API adapter and a base running the commands on it.

``FakeHTTP`` stands for the keystoneauth ``Adapter`` of cloudkittyclient:
it records each request (method, URL, JSON body) and answers with real
``requests.Response`` objects queued by the test; an answer of 400 or more
is raised as keystoneauth's own exception (``from_response``), as the real
adapter does.
"""

import io
import json
from unittest import mock

import fixtures
from keystoneauth1 import exceptions as ks_exc
from oslotest import base
import requests

BASE = '/v1/rating/module_config/billing'


def response(status, body=None, content_type='application/json'):
    answer = requests.Response()
    answer.status_code = status
    answer.headers['x-openstack-request-id'] = 'req-1234'
    if body is None:
        answer._content = b''
    else:
        if not isinstance(body, str):
            body = json.dumps(body)
        answer._content = body.encode('utf-8')
        answer.headers['Content-Type'] = content_type
    return answer


def error(code, message, **extra):
    body = {'code': code, 'title': 'Refused', 'message': message}
    body.update(extra)
    return response(code, {'error': body})


class FakeHTTP(object):

    def __init__(self):
        self.answers = []
        self.calls = []

    def queue(self, *answers):
        self.answers.extend(answers)

    def request(self, url, method, raise_exc=True, **kwargs):
        self.calls.append((method, url, kwargs.get('json')))
        answer = self.answers.pop(0)
        if raise_exc and answer.status_code >= 400:
            raise ks_exc.from_response(answer, method, url)
        return answer


class CommandTestCase(base.BaseTestCase):
    """Runs billing commands as ``openstack`` would, on a FakeHTTP."""

    def setUp(self):
        super().setUp()
        self.http = FakeHTTP()
        self.app = mock.Mock()
        self.app.client_manager.rating.api_client = self.http
        self.app.stdout = io.StringIO()
        self.stderr = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', self.stderr))

    def command(self, cls):
        return cls(self.app, None)

    def parse(self, cls, argv):
        cmd = self.command(cls)
        return cmd, cmd.get_parser('openstack rating').parse_args(argv)

    def take(self, cls, argv, *answers):
        """take_action: (columns, data) and the requests sent."""
        self.http.queue(*answers)
        cmd, parsed_args = self.parse(cls, argv)
        return cmd.take_action(parsed_args)

    def output(self, cls, argv, *answers):
        """What the command prints (through cliff's formatters)."""
        self.http.queue(*answers)
        cmd, parsed_args = self.parse(cls, argv)
        self.app.stdout = io.StringIO()
        self.assertEqual(0, cmd.run(parsed_args))
        return self.app.stdout.getvalue()

    def output_json(self, cls, argv, *answers):
        return json.loads(self.output(cls, argv + ['-f', 'json'], *answers))

    def parse_error(self, cls, argv):
        """The message argparse prints for a bad command line."""
        cmd = self.command(cls)
        parser = cmd.get_parser('openstack rating')
        exit = self.assertRaises(SystemExit, parser.parse_args, argv)
        self.assertEqual(2, exit.code)
        return self.stderr.getvalue()

    def assertCalls(self, *calls):
        self.assertEqual(list(calls), self.http.calls)


PRODUCT = {
    'id': '5b0d4c9e-1f7a-4e51-9d43-2d0b7f5c1a01',
    'name': 'm1.small',
    'service': 'instance',
    'region': '*',
    'match': {'flavor_name': 'm1.small'},
    'unit': 'hour',
    'on_demand_price': '0.0200',
    'monthly_price': '10.00',
    'yearly_price': None,
    'currency': 'EUR',
    'effective_from': '2026-11-01T00:00:00+00:00',
    'effective_to': None,
    'description': 'Small instance',
    'created_at': '2026-10-30T09:00:00+00:00',
    'created_by': 'admin',
    'updated_at': None,
}

ACCOUNT = {
    'project_id': 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    'currency': 'EUR',
    'balance': '87.50',
    'credit_limit': '0.00',
    'low_balance_threshold': '10.00',
    'status': 'active',
    'owed_since': None,
    'created_at': '2026-11-01T00:00:00+00:00',
    'updated_at': '2026-11-15T08:00:00+00:00',
}

TRANSACTION = {
    'id': '6c1e9d2a-4b7f-4e3a-9a1c-5d8e7f6a0b41',
    'project_id': 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    'kind': 'recharge',
    'amount': '100.00',
    'balance_after': '187.50',
    'order_id': None,
    'period_begin': None,
    'period_end': None,
    'idempotency_key': 'pay-2026-11-0042',
    'created_at': '2026-11-15T09:30:00+00:00',
    'created_by': 'admin',
    'note': 'bank transfer 0042',
}

ORDER = {
    'id': '0f3c2e1d-7a6b-4c5d-8e9f-a0b1c2d3e4f5',
    'project_id': 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    'resource_id': 'vm-1',
    'service': 'instance',
    'product_id': '5b0d4c9e-1f7a-4e51-9d43-2d0b7f5c1a01',
    'mode': 'monthly',
    'status': 'active',
    'unit_price': '10.00',
    'term_start': '2026-11-15T00:00:00+00:00',
    'term_end': '2026-12-15T00:00:00+00:00',
    'count': 1,
    'auto_renew': False,
    'renewals': 0,
    'anchor_day': 15,
    'created_at': '2026-11-15T10:00:00+00:00',
    'closed_at': None,
}
