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
"""A Keystone stand-in served over HTTP on 127.0.0.1, for keystoneauth.

It answers what the billing API's project lookup asks, the way Keystone
does: version discovery (GET / and GET /v3), a password authentication
(POST /v3/auth/tokens: a token from keystoneauth's own fixture, with a
catalog whose identity endpoint is this server) and GET
/v3/projects/{id}. Ids are looked up without case, as a Keystone on
MariaDB does, and answered in their stored spelling. ``status`` set to
an HTTP code makes every project lookup answer it. Every request is
recorded.
"""

import threading
from wsgiref import simple_server

import fixtures
from keystoneauth1 import fixture as ks_fixture
import webob
import webob.dec

REGION = 'RegionOne'


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, *args):
        pass


class KeystoneApp(object):

    def __init__(self):
        # lower-case id -> project
        self.projects = {}
        self.requests = []
        self.status = None
        self.endpoint = None
        self.lock = threading.Lock()

    def add(self, project_id, name=None):
        self.projects[project_id.lower()] = {
            'id': project_id, 'name': name or 'project-' + project_id,
            'domain_id': 'default', 'enabled': True, 'is_domain': False,
            'parent_id': 'default', 'description': '', 'tags': [],
            'options': {}, 'links': {}}

    def lookups(self):
        """The project ids asked for, in order."""
        return [path.split('/')[-1] for method, path in self.requests
                if method == 'GET' and '/projects/' in path]

    def _version(self):
        return ks_fixture.V3Discovery(self.endpoint + '/v3/', id='v3.14',
                                      status='stable')

    def _token(self):
        token = ks_fixture.V3Token(user_id='billing', user_name='billing',
                                   project_id='service-project',
                                   project_name='service')
        token.add_role(name='admin')
        service = token.add_service('identity')
        service.add_standard_endpoints(public=self.endpoint + '/v3',
                                       internal=self.endpoint + '/v3',
                                       admin=self.endpoint + '/v3',
                                       region=REGION)
        return token

    @webob.dec.wsgify
    def __call__(self, request):
        path = request.path_info.rstrip('/')
        with self.lock:
            self.requests.append((request.method, path))
        if path == '':
            return webob.Response(status=300, json_body={
                'versions': {'values': [self._version()['version']]}})
        if path == '/v3':
            return webob.Response(json_body=self._version())
        if path == '/v3/auth/tokens' and request.method == 'POST':
            response = webob.Response(status=201, json_body=self._token())
            response.headers['X-Subject-Token'] = 'billing-token'
            return response
        if path.startswith('/v3/projects/') and request.method == 'GET':
            if self.status is not None:
                return self._error(self.status, 'stand-in failure')
            project = self.projects.get(path.split('/')[-1].lower())
            if project is None:
                return self._error(404, 'Could not find project: %s.' %
                                   path.split('/')[-1])
            return webob.Response(json_body={'project': project})
        return self._error(404, 'no route %s' % path)

    @staticmethod
    def _error(status, message):
        return webob.Response(status=status, json_body={'error': {
            'code': status, 'message': message, 'title': 'Error'}})


class KeystoneStandIn(fixtures.Fixture):
    """The stand-in served on a free port of 127.0.0.1 in a thread.

    ``endpoint`` is its root URL, ``auth_url`` its /v3, ``app`` the
    KeystoneApp holding the projects and the requests.
    """

    def _setUp(self):
        self.app = KeystoneApp()
        self.server = simple_server.make_server(
            '127.0.0.1', 0, self.app, handler_class=_QuietHandler)
        self.endpoint = 'http://127.0.0.1:%d' % self.server.server_port
        self.auth_url = self.endpoint + '/v3'
        self.app.endpoint = self.endpoint
        thread = threading.Thread(target=self.server.serve_forever,
                                  kwargs={'poll_interval': 0.05},
                                  daemon=True)
        thread.start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(thread.join, 5)
        self.addCleanup(self.server.shutdown)

    def credentials(self):
        """[billing_enforcement] options that authenticate here."""
        return {'auth_type': 'password', 'auth_url': self.auth_url,
                'username': 'billing', 'password': 'secret',
                'project_name': 'service', 'user_domain_name': 'Default',
                'project_domain_name': 'Default', 'region_name': REGION}
