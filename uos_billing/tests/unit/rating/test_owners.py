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
"""A term is bought only for a live resource of the ordering project.

Through the served API behind keystonemiddleware (tokens of project A's
and B's members, and of an admin), with gnocchiclient's Client replaced
at its boundary by an in-memory Gnocchi that evaluates the searches it
is sent; the metrics are the shipped etc/cloudkitty/metrics.yml.
"""

import os

import fixtures
from gnocchiclient import auth as gnocchi_auth
from gnocchiclient import exceptions as gexceptions

from uos_billing.tests.unit.rating.api import base

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))))
METRICS = os.path.join(REPO, 'etc', 'cloudkitty', 'metrics.yml')
VM_A = '6f1c1b1e-0a6e-4d6e-9a52-2c2f9e0d6a01'
VM_B = '0b3e6c52-8f14-4f0e-8d7c-5a3f1e2d9b02'
VM_ENDED = '9d2f1c3b-4a5e-4f6a-8b7c-1d2e3f4a5b03'
NOBODY = 'c0ffee00-0000-4000-8000-000000000000'
MEMBER = ['member', 'reader']


def matches(row, query):
    [(op, arg)] = query.items()
    if op == 'and':
        return all(matches(row, q) for q in arg)
    if op == '=':
        [(key, value)] = arg.items()
        return row.get(key) == value
    raise AssertionError('unexpected operator %s' % op)


class FakeResources(object):

    def __init__(self, gnocchi):
        self.gnocchi = gnocchi

    def search(self, resource_type='generic', query=None, details=False,
               history=False, limit=None, marker=None, sorts=None):
        self.gnocchi.searches.append((resource_type, query))
        if self.gnocchi.error is not None:
            raise self.gnocchi.error
        if resource_type not in self.gnocchi.types:
            raise gexceptions.ResourceTypeNotFound(
                404, 'Resource type %s does not exist' % resource_type)
        rows = [r for r in self.gnocchi.types[resource_type]
                if matches(r, query)]
        return rows[:limit]


class FakeGnocchi(object):
    """gnocchiclient.client.Client's resource.search, in memory."""

    def __init__(self):
        self.types = {'instance': []}
        self.searches = []
        self.error = None
        self.made = []
        self.resource = FakeResources(self)

    def add(self, resource_id, project_id, ended_at=None):
        self.types['instance'].append({
            'id': resource_id, 'project_id': project_id, 'type': 'instance',
            'started_at': '2026-11-01T00:00:00+00:00',
            'ended_at': ended_at, 'flavor_name': 'm1.small'})

    def client(self, version, session=None, adapter_options=None):
        self.made.append((version, session, adapter_options))
        return self


class OwnersCase(base.KeystoneAPITestCase):

    def configure(self):
        super().configure()
        self.gnocchi = FakeGnocchi()
        self.gnocchi.add(VM_A, 'project-a')
        self.gnocchi.add(VM_B, 'project-b')
        self.gnocchi.add(VM_ENDED, 'project-a',
                         ended_at='2026-11-10T08:00:00+00:00')
        self.useFixture(fixtures.MonkeyPatch(
            'gnocchiclient.client.Client', self.gnocchi.client))
        self.conf.set_override('resource_owner_source', 'gnocchi', 'billing')
        self.conf.set_override('metrics_conf', METRICS, 'collect')
        self.conf.set_override('gnocchi_auth_type', 'basic',
                               'collector_gnocchi')
        self.conf.set_override('gnocchi_user', 'admin', 'collector_gnocchi')
        self.conf.set_override('gnocchi_endpoint', 'http://gnocchi:8041',
                               'collector_gnocchi')

    def setUp(self):
        super().setUp()
        self.admin = self.as_(self.token('admin-project', ['admin',
                                                           'member']))
        self.a = self.as_(self.token('project-a', MEMBER))
        self.b = self.as_(self.token('project-b', MEMBER))
        self.product = self.ok('POST', '/products', {
            'name': 'm1.small', 'service': 'instance',
            'on_demand_price': '0.02', 'monthly_price': '500.00',
            'effective_from': '2026-01-01T00:00:00Z'}, status=201,
            headers=self.admin)
        for project in ('project-a', 'project-b'):
            self.ok('POST', '/accounts/%s/recharge' % project,
                    {'amount': '1000'}, status=201, headers=self.admin)

    def buy(self, resource_id, headers, **extra):
        return self.call('POST', '/orders', dict({
            'resource_id': resource_id, 'service': 'instance',
            'product_id': self.product['id'], 'mode': 'monthly',
            'count': 1}, **extra), headers=headers)

    def balance(self, project):
        return self.ok('GET', '/accounts/' + project,
                       headers=self.admin)['balance']

    def orders(self, project):
        return [o for o in self.db.list_orders(project)
                if o['mode'] != 'on_demand']


class TestBuy(OwnersCase):

    def test_the_owner_buys_its_own_vm(self):
        answer = self.buy(VM_A, self.a)
        self.assertEqual(201, answer.status, answer.text)
        self.assertEqual('500.0000000000', self.balance('project-a'))
        # Searched as the collector searches: the metric's resource type,
        # its resource_key and CloudKitty's scope_key.
        self.assertEqual([('instance', {'and': [
            {'=': {'id': VM_A}}, {'=': {'project_id': 'project-a'}}]})],
            self.gnocchi.searches)
        # The client is built from [collector_gnocchi] as CloudKitty's
        # Gnocchi collector builds its own.
        [(version, session, adapter)] = self.gnocchi.made
        self.assertEqual('1', version)
        self.assertIsInstance(session.auth, gnocchi_auth.GnocchiBasicPlugin)
        self.assertEqual({'connect_retries': 3, 'region_name': 'RegionOne'},
                         adapter)

    def test_another_projects_vm_is_not_found_and_nothing_is_paid(self):
        answer = self.buy(VM_A, self.b)
        self.assertEqual(404, answer.status, answer.text)
        self.assertEqual(
            'resource %s not found: project project-b has no instance '
            'resource with this id' % VM_A, answer.json['error']['message'])
        self.assertEqual('1000.0000000000', self.balance('project-b'))
        self.assertEqual([], self.orders('project-b'))

    def test_unknown_vm_reads_the_same_as_another_projects(self):
        theirs = self.buy(VM_A, self.b).json['error']['message']
        unknown = self.buy(NOBODY, self.b).json['error']['message']
        self.assertEqual(theirs.replace(VM_A, NOBODY), unknown)
        self.assertEqual([], self.orders('project-b'))

    def test_blank_resource_id_is_400_without_asking_gnocchi(self):
        for blank in ('   ', '', '\t'):
            answer = self.buy(blank, self.a)
            self.assertEqual(400, answer.status, answer.text)
            self.assertEqual('resource_id', answer.json['error']['field'])
            # A tab is a control character, refused by the schema first.
            self.assertEqual(
                'resource_id: contains the control character U+0009: '
                'control characters (tab and newline too) are not allowed '
                'here (at character 1)' if blank == '\t' else
                'resource_id: must not be empty or blank',
                answer.json['error']['message'])
        self.assertEqual([], self.gnocchi.searches)
        self.assertEqual('1000.0000000000', self.balance('project-a'))

    def test_an_id_gnocchi_cannot_hold_is_not_found_without_asking(self):
        answer = self.buy('a/b', self.a)
        self.assertEqual(404, answer.status, answer.text)
        self.assertEqual([], self.gnocchi.searches)

    def test_an_ended_vm_is_a_conflict(self):
        answer = self.buy(VM_ENDED, self.a)
        self.assertEqual(409, answer.status, answer.text)
        self.assertEqual(
            'resource %s ended at 2026-11-10T08:00:00+00:00: no term can be '
            'bought for it' % VM_ENDED, answer.json['error']['message'])
        self.assertEqual([], self.orders('project-a'))

    def test_another_projects_ended_vm_is_not_found(self):
        answer = self.buy(VM_ENDED, self.b)
        self.assertEqual(404, answer.status, answer.text)

    def test_admin_buys_for_the_project_that_owns_the_vm_only(self):
        answer = self.buy(VM_A, self.admin, project_id='project-b')
        self.assertEqual(404, answer.status, answer.text)
        self.assertEqual('1000.0000000000', self.balance('project-b'))
        answer = self.buy(VM_A, self.admin, project_id='project-a')
        self.assertEqual(201, answer.status, answer.text)
        self.assertEqual('project-a', answer.json['project_id'])

    def test_gnocchi_failing_is_503_and_nothing_is_paid(self):
        for error in (gexceptions.ConnectionFailure(
                message='Unable to establish connection'),
                gexceptions.ClientException(500, 'internal error'),
                gexceptions.ClientException(503, 'unavailable')):
            self.gnocchi.error = error
            answer = self.buy(VM_A, self.a)
            self.assertEqual(503, answer.status, answer.text)
            self.assertEqual(
                'cannot check resource %s in Gnocchi: Gnocchi did not answer '
                '(%s); nothing was bought' % (VM_A, error),
                answer.json['error']['message'])
        self.assertEqual('1000.0000000000', self.balance('project-a'))
        self.assertEqual([], self.orders('project-a'))

    def test_a_service_without_metric_is_400(self):
        self.ok('POST', '/products', {
            'name': 'gpu', 'service': 'gpu', 'on_demand_price': '1',
            'monthly_price': '10', 'effective_from': '2026-01-01T00:00:00Z'},
            status=201, headers=self.admin)
        gpu = [p for p in self.ok('GET', '/products', headers=self.admin)[
            'products'] if p['service'] == 'gpu'][0]
        answer = self.buy(VM_A, self.a, service='gpu', product_id=gpu['id'])
        self.assertEqual(400, answer.status, answer.text)
        self.assertEqual('service', answer.json['error']['field'])

    def test_a_resource_type_gnocchi_lacks_is_503(self):
        del self.gnocchi.types['instance']
        answer = self.buy(VM_A, self.a)
        self.assertEqual(503, answer.status, answer.text)
        self.assertIn('Gnocchi has no resource type instance '
                      '(extra_args.resource_type of metric vm.state',
                      answer.json['error']['message'])

    def test_unreadable_metrics_conf_is_503_naming_the_option(self):
        self.conf.set_override('metrics_conf', '/nonexistent/metrics.yml',
                               'collect')
        answer = self.buy(VM_A, self.a)
        self.assertEqual(503, answer.status, answer.text)
        self.assertIn('[collect] metrics_conf /nonexistent/metrics.yml',
                      answer.json['error']['message'])


class TestHoldConfirmation(OwnersCase):
    """The admission filter's confirmation is not looked up in Gnocchi."""

    def test_a_server_gnocchi_does_not_know_yet_is_confirmed(self):
        hold = self.ok('POST', '/holds', {
            'project_id': 'project-a', 'service': 'instance',
            'mode': 'monthly', 'count': 1,
            'product_id': self.product['id']}, status=201,
            headers=self.admin)
        order = self.ok('POST', '/holds/%s/confirm' % hold['id'],
                        {'resource_id': NOBODY}, status=201,
                        headers=self.admin)
        self.assertEqual(NOBODY, order['resource_id'])
        self.assertEqual([], self.gnocchi.searches)

    def test_a_blank_resource_is_400(self):
        hold = self.ok('POST', '/holds', {
            'project_id': 'project-a', 'service': 'instance',
            'mode': 'monthly', 'count': 1,
            'product_id': self.product['id']}, status=201,
            headers=self.admin)
        answer = self.call('POST', '/holds/%s/confirm' % hold['id'],
                           {'resource_id': '  '}, headers=self.admin)
        self.assertEqual(400, answer.status, answer.text)
        self.assertEqual('resource_id', answer.json['error']['field'])
