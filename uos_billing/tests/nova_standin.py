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
"""A Nova API stand-in served over HTTP on 127.0.0.1, for openstacksdk.

It answers what the enforcement ladder asks, the way Nova does: version
discovery (GET / and GET /v2.1), GET /v2.1/servers/detail (all_tenants
and project_id filters), GET /v2.1/servers/{id}, and POST
/v2.1/servers/{id}/action with os-stop (ACTIVE -> SHUTOFF, else 409) or
os-start (SHUTOFF -> ACTIVE, else 409). Every request is recorded.
"""

import json
import threading
from wsgiref import simple_server

import fixtures
import webob
import webob.dec

VERSION = {
    'id': 'v2.1', 'status': 'CURRENT', 'version': '2.96',
    'min_version': '2.1', 'updated': '2013-07-23T11:33:21Z',
}


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, *args):
        pass


class NovaApp(object):

    def __init__(self):
        # id -> {'id', 'project_id', 'status'}
        self.servers = {}
        self.requests = []
        self.lock = threading.Lock()
        self.endpoint = None

    def add(self, server_id, project_id, status='ACTIVE'):
        self.servers[server_id] = {'id': server_id, 'project_id': project_id,
                                   'status': status}

    def actions(self):
        """(action, server id) of the os-stop / os-start requests."""
        return [(action, server_id) for method, server_id, action
                in self.requests if method == 'POST']

    def statuses(self):
        return {i: s['status'] for i, s in sorted(self.servers.items())}

    def _links(self):
        return [{'rel': 'self', 'href': self.endpoint + '/v2.1/'}]

    @webob.dec.wsgify
    def __call__(self, request):
        path = request.path_info.rstrip('/')
        if path == '':
            return webob.Response(json_body={'versions': [
                dict(VERSION, links=self._links())]})
        if path == '/v2.1':
            return webob.Response(json_body={
                'version': dict(VERSION, links=self._links())})
        parts = path.split('/')[2:]
        with self.lock:
            if parts == ['servers', 'detail'] and request.method == 'GET':
                return self._list(request)
            if len(parts) == 2 and parts[0] == 'servers' and \
                    request.method == 'GET':
                self.requests.append(('GET', parts[1], None))
                server = self.servers.get(parts[1])
                if server is None:
                    return self._error(404, 'itemNotFound', 'not found')
                return webob.Response(json_body={'server': self._view(
                    server)})
            if len(parts) == 3 and parts[2] == 'action' and \
                    request.method == 'POST':
                return self._action(parts[1], json.loads(request.body))
        return self._error(404, 'itemNotFound', 'no route %s' % path)

    def _list(self, request):
        project_id = request.GET.get('project_id')
        self.requests.append(('LIST', project_id,
                              request.GET.get('all_tenants')))
        servers = [self._view(s) for _, s in sorted(self.servers.items())
                   if project_id is None or s['project_id'] == project_id]
        return webob.Response(json_body={'servers': servers})

    def _action(self, server_id, body):
        [action] = list(body)
        self.requests.append(('POST', server_id, action))
        server = self.servers.get(server_id)
        if server is None:
            return self._error(404, 'itemNotFound', 'no server')
        wanted = {'os-stop': ('ACTIVE', 'SHUTOFF'),
                  'os-start': ('SHUTOFF', 'ACTIVE')}.get(action)
        if wanted is None:
            return self._error(400, 'badRequest', 'unknown action')
        if server['status'] != wanted[0]:
            return self._error(
                409, 'conflictingRequest', "Cannot '%s' instance %s while "
                "it is in vm_state %s" % (action, server_id,
                                          server['status']))
        server['status'] = wanted[1]
        return webob.Response(status=202)

    @staticmethod
    def _view(server):
        return {'id': server['id'], 'name': 'vm-' + server['id'],
                'status': server['status'],
                'tenant_id': server['project_id'], 'links': []}

    @staticmethod
    def _error(status, kind, message):
        return webob.Response(status=status, json_body={
            kind: {'code': status, 'message': message}})


class NovaStandIn(fixtures.Fixture):
    """The stand-in served on a free port of 127.0.0.1 in a thread.

    ``endpoint`` is its root URL (http://127.0.0.1:PORT), ``app`` the
    NovaApp holding the servers and the requests.
    """

    def _setUp(self):
        self.app = NovaApp()
        self.server = simple_server.make_server(
            '127.0.0.1', 0, self.app, handler_class=_QuietHandler)
        self.endpoint = 'http://127.0.0.1:%d' % self.server.server_port
        self.app.endpoint = self.endpoint
        thread = threading.Thread(target=self.server.serve_forever,
                                  kwargs={'poll_interval': 0.05},
                                  daemon=True)
        thread.start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(thread.join, 5)
        self.addCleanup(self.server.shutdown)
