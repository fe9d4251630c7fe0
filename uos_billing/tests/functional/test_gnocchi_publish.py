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
"""vm.state samples through Ceilometer's real Gnocchi publisher.

A real Gnocchi (``gnocchi_fixture.Gnocchi``: PostgreSQL indexer, file
storage, API and metricd on loopback) gets Ceilometer's resource types from
Ceilometer's own ``ceilometer-upgrade``. Samples of two VMs of two projects
over several timestamps are published with Ceilometer's Gnocchi publisher
(``gnocchi://`` with the resources definition the project ships in
etc/ceilometer/), which also creates the archive policy; metricd aggregates
them and the measures are read back with gnocchiclient, as CloudKitty's
collector reads them: exact ``last`` and ``count`` values at the policy's
granularity, and the ``instance`` resources' attributes.

The samples come once built by hand the way the pollster builds them, and
once from the real ``vm.state`` pollster reading libvirt's ``test:///``
driver, whose domains carry Nova's metadata and go through their life
(running, paused, shut off).
"""

import datetime
import os
import re
import subprocess
import sys
import uuid

from oslo_utils import uuidutils
import testtools
from testtools import content
import yaml

from ceilometer import publisher
from ceilometer import sample as ceilo_sample
from ceilometer import service

from uos_billing.tests.functional import gnocchi_fixture

REPO = gnocchi_fixture.REPO
SHIPPED_RESOURCES = os.path.join(
    REPO, 'etc', 'ceilometer', 'uos_billing_gnocchi_resources.yaml')
METER = 'vm.state'

# What etc/ceilometer/uos_billing_gnocchi_resources.yaml is to hold, used
# only while that file has not landed: vm.state on Gnocchi's instance
# resource with every attribute the type requires, and a policy with
# last and count at the polling interval.
RESOURCES_STAND_IN = """\
---
archive_policy_default: uos-billing-vm-state
archive_policies:
  - name: uos-billing-vm-state
    aggregation_methods:
      - last
      - count
    back_window: 0
    definition:
      - granularity: 300 seconds
        timespan: 90 days
resources:
  - resource_type: instance
    metrics:
      vm.state:
    attributes:
      host: resource_metadata.(instance_host|host)
      image_ref: resource_metadata.image_ref
      display_name: resource_metadata.display_name
      flavor_id: resource_metadata.(instance_flavor_id|(flavor.id)|flavor_id)
      flavor_name: resource_metadata.(instance_type|(flavor.name)|flavor_name)
"""

CEILOMETER_CONF = """\
[DEFAULT]
host = {host}
libvirt_uri = test:///default

[compute]
instance_discovery_method = libvirt_metadata

{credentials}
"""

UNITS = {'s': 1, 'sec': 1, 'second': 1, 'min': 60, 'minute': 60,
         'h': 3600, 'hour': 3600, 'd': 86400, 'day': 86400}

RUNNING, PAUSED, SHUTOFF = 1, 3, 5
STATE_NAMES = {RUNNING: 'running', PAUSED: 'paused', SHUTOFF: 'shutoff'}
HOST = 'compute-1'


def seconds(span):
    """Seconds of a Gnocchi timespan as the YAML may write it."""
    if isinstance(span, (int, float)):
        return float(span)
    match = re.fullmatch(r'\s*([\d.]+)\s*([a-z]*?)s?\s*', str(span))
    if match and match.group(2) in UNITS:
        return float(match.group(1)) * UNITS[match.group(2)]
    if match and not match.group(2):
        return float(match.group(1))
    raise ValueError('cannot read the timespan %r' % span)


def load_resources_definition(workdir):
    """The shipped resources definition, or its stand-in while missing."""
    path = SHIPPED_RESOURCES
    if not os.path.exists(path):
        path = os.path.join(workdir, 'uos_billing_gnocchi_resources.yaml')
        with open(path, 'w') as f:
            f.write(RESOURCES_STAND_IN)
    with open(path) as f:
        definition = yaml.safe_load(f)
    (resource,) = [r for r in definition['resources']
                   if METER in (r.get('metrics') or {})]
    policy_name = ((resource['metrics'][METER] or {}).get(
        'archive_policy_name') or definition['archive_policy_default'])
    (policy,) = [p for p in definition['archive_policies']
                 if p['name'] == policy_name]
    return path, resource, policy


class GnocchiPublishBase(testtools.TestCase):
    """One Gnocchi with Ceilometer's resource types for the whole class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gnocchi = gnocchi_fixture.Gnocchi()
        cls.gnocchi.setUp()
        try:
            cls._set_up_ceilometer()
        except BaseException:
            cls.gnocchi.cleanUp()
            raise

    @classmethod
    def _set_up_ceilometer(cls):
        cls.conf_file = os.path.join(cls.gnocchi.workdir, 'ceilometer.conf')
        with open(cls.conf_file, 'w') as f:
            f.write(CEILOMETER_CONF.format(
                host=HOST, credentials=cls.gnocchi.ceilometer_credentials()))
        upgrade = os.path.join(os.path.dirname(sys.executable),
                               'ceilometer-upgrade')
        done = subprocess.run(
            [upgrade, '--config-file', cls.conf_file, '--retry', '1'],
            capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError('ceilometer-upgrade failed (%d): %s' % (
                done.returncode, done.stderr[-4000:]))
        (cls.resources_file, cls.resource_definition,
         cls.policy) = load_resources_definition(cls.gnocchi.workdir)
        cls.granularity = seconds(
            cls.policy['definition'][0]['granularity'])
        cls.conf = service.prepare_service([], [cls.conf_file])
        cls.publisher = publisher.get_publisher(
            cls.conf,
            'gnocchi://?enable_filter_project=false'
            '&resources_definition_file=%s' % cls.resources_file,
            'ceilometer.sample.publisher')

    @classmethod
    def tearDownClass(cls):
        cls.gnocchi.cleanUp()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.client = self.gnocchi.client
        self.addOnException(self._gnocchi_logs)
        # A whole hour back, on the policy's granularity: every sample
        # lies inside the policy's timespan.
        now = datetime.datetime.now(datetime.timezone.utc)
        self.t0 = now.replace(minute=0, second=0, microsecond=0) - (
            datetime.timedelta(hours=2))

    def _gnocchi_logs(self, exc_info):
        self.addDetail('gnocchi-api.log', content.text_content(
            gnocchi_fixture.tail(self.gnocchi.api_log)))
        self.addDetail('gnocchi-metricd.log', content.text_content(
            gnocchi_fixture.tail(self.gnocchi.metricd_log)))

    def at(self, step, offset=0):
        """The sample time ``step`` granularities after t0 (+ offset s)."""
        return self.t0 + datetime.timedelta(
            seconds=step * self.granularity + offset)

    def publish(self, samples):
        self.publisher.publish_samples(samples)

    def measures(self, resource_id, aggregation):
        return points(self.client.metric.get_measures(
            METER, resource_id=resource_id, aggregation=aggregation,
            granularity=self.granularity))

    def expected(self, series):
        """[(step, value)] as (timestamp, granularity, value) points."""
        return [(self.at(step), self.granularity, float(value))
                for step, value in series]

    def assert_instance(self, vm, project_id, user_id, flavor_name,
                        display_name, flavor_id, image_ref):
        resource = self.client.resource.get('instance', vm)
        self.assertEqual(
            {'id': vm, 'project_id': project_id, 'user_id': user_id,
             'flavor_name': flavor_name, 'display_name': display_name,
             'host': HOST, 'flavor_id': flavor_id, 'image_ref': image_ref},
            {k: resource[k] for k in (
                'id', 'project_id', 'user_id', 'flavor_name',
                'display_name', 'host', 'flavor_id', 'image_ref')})
        self.assertIn(METER, resource['metrics'])
        metric = self.client.metric.get(resource['metrics'][METER])
        self.assertEqual(self.policy['name'],
                         metric['archive_policy']['name'])
        self.assertLessEqual({'last', 'count'}, set(
            metric['archive_policy']['aggregation_methods']))


def points(measures):
    """Gnocchi's measures as (aware datetime, granularity, value)."""
    return [(m[0] if isinstance(m[0], datetime.datetime)
             else datetime.datetime.fromisoformat(m[0]), m[1], m[2])
            for m in measures]


def uuid_str():
    return uuidutils.generate_uuid()


class TestPublishBuiltSamples(GnocchiPublishBase):
    """Samples built as the pollster builds them."""

    def make_sample(self, vm, when, state):
        metadata = {
            'display_name': vm['name'],
            'name': vm['domain'],
            'host': vm['host_id'],
            'instance_host': HOST,
            'instance_id': vm['id'],
            'instance_type': vm['flavor']['name'],
            'flavor': dict(vm['flavor']),
            'flavor_id': vm['flavor']['id'],
            'flavor_name': vm['flavor']['name'],
            'vcpus': vm['flavor']['vcpus'],
            'ram': vm['flavor']['ram'],
            'disk': vm['flavor']['disk'],
            'image': {'id': vm['image']},
            'image_ref': vm['image'],
            'status': STATE_NAMES[state],
            'state_name': STATE_NAMES[state],
            'state_reason': 'unknown',
            'state_reason_code': 0,
        }
        return ceilo_sample.Sample(
            name=METER, type=ceilo_sample.TYPE_GAUGE, unit='state',
            volume=state, user_id=vm['user'], project_id=vm['project'],
            resource_id=vm['id'], timestamp=when.isoformat(),
            resource_metadata=metadata)

    def vm(self, name, flavor_name, vcpus, ram, disk):
        return {'id': uuid_str(), 'name': name, 'domain': 'instance-%s' % (
            uuid.uuid4().hex[:8]), 'project': uuid_str(), 'user': uuid_str(),
            'host_id': uuid.uuid4().hex, 'image': uuid_str(),
            'flavor': {'id': uuid_str(), 'name': flavor_name,
                       'vcpus': vcpus, 'ram': ram, 'disk': disk}}

    def test_two_projects_over_time(self):
        a = self.vm('vm-a', 'm1.small', 1, 2048, 20)
        b = self.vm('vm-b', 'm1.large', 4, 8192, 80)
        half = self.granularity / 2
        # One polling cycle per step; vm-a also has a second sample in
        # step 2 (resumed half a period after the pause): "last" is the
        # later one and "count" is 2 there.
        cycles = [
            [(a, self.at(0), RUNNING), (b, self.at(0), RUNNING)],
            [(a, self.at(1), RUNNING), (b, self.at(1), SHUTOFF)],
            [(a, self.at(2), PAUSED), (b, self.at(2), SHUTOFF)],
            [(a, self.at(2, half), RUNNING)],
            [(a, self.at(3), RUNNING), (b, self.at(3), RUNNING)],
        ]
        # As the notification agent does: one batch per polling cycle.
        for cycle in cycles:
            self.publish([self.make_sample(vm, when, state)
                          for vm, when, state in cycle])
        self.gnocchi.wait_for_processing()

        self.assertEqual(
            self.expected([(0, 1), (1, 1), (2, 1), (3, 1)]),
            self.measures(a['id'], 'last'))
        self.assertEqual(
            self.expected([(0, 1), (1, 1), (2, 2), (3, 1)]),
            self.measures(a['id'], 'count'))
        self.assertEqual(
            self.expected([(0, 1), (1, 5), (2, 5), (3, 1)]),
            self.measures(b['id'], 'last'))
        for vm in (a, b):
            self.assert_instance(
                vm['id'], vm['project'], vm['user'], vm['flavor']['name'],
                vm['name'], vm['flavor']['id'], vm['image'])

        # As CloudKitty's Gnocchi collector asks: per project, grouped by
        # resource, at the policy's granularity (one series per group, so
        # re-aggregating with max keeps it as it is; Gnocchi has no "last"
        # re-aggregation). Without use_history: with it (as CloudKitty asks)
        # Gnocchi only looks at a resource from its revision_start on, and
        # these resources were created after the samples' times.
        for vm, values in ((a, [1, 1, 1, 1]), (b, [1, 5, 5, 1])):
            result = self.client.aggregates.fetch(
                ['aggregate', 'max', ['metric', METER, 'last']],
                search={'=': {'project_id': vm['project']}},
                resource_type='instance', groupby=['id', 'project_id'],
                start=self.at(0).isoformat(), stop=self.at(4).isoformat(),
                granularity=self.granularity)
            self.assertEqual(1, len(result), result)
            self.assertEqual({'id': vm['id'], 'project_id': vm['project']},
                             result[0]['group'])
            series = result[0]['measures']['measures']['aggregated']
            self.assertEqual(
                self.expected(list(enumerate(values))), points(series))


DOMAIN_XML = """\
<domain type='test'>
  <name>{domain}</name>
  <uuid>{id}</uuid>
  <memory unit='MiB'>{ram}</memory>
  <vcpu>{vcpus}</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <metadata>
    <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1">
      <nova:name>{name}</nova:name>
      <nova:flavor name="{flavor_name}" id="{flavor_id}">
        <nova:memory>{ram}</nova:memory>
        <nova:disk>{disk}</nova:disk>
        <nova:swap>0</nova:swap>
        <nova:ephemeral>0</nova:ephemeral>
        <nova:vcpus>{vcpus}</nova:vcpus>
      </nova:flavor>
      <nova:owner>
        <nova:user uuid="{user}">alice</nova:user>
        <nova:project uuid="{project}">{project_name}</nova:project>
      </nova:owner>
      <nova:root type="image" uuid="{image}"/>
    </nova:instance>
  </metadata>
</domain>
"""


class TestPublishPollsterSamples(GnocchiPublishBase):
    """Samples of the real vm.state pollster on libvirt's test driver."""

    def setUp(self):
        super().setUp()
        try:
            import libvirt
            from uos_billing.pollsters import vm_state
        except ImportError as e:
            self.skipTest('no vm.state pollster or libvirt: %s' % e)
        from ceilometer.compute import discovery
        self.libvirt = libvirt
        self.connection = libvirt.open('test:///default')
        self.addCleanup(self.connection.close)
        self.discovery = discovery.InstanceDiscovery(self.conf)
        self.pollster = vm_state.VMStatePollster(self.conf)

    def define(self, name, flavor_name, vcpus, ram, disk):
        vm = {'id': uuid_str(), 'name': name,
              'domain': 'instance-%s' % uuid.uuid4().hex[:8],
              'project': uuid_str(), 'project_name': 'project-' + name,
              'user': uuid_str(), 'image': uuid_str(),
              'flavor_id': uuid_str(), 'flavor_name': flavor_name,
              'vcpus': vcpus, 'ram': ram, 'disk': disk}
        domain = self.connection.defineXML(DOMAIN_XML.format(**vm))
        self.addCleanup(self._undefine, domain)
        domain.create()
        return vm, domain

    def _undefine(self, domain):
        if domain.isActive():
            domain.destroy()
        domain.undefine()

    def poll(self, step, vms):
        """One polling cycle, stamped as the polling manager stamps it."""
        ids = {vm['id'] for vm in vms}
        instances = [i for i in self.discovery.discover(None)
                     if i.id in ids]
        self.assertEqual(ids, {i.id for i in instances})
        samples = list(self.pollster.get_samples(None, {}, instances))
        self.assertEqual(ids, {s.resource_id for s in samples})
        for s in samples:
            s.timestamp = self.at(step).isoformat()
        self.publish(samples)

    def test_domains_through_their_life(self):
        a, dom_a = self.define('vm-a', 'm1.small', 1, 2048, 20)
        b, dom_b = self.define('vm-b', 'm1.large', 4, 8192, 80)
        vms = (a, b)
        self.poll(0, vms)          # a running, b running
        dom_a.suspend()
        dom_b.shutdown()
        self.poll(1, vms)          # a paused, b shut off
        dom_a.resume()
        dom_b.create()
        self.poll(2, vms)          # a running, b running
        dom_a.destroy()
        self.poll(3, vms)          # a shut off, b running
        self.gnocchi.wait_for_processing()

        self.assertEqual(self.expected([(0, 1), (1, 3), (2, 1), (3, 5)]),
                         self.measures(a['id'], 'last'))
        self.assertEqual(self.expected([(0, 1), (1, 5), (2, 1), (3, 1)]),
                         self.measures(b['id'], 'last'))
        self.assertEqual(self.expected([(0, 1), (1, 1), (2, 1), (3, 1)]),
                         self.measures(b['id'], 'count'))
        for vm in vms:
            self.assert_instance(
                vm['id'], vm['project'], vm['user'], vm['flavor_name'],
                vm['name'], vm['flavor_id'], vm['image'])
