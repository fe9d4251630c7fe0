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
"""The real CloudKitty API (paste pipeline, pecan v1 app) on a test DB.

Requests go through CloudKitty's own WSGI application, loaded from its
paste configuration, with the billing module mounted by CloudKitty's
ModulesExposer, exactly as cloudkitty-api serves it.
"""

import json
import os
from unittest import mock

from cloudkitty.api import app as ck_app
from cloudkitty.common import policy as ck_policy
from cloudkitty import messaging
import cloudkitty.tests.gabbi
import fixtures
from keystonemiddleware import fixture as ksm_fixture
from oslo_policy import opts as policy_opts
from oslo_utils import uuidutils
import webob

from uos_billing.tests import base

PASTE = os.path.join(os.path.dirname(cloudkitty.tests.gabbi.__file__),
                     'gabbi_paste.ini')
PREFIX = '/v1/rating/module_config/billing'


def load_app(conf, auth_strategy):
    """CloudKitty's API as its paste file builds it, on conf."""
    conf.import_group('api', 'cloudkitty.api.app')
    conf.import_group('storage', 'cloudkitty.storage')
    conf.set_override('auth_strategy', auth_strategy)
    conf.set_override('api_paste_config', PASTE)
    conf.set_override('backend', 'sqlalchemy', 'storage')
    conf.set_override('version', 1, 'storage')
    ck_policy.reset()
    messaging.setup()
    # CloudKitty's own gabbi fixtures do the same: the API does not collect.
    with mock.patch('cloudkitty.collector.get_collector', return_value=None):
        return ck_app.load_app()


class Answer(object):

    def __init__(self, response):
        self.status = response.status_int
        self.headers = response.headers
        self.text = response.text
        try:
            self.json = json.loads(response.text) if response.text else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return '<%d %s>' % (self.status, self.text)


class APITestCase(base.DBTestCase):
    """Calls the served API: self.call(method, path, body, headers)."""

    core_tables = True
    auth_strategy = 'noauth'

    def setUp(self):
        super().setUp()
        # An operator's policy file that overrides nothing: the defaults
        # registered in code apply.
        policy_file = os.path.join(self.useFixture(fixtures.TempDir()).path,
                                   'policy.yaml')
        with open(policy_file, 'w') as out:
            out.write('{}\n')
        policy_opts.set_defaults(self.conf, policy_file=policy_file)
        # oslo.policy looks its file up through the parsed configuration.
        self.conf([], project='cloudkitty', default_config_files=[])
        self.addCleanup(ck_policy.reset)
        self.configure()
        self.app = load_app(self.conf, self.auth_strategy)
        self.headers = {}

    def configure(self):
        """Set more options before the application is loaded."""

    def call(self, method, path, body=None, headers=None, raw=None):
        request = webob.Request.blank(
            path if path.startswith('/v1/') else PREFIX + path,
            method=method)
        request.headers.update(self.headers)
        request.headers.update(headers or {})
        if body is not None or raw is not None:
            request.body = (raw if raw is not None
                            else json.dumps(body).encode())
            request.content_type = 'application/json'
        return Answer(request.get_response(self.app))

    def ok(self, method, path, body=None, status=200, **kwargs):
        answer = self.call(method, path, body, **kwargs)
        self.assertEqual(status, answer.status, answer.text)
        return answer.json


class KeystoneAPITestCase(APITestCase):
    """The API behind keystonemiddleware's auth_token, with fake tokens.

    The middleware really runs (token validation, X-Project-Id and
    X-Roles headers, 401 without a token); only Keystone's answer to the
    token lookup is made up, by keystonemiddleware's own fixture.
    """

    auth_strategy = 'keystone'

    def setUp(self):
        self.tokens = self.useFixture(ksm_fixture.AuthTokenFixture())
        super().setUp()

    def configure(self):
        # Where a refused client is sent to get a token (401 answers).
        self.conf.set_override('www_authenticate_uri',
                               'http://127.0.0.1:5000/v3',
                               'keystone_authtoken')

    def token(self, project_id, roles, user_id=None):
        token_id = uuidutils.generate_uuid(dashed=False)
        self.tokens.add_token_data(
            token_id=token_id, project_id=project_id,
            user_id=user_id or 'user-' + project_id, role_list=roles)
        return token_id

    def as_(self, token):
        return {'X-Auth-Token': token}
