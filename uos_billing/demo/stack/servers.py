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
"""The local stack's stand-in for ``openstack server create|delete``.

The stack has no Nova: a server is a domain of the libvirt test driver's
node file with Nova's metadata, which Ceilometer's polling agent polls
into Gnocchi (``vm.state`` on an ``instance`` resource of the owning
project), as it would a Nova server's. ``tools/stack/server`` runs this:

    tools/stack/server create --project PROJECT_ID [--flavor m1.small] NAME
    tools/stack/server delete SERVER_ID

``create`` prints the new server's id once Gnocchi has its resource.
``delete`` removes it from the node file and tells Ceilometer the way
Nova does (``compute.instance.delete.start``), which ends the Gnocchi
resource. The servers are kept in ``work/stack/stack.json`` under
``servers``, next to the stack's own ``domains``; the demo keeps both in
the node files it writes.
"""

import argparse
import base64
import dataclasses
import json
import os
import sys
import time
import uuid

import requests

from uos_billing.demo.stack import cloud as stack_cloud
from uos_billing.demo.stack import domains as node
from uos_billing.demo.stack import life

HOST = 'uosb-stack-compute'


class Servers(object):
    """The stack's servers: stack.json, the node file, the agent."""

    def __init__(self, stack_dir, transport_url, repo):
        self.stack_dir = stack_dir
        self.transport_url = transport_url
        self.repo = repo
        self.cloud = stack_cloud.Cloud(os.path.join(stack_dir, 'stack.json'))
        self.node_file = os.path.join(stack_dir, 'data', 'libvirt',
                                      'domains.xml')

    def _domains(self, key):
        return [node.Domain(**d['domain'])
                for d in self.cloud.stack.get(key, ()) if 'domain' in d]

    def _save(self, servers):
        with open(self.cloud.path) as f:
            stack = json.load(f)
        stack['servers'] = [{'id': d.id, 'domain': dataclasses.asdict(d)}
                            for d in servers]
        with open(self.cloud.path, 'w') as f:
            json.dump(stack, f, indent=2)
        self.cloud.stack = stack
        node.write_node_file(self.node_file,
                             self._domains('domains') + servers)
        life.Life(self.repo, self.node_file, {}, None, None).restart_agent()

    def _gnocchi(self, path):
        basic = base64.b64encode(b'admin:').decode()
        answer = requests.get(self.cloud.stack['gnocchi_url'] + path,
                              headers={'Authorization': 'Basic ' + basic},
                              timeout=30)
        if answer.status_code == 404:
            return None
        answer.raise_for_status()
        return answer.json()

    def _wait(self, server_id, done, what, timeout):
        deadline = time.monotonic() + timeout
        while True:
            resource = self._gnocchi('/v1/resource/instance/%s' % server_id)
            if done(resource):
                return resource
            if time.monotonic() > deadline:
                raise SystemExit('server %s: %s not seen in Gnocchi within '
                                 '%d s' % (server_id, what, timeout))
            time.sleep(1)

    def create(self, project_id, name, flavor, timeout=120):
        if flavor not in node.FLAVORS:
            raise SystemExit('unknown flavor %r (the stack has %s)' % (
                flavor, ', '.join(sorted(node.FLAVORS))))
        project = self.cloud.keystone.get(
            '/projects/%s' % project_id, raise_exc=False)
        if project.status_code == 404:
            raise SystemExit('no project %s in Keystone' % project_id)
        project.raise_for_status()
        domain = node.Domain(
            id=str(uuid.uuid4()), name=name, flavor=flavor,
            project_id=project_id,
            project_name=project.json()['project']['name'],
            user_id=self.cloud.session.get_user_id(), user_name='admin')
        self._save(self._domains('servers') + [domain])
        self._wait(domain.id, lambda r: r is not None and
                   r['project_id'] == project_id, 'its resource', timeout)
        return domain.id

    def delete(self, server_id, timeout=120):
        servers = self._domains('servers')
        gone = [d for d in servers if d.id == server_id]
        if not gone:
            raise SystemExit('no server %s (tools/stack/server create makes '
                             'them)' % server_id)
        notifier = life.nova_notifier(self.transport_url, HOST)
        life.Life(self.repo, self.node_file, {}, None,
                  notifier).delete_notification(gone[0])
        self._save([d for d in servers if d.id != server_id])
        self._wait(server_id, lambda r: r is None or r.get('ended_at'),
                   'the end of its resource', timeout)


def main(argv=None):
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__),
                                        '..', '..', '..'))
    parser = argparse.ArgumentParser(
        prog='tools/stack/server', description=__doc__.splitlines()[0])
    parser.add_argument('--stack-dir', default=os.environ.get(
        'UOS_BILLING_STACK_DIR') or os.path.join(repo, 'work', 'stack'))
    parser.add_argument('--transport-url', default=os.environ.get(
        'UOS_BILLING_STACK_TRANSPORT_URL',
        'rabbit://guest:guest@127.0.0.1:5672/'))
    commands = parser.add_subparsers(dest='command', required=True)
    create = commands.add_parser('create', help='create a server; prints '
                                 'its id once Gnocchi has it')
    create.add_argument('--project', required=True,
                        help='ID of the project that owns it')
    create.add_argument('--flavor', default='m1.small',
                        help='flavor (default m1.small): %s' % ', '.join(
                            sorted(node.FLAVORS)))
    create.add_argument('name')
    delete = commands.add_parser('delete', help='delete a server')
    delete.add_argument('server_id')
    args = parser.parse_args(argv)
    servers = Servers(args.stack_dir, args.transport_url, repo)
    if args.command == 'create':
        print(servers.create(args.project, args.name, args.flavor))
    else:
        servers.delete(args.server_id)
    return 0


if __name__ == '__main__':
    sys.exit(main())
