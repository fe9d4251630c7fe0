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
"""The local stack's Keystone contents, after ``keystone-manage bootstrap``.

Usage: python keystone_setup.py KEYSTONE_URL ADMIN_PASSWORD SERVICE_PASSWORD
MEMBER_PASSWORD CLOUDKITTY_URL GNOCCHI_URL OUTPUT_JSON

Idempotent (finds before it creates): the ``service`` project with the
``cloudkitty`` user (admin there), the ``rating`` role, two projects
``billing-a`` and ``billing-b`` with one member each (``alice``, ``bob``)
and the ``cloudkitty`` user holding ``rating`` on both (CloudKitty's
keystone fetcher rates those projects), and catalog entries for CloudKitty
(``rating``) and Gnocchi (``metric``). Writes what the tests need to
OUTPUT_JSON. Plain REST with ``requests`` (Keystone's virtualenv has it).
"""

import json
import sys

import requests


class Keystone(object):
    def __init__(self, url, password):
        self.url = url.rstrip('/')
        body = {'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {
                'name': 'admin', 'domain': {'id': 'default'},
                'password': password}}},
            'scope': {'project': {'name': 'admin',
                                  'domain': {'id': 'default'}}}}}
        r = requests.post(self.url + '/auth/tokens', json=body, timeout=30)
        r.raise_for_status()
        self.headers = {'X-Auth-Token': r.headers['X-Subject-Token']}

    def call(self, method, path, **kwargs):
        r = requests.request(method, self.url + path, headers=self.headers,
                             timeout=30, **kwargs)
        r.raise_for_status()
        return r.json() if r.content else None

    def ensure(self, collection, key, name, extra=None, query=None):
        params = dict(query or {}, name=name)
        found = self.call('GET', '/' + collection, params=params)[collection]
        if found:
            return found[0]
        body = dict(extra or {}, name=name)
        return self.call('POST', '/' + collection, json={key: body})[key]

    def grant(self, project, user, role):
        self.call('PUT', '/projects/%s/users/%s/roles/%s' % (
            project['id'], user['id'], role['id']))

    def endpoint(self, service, interface, url):
        found = self.call('GET', '/endpoints', params={
            'service_id': service['id'], 'interface': interface})['endpoints']
        if not found:
            self.call('POST', '/endpoints', json={'endpoint': {
                'service_id': service['id'], 'interface': interface,
                'url': url, 'region_id': 'RegionOne', 'enabled': True}})


def main(argv):
    (url, admin_password, service_password, member_password, cloudkitty_url,
     gnocchi_url, output) = argv
    ks = Keystone(url, admin_password)
    dom = {'domain_id': 'default'}
    roles = {name: ks.ensure('roles', 'role', name)
             for name in ('admin', 'member', 'reader', 'rating')}
    service = ks.ensure('projects', 'project', 'service', dom)
    cloudkitty = ks.ensure('users', 'user', 'cloudkitty', dict(
        dom, password=service_password, default_project_id=service['id']))
    ks.grant(service, cloudkitty, roles['admin'])
    projects = {}
    for project_name, user_name in (('billing-a', 'alice'),
                                    ('billing-b', 'bob')):
        project = ks.ensure('projects', 'project', project_name, dom)
        user = ks.ensure('users', 'user', user_name, dict(
            dom, password=member_password, default_project_id=project['id']))
        ks.grant(project, user, roles['member'])
        ks.grant(project, user, roles['reader'])
        ks.grant(project, cloudkitty, roles['rating'])
        projects[project_name] = {'id': project['id'], 'member': user_name,
                                  'member_id': user['id']}
    for name, type_, endpoint in (('cloudkitty', 'rating', cloudkitty_url),
                                  ('gnocchi', 'metric', gnocchi_url)):
        found = ks.call('GET', '/services', params={'type': type_})
        svc = (found['services'][0] if found['services'] else
               ks.call('POST', '/services', json={'service': {
                   'name': name, 'type': type_, 'enabled': True}})['service'])
        for interface in ('public', 'internal', 'admin'):
            ks.endpoint(svc, interface, endpoint)
    try:
        with open(output) as f:
            stack = json.load(f)
    except (OSError, ValueError):
        stack = {}
    stack.update({'keystone_url': url, 'cloudkitty_url': cloudkitty_url,
                  'gnocchi_url': gnocchi_url, 'projects': projects,
                  'member_password': member_password,
                  'admin_password': admin_password,
                  'service_project_id': service['id']})
    with open(output, 'w') as f:
        json.dump(stack, f, indent=2)


if __name__ == '__main__':
    main(sys.argv[1:])
