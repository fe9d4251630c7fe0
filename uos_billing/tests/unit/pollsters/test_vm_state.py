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
"""Unit tests of the vm.state pollster, libvirt mocked as Ceilometer does."""

import logging
from unittest import mock

import fixtures
from oslotest import base
import testscenarios

from ceilometer.compute import discovery
from ceilometer import sample
from ceilometer import service

from uos_billing.pollsters import vm_state
from uos_billing.tests.unit.pollsters import fakes

UTILS = 'ceilometer.compute.virt.libvirt.utils'
USER = 'a1f4684e58bd4c88aefd2ecb0783b497'
PROJECT = 'd99c829753f64057bc0f2030da309943'
IMAGE = 'bdaf114a-35e9-4163-accd-226d5944bf11'
UUID1 = '11111111-2222-3333-4444-555555555501'
UUID2 = '11111111-2222-3333-4444-555555555502'
UUID3 = '11111111-2222-3333-4444-555555555503'
FLAVOR = {'id': 'eba4213d-3c6c-4b5f-8158-dd0022d71d62', 'name': 'm1.small',
          'vcpus': 2, 'ram': 2048, 'disk': 20, 'ephemeral': 0, 'swap': 0}


def make_instance(uuid, display_name='vm-1', domain_name='instance-0001',
                  **overrides):
    """An instance as Ceilometer's libvirt_metadata discovery builds it."""
    fields = {
        'id': uuid,
        'name': display_name,
        'flavor': dict(FLAVOR),
        'image': {'id': IMAGE},
        'os_type': 'hvm',
        'architecture': 'x86_64',
        'OS-EXT-SRV-ATTR:instance_name': domain_name,
        'OS-EXT-SRV-ATTR:host': 'compute-1',
        'OS-EXT-STS:vm_state': 'active',
        'tenant_id': PROJECT,
        'user_id': USER,
        'hostId': 'c0ffee',
        'status': 'active',
        'metadata': {},
    }
    fields.update(overrides)
    return discovery.NovaLikeServer(**fields)


def expected_metadata(uuid, state_name, reason, reason_code,
                      display_name='vm-1', domain_name='instance-0001'):
    return {
        # Ceilometer's standard instance metadata
        'display_name': display_name,
        'name': domain_name,
        'instance_id': uuid,
        'instance_type': 'm1.small',
        'host': 'c0ffee',
        'instance_host': 'compute-1',
        'flavor': FLAVOR,
        'status': 'active',
        'state': 'active',
        'task_state': '',
        'image': {'id': IMAGE},
        'image_ref': IMAGE,
        'image_ref_url': None,
        'architecture': 'x86_64',
        'os_type': 'hvm',
        'vcpus': 2,
        'memory_mb': 2048,
        'disk_gb': 20,
        'ephemeral_gb': 0,
        'root_gb': 20,
        # added by vm.state
        'flavor_id': 'eba4213d-3c6c-4b5f-8158-dd0022d71d62',
        'flavor_name': 'm1.small',
        'ram': 2048,
        'disk': 20,
        'state_name': state_name,
        'state_reason': reason,
        'state_reason_code': reason_code,
    }


def sample_dict(s):
    d = s.as_dict()
    for volatile in ('id', 'monotonic_time'):
        del d[volatile]
    return d


def expected_sample(uuid, volume, metadata):
    return {
        'name': 'vm.state', 'type': 'gauge', 'unit': 'state',
        'volume': volume, 'user_id': USER, 'user_name': None,
        'project_id': PROJECT, 'project_name': None, 'resource_id': uuid,
        'timestamp': None, 'resource_metadata': metadata,
        'source': 'openstack',
    }


class TestVMStateBase(base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.CONF = service.prepare_service([], [])
        self.libvirt = fakes.fake_libvirt_module()
        self.useFixture(fixtures.MockPatch(UTILS + '.libvirt', self.libvirt))
        self.conn = fakes.FakeConnection()
        self.connect = self.useFixture(fixtures.MockPatch(
            UTILS + '.new_libvirt_connection',
            side_effect=lambda conf: self.conn)).mock
        # Ceilometer's retry_on_disconnect waits 3 s, 6 s between tries.
        for method in (vm_state.VMStatePollster._read_state,
                       vm_state.VMStatePollster._connect):
            self.useFixture(fixtures.MockPatchObject(method.retry, 'sleep'))
        self.log = self.useFixture(fixtures.MockPatchObject(
            vm_state, 'LOG')).mock
        self.pollster = vm_state.VMStatePollster(self.CONF)

    def add_domain(self, uuid, state=1, reason=1, error=None):
        domain = fakes.FakeDomain(uuid, 'instance-x', state, reason,
                                  error=error)
        self.conn.domains.append(domain)
        return domain

    def poll(self, instances):
        return list(self.pollster.get_samples(mock.Mock(), {}, instances))

    def logged(self, level):
        return [c for c in self.log.log.call_args_list if c[0][0] == level]


class TestStateCodes(testscenarios.WithScenarios, TestVMStateBase):
    """Every libvirt state code, volume and names in the sample."""

    scenarios = [
        ('nostate', dict(state=0, reason=0, name='nostate', why='unknown')),
        ('running', dict(state=1, reason=1, name='running', why='booted')),
        ('running-unpaused', dict(state=1, reason=5, name='running',
                                  why='unpaused')),
        ('blocked', dict(state=2, reason=0, name='blocked', why='unknown')),
        ('paused', dict(state=3, reason=1, name='paused', why='user')),
        ('shutting-down', dict(state=4, reason=1, name='shutdown',
                               why='user')),
        ('shut-off', dict(state=5, reason=1, name='shutoff',
                          why='shutdown')),
        ('shut-off-destroyed', dict(state=5, reason=2, name='shutoff',
                                    why='destroyed')),
        ('crashed', dict(state=6, reason=1, name='crashed', why='panicked')),
        ('pm-suspended', dict(state=7, reason=0, name='pmsuspended',
                              why='unknown')),
        ('unknown-state', dict(state=42, reason=3, name='unknown',
                               why='unknown')),
        ('unknown-reason', dict(state=5, reason=99, name='shutoff',
                                why='unknown')),
    ]

    def test_sample(self):
        self.add_domain(UUID1, self.state, self.reason)
        samples = self.poll([make_instance(UUID1)])
        self.assertEqual(
            [expected_sample(UUID1, self.state, expected_metadata(
                UUID1, self.name, self.why, self.reason))],
            [sample_dict(s) for s in samples])
        self.assertIsInstance(samples[0], sample.Sample)
        self.assertEqual([], self.log.log.call_args_list)


class TestVMStatePollster(TestVMStateBase):

    def test_default_discovery(self):
        self.assertEqual('local_instances', self.pollster.default_discovery)

    def test_one_sample_per_domain_shut_off_included(self):
        self.add_domain(UUID1, 1, 1)
        self.add_domain(UUID2, 5, 1)
        self.add_domain(UUID3, 3, 1)
        instances = [make_instance(UUID1), make_instance(UUID2, 'vm-2'),
                     make_instance(UUID3, 'vm-3')]
        samples = self.poll(instances)
        self.assertEqual(
            [(UUID1, 1, 'running'), (UUID2, 5, 'shutoff'),
             (UUID3, 3, 'paused')],
            [(s.resource_id, s.volume, s.resource_metadata['state_name'])
             for s in samples])
        self.assertEqual(['vm-1', 'vm-2', 'vm-3'],
                         [s.resource_metadata['display_name']
                          for s in samples])
        # every cycle, one sample per domain
        self.assertEqual(3, len(self.poll(instances)))

    def test_connection_reused(self):
        self.add_domain(UUID1)
        self.poll([make_instance(UUID1)])
        self.poll([make_instance(UUID1)])
        self.assertEqual(1, self.connect.call_count)

    def test_domain_gone_before_lookup(self):
        # Listed by the discovery, undefined before the pollster reads it.
        self.add_domain(UUID2, 5, 2)
        instances = [make_instance(UUID1), make_instance(UUID2, 'vm-2')]
        for cycle in range(3):
            samples = self.poll(instances)
            self.assertEqual([UUID2], [s.resource_id for s in samples])
        self.assertEqual(1, len(self.logged(logging.INFO)))
        self.assertEqual([], self.logged(logging.WARNING))
        msg, args = self.logged(logging.INFO)[0][0][1:]
        self.assertIn('is gone', msg % args)
        self.assertIn(UUID1, msg % args)

    def test_domain_gone_between_lookup_and_state(self):
        self.add_domain(UUID1, error=fakes.no_domain(UUID1))
        self.add_domain(UUID2, 1, 1)
        instances = [make_instance(UUID1), make_instance(UUID2, 'vm-2')]
        for cycle in range(2):
            self.assertEqual([UUID2], [s.resource_id
                                       for s in self.poll(instances)])
        self.assertEqual(1, len(self.logged(logging.INFO)))

    def test_libvirt_error_on_one_domain(self):
        broken = self.add_domain(UUID1, error=fakes.FakeLibvirtError(
            'internal error: cannot read state',
            fakes.VIR_ERR_OPERATION_FAILED))
        self.add_domain(UUID2, 3, 1)
        instances = [make_instance(UUID1), make_instance(UUID2, 'vm-2')]
        for cycle in range(3):
            samples = self.poll(instances)
            self.assertEqual([(UUID2, 3)],
                             [(s.resource_id, s.volume) for s in samples])
        warnings = self.logged(logging.WARNING)
        self.assertEqual(1, len(warnings))
        msg, args = warnings[0][0][1:]
        self.assertEqual(
            'vm.state: libvirt failed on domain %s, no sample: internal '
            'error: cannot read state' % UUID1, msg % args)
        # recovered: sampled again, said once
        broken.error = None
        samples = self.poll(instances)
        self.assertEqual([UUID1, UUID2], [s.resource_id for s in samples])
        self.assertEqual(1, self.log.info.call_count)
        self.poll(instances)
        self.assertEqual(1, self.log.info.call_count)

    def test_fault_logged_again_after_recovery_or_absence(self):
        broken = self.add_domain(UUID1, error=fakes.FakeLibvirtError(
            'boom', fakes.VIR_ERR_OPERATION_FAILED))
        instance = make_instance(UUID1)
        self.poll([instance])
        self.poll([])             # not polled: its fault is forgotten
        self.poll([instance])
        self.assertEqual(2, len(self.logged(logging.WARNING)))
        broken.error = None
        self.poll([instance])
        broken.error = fakes.FakeLibvirtError(
            'boom', fakes.VIR_ERR_OPERATION_FAILED)
        self.poll([instance])
        self.assertEqual(3, len(self.logged(logging.WARNING)))

    def test_instance_without_nova_metadata(self):
        self.add_domain(UUID1)
        self.add_domain(UUID2)
        self.add_domain(UUID3)
        instances = [make_instance(UUID1, flavor=None),
                     make_instance(UUID2, 'vm-2'),
                     make_instance(UUID3, user_id=None)]
        for cycle in range(2):
            self.assertEqual([UUID2], [s.resource_id
                                       for s in self.poll(instances)])
        warnings = self.logged(logging.WARNING)
        self.assertEqual(2, len(warnings))
        self.assertEqual(
            ['vm.state: instance %s lacks Nova metadata, no sample: '
             'no flavor' % UUID1,
             'vm.state: instance %s lacks Nova metadata, no sample: '
             'no user_id' % UUID3],
            [c[0][1] % c[0][2] for c in warnings])

    def test_flavor_missing_values(self):
        self.add_domain(UUID1)
        flavor = dict(FLAVOR)
        del flavor['ram']
        flavor['disk'] = None
        self.assertEqual([], self.poll([make_instance(UUID1, flavor=flavor)]))
        msg, args = self.logged(logging.WARNING)[0][0][1:]
        self.assertTrue((msg % args).endswith('no flavor ram, disk'))

    def test_unexpected_error_on_one_domain(self):
        self.add_domain(UUID1, error=RuntimeError('odd'))
        self.add_domain(UUID2)
        instances = [make_instance(UUID1), make_instance(UUID2, 'vm-2')]
        for cycle in range(2):
            self.assertEqual([UUID2], [s.resource_id
                                       for s in self.poll(instances)])
        warnings = self.logged(logging.WARNING)
        self.assertEqual(1, len(warnings))
        self.assertEqual('vm.state: cannot sample domain %s: RuntimeError: '
                         'odd' % UUID1, warnings[0][0][1] % warnings[0][0][2])

    def test_reconnects_after_dropped_connection(self):
        old = self.conn
        old.domains.append(fakes.FakeDomain(UUID1, 'x', 1, 1,
                                            error=fakes.disconnected()))
        self.poll([])
        new = fakes.FakeConnection([fakes.FakeDomain(UUID1, 'x', 3, 1)])

        def drop(uuid):
            old.alive = False
            self.conn = new
            raise fakes.disconnected()
        old.lookupByUUIDString = drop
        samples = self.poll([make_instance(UUID1)])
        self.assertEqual([(UUID1, 3)],
                         [(s.resource_id, s.volume) for s in samples])
        self.assertEqual(2, self.connect.call_count)
        self.assertEqual([], self.log.log.call_args_list)

    def test_connection_down_ends_cycle_not_agent(self):
        self.add_domain(UUID1)
        self.connect.side_effect = fakes.disconnected()
        for cycle in range(3):
            self.assertEqual([], self.poll([make_instance(UUID1)]))
        errors = self.logged(logging.ERROR)
        self.assertEqual(1, len(errors))
        self.assertEqual(3 * 3, self.connect.call_count)   # 3 tries a cycle
        # back: sampled again, said once
        self.connect.side_effect = lambda conf: self.conn
        self.assertEqual(1, len(self.poll([make_instance(UUID1)])))
        self.assertEqual(1, self.log.info.call_count)

    def test_connection_lost_mid_cycle(self):
        self.add_domain(UUID1, 1, 1)
        dropping = self.add_domain(UUID2)
        self.add_domain(UUID3, 1, 1)
        instances = [make_instance(UUID1), make_instance(UUID2, 'vm-2'),
                     make_instance(UUID3, 'vm-3')]

        def drop(flags=0):
            # libvirtd goes away while UUID2 is read, and stays away
            self.conn.alive = False
            self.connect.side_effect = fakes.disconnected()
            raise fakes.disconnected()
        dropping.state = drop
        samples = self.poll(instances)
        # UUID3 is not read: the connection is down, the cycle ends there
        self.assertEqual([UUID1], [s.resource_id for s in samples])
        self.assertEqual(1, len(self.logged(logging.ERROR)))
        self.assertEqual([], self.poll(instances))
        self.assertEqual(1, len(self.logged(logging.ERROR)))

    def test_refused_connection_is_a_connection_fault(self):
        self.connect.side_effect = fakes.FakeLibvirtError(
            'no connection driver available for foo:///', 60, 6)
        self.assertEqual([], self.poll([make_instance(UUID1)]))
        msg, args = self.logged(logging.ERROR)[0][0][1:]
        self.assertIn('no connection driver', msg % args)


class TestThroughDiscovery(TestVMStateBase):
    """Ceilometer's real libvirt_metadata discovery feeding the pollster."""

    def test_domain_without_nova_metadata_is_skipped(self):
        self.useFixture(fixtures.MockPatch(
            'ceilometer.compute.discovery.nova_client.Client'))
        self.CONF.set_override('host', 'compute-1')
        meta = fakes.nova_metadata('vm-1', USER, PROJECT,
                                   flavor_id=FLAVOR['id'], vcpus=2, ram=2048,
                                   disk=20, image_id=IMAGE)
        self.conn.domains = [
            fakes.FakeDomain(UUID1, 'instance-0001', 5, 1,
                             nova_metadata=meta),
            fakes.FakeDomain(UUID2, 'instance-0002', 1, 1),   # no metadata
            fakes.FakeDomain(UUID3, 'instance-0003', 1, 1,
                             nova_metadata=meta.replace('vm-1', 'vm-3')),
        ]
        disco = discovery.InstanceDiscovery(self.CONF)
        samples = self.poll(disco.discover(mock.Mock()))
        self.assertEqual([(UUID1, 5, 'vm-1'), (UUID3, 1, 'vm-3')],
                         [(s.resource_id, s.volume,
                           s.resource_metadata['display_name'])
                          for s in samples])
        md = samples[0].resource_metadata
        self.assertEqual(
            (USER, PROJECT, 'compute-1', IMAGE, FLAVOR['id'], 'm1.small', 2,
             2048, 20, 'shutoff', 'shutdown'),
            (samples[0].user_id, samples[0].project_id, md['instance_host'],
             md['image_ref'], md['flavor_id'], md['flavor_name'],
             md['vcpus'], md['ram'], md['disk'], md['state_name'],
             md['state_reason']))
