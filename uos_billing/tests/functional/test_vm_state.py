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
"""vm.state on libvirt's real test driver, polled by Ceilometer's agent.

Ceilometer's ``AgentManager`` (namespace ``compute``) loads the pollster
from its entry point, the shipped ``etc/ceilometer/polling.yaml`` selects
it, and one polling task runs per cycle in-process: Ceilometer's real
``local_instances`` discovery reads the domains' Nova metadata over
``test:///default``, and the samples go out through Ceilometer's real
oslo.messaging Notifier on the ``fake:/`` transport with oslo.messaging's
``test`` notification driver, whose record the tests read.

``test:///default`` is shared by every connection of this process (the
test's read-write one and Ceilometer's read-only ones); each test undefines
the domains it made. Its built-in ``test`` domain has no Nova metadata and
is skipped by the discovery.
"""

import os
import uuid

import libvirt
from oslo_messaging import conffixture
from oslo_messaging.notify import _impl_test as notify_test_driver
from oslotest import base

from ceilometer.polling import manager
from ceilometer import service

from uos_billing.pollsters import vm_state
from uos_billing.tests.unit.pollsters import fakes

URI = 'test:///default'
ETC = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..',
                                   '..', 'etc', 'ceilometer'))
HOST = 'compute-func-1'
USER = 'e3b0c44298fc1c149afbf4c8996fb924'
PROJECT = '27ae41e4649b934ca495991b7852b855'
IMAGE = '5e2b1c9a-0f41-4a55-9f3c-2d3e8b6c7a10'


def _quiet(ctx, err):
    """libvirt prints every error to stderr unless told otherwise."""


class TestVMStateOnTestDriver(base.BaseTestCase):

    def setUp(self):
        super().setUp()
        libvirt.registerErrorHandler(_quiet, None)
        self.CONF = service.prepare_service([], [])
        self.CONF.set_override('libvirt_uri', URI)
        self.CONF.set_override('host', HOST)
        self.CONF.set_override('instance_discovery_method',
                               'libvirt_metadata', group='compute')
        self.CONF.set_override('cfg_file', os.path.join(ETC, 'polling.yaml'),
                               group='polling')
        self.CONF.set_override('pollsters_definitions_dirs', [])
        # registers oslo.messaging's options, transport_url = fake:/
        self.useFixture(conffixture.ConfFixture(self.CONF))
        self.CONF.set_override('telemetry_driver', 'test',
                               group='publisher_notifier')
        notify_test_driver.reset()
        self.addCleanup(notify_test_driver.reset)

        self.conn = libvirt.open(URI)
        self.addCleanup(self.conn.close)
        self.domains = []
        self.addCleanup(self._undefine_all)

        self.agent = manager.AgentManager(0, self.CONF,
                                          namespaces=['compute'])
        self.agent.polling_manager = manager.PollingManager(self.CONF)
        tasks = self.agent.setup_polling_tasks()
        self.assertEqual([60], list(tasks))
        self.task = tasks[60]

    def _undefine_all(self):
        for dom in self.domains:
            try:
                dom = self.conn.lookupByUUIDString(dom.UUIDString())
            except libvirt.libvirtError:
                continue
            if dom.isActive():
                dom.destroy()
            if dom.isPersistent():
                dom.undefine()

    def define(self, display_name, with_metadata=True, **flavor):
        dom_uuid = str(uuid.uuid4())
        xml = fakes.domain_xml(
            dom_uuid, 'instance-%s' % dom_uuid[:8], display_name, USER,
            PROJECT, with_metadata=with_metadata, image_id=IMAGE, **flavor)
        dom = self.conn.defineXML(xml)
        self.domains.append(dom)
        return dom

    def poll(self):
        """One polling cycle; the vm.state samples it published."""
        notify_test_driver.reset()
        self.task.poll_and_notify()
        published = []
        for ctxt, message, priority, retry in (
                notify_test_driver.NOTIFICATIONS):
            self.assertEqual('telemetry.polling', message['event_type'])
            self.assertEqual('ceilometer.polling', message['publisher_id'])
            published.extend(message['payload']['samples'])
        mine = {d.UUIDString() for d in self.domains}
        return sorted((s for s in published if s['resource_id'] in mine),
                      key=lambda s: s['resource_metadata']['display_name'])

    @staticmethod
    def summary(published):
        return [(s['resource_metadata']['display_name'], s['counter_volume'],
                 s['resource_metadata']['state_name'],
                 s['resource_metadata']['state_reason'])
                for s in published]

    def test_pollster_loaded_from_entry_point(self):
        [ext] = [e for e in self.agent.extensions if e.name == 'vm.state']
        self.assertIsInstance(ext.obj, vm_state.VMStatePollster)
        self.assertEqual('uos_billing.pollsters.vm_state:VMStatePollster',
                         ext.entry_point.value)
        # the shipped polling.yaml selects vm.state alone
        self.assertEqual(['vm.state'],
                         [p.name for ps in
                          self.task.pollster_matches.values() for p in ps])

    def test_sample_content(self):
        dom = self.define('web-1', flavor_id='f-42', flavor_name='m1.large',
                          vcpus=4, ram=8192, disk=80)
        dom.create()
        [published] = self.poll()
        del published['message_id'], published['message_signature']
        monotonic_time = published.pop('monotonic_time')
        timestamp = published.pop('timestamp')
        self.assertIsNotNone(monotonic_time)
        self.assertIsNotNone(timestamp)
        metadata = published.pop('resource_metadata')
        self.assertEqual(
            {'counter_name': 'vm.state', 'counter_type': 'gauge',
             'counter_unit': 'state', 'counter_volume': 1,
             'user_id': USER, 'project_id': PROJECT,
             'user_name': None, 'project_name': None,
             'resource_id': dom.UUIDString(), 'source': 'openstack'},
            published)
        self.assertEqual(
            {'state_name': 'running', 'state_reason': 'booted',
             'state_reason_code': 1, 'display_name': 'web-1',
             'name': dom.name(), 'instance_id': dom.UUIDString(),
             'instance_host': HOST, 'image_ref': IMAGE,
             'flavor_id': 'f-42', 'flavor_name': 'm1.large',
             'instance_type': 'm1.large', 'vcpus': 4, 'ram': 8192,
             'disk': 80, 'memory_mb': 8192, 'disk_gb': 80,
             'status': 'active', 'state': 'running'},
            {k: metadata[k] for k in (
                'state_name', 'state_reason', 'state_reason_code',
                'display_name', 'name', 'instance_id', 'instance_host',
                'image_ref', 'flavor_id', 'flavor_name', 'instance_type',
                'vcpus', 'ram', 'disk', 'memory_mb', 'disk_gb', 'status',
                'state')})
        self.assertEqual(
            {'id': 'f-42', 'name': 'm1.large', 'vcpus': 4, 'ram': 8192,
             'disk': 80, 'ephemeral': 0, 'swap': 0}, metadata['flavor'])

    def test_lifecycle(self):
        dom = self.define('vm-a')
        # defined, never started: shut off, reported
        self.assertEqual([('vm-a', 5, 'shutoff', 'unknown')],
                         self.summary(self.poll()))
        dom.create()
        self.assertEqual([('vm-a', 1, 'running', 'booted')],
                         self.summary(self.poll()))
        dom.suspend()
        self.assertEqual([('vm-a', 3, 'paused', 'user')],
                         self.summary(self.poll()))
        dom.resume()
        self.assertEqual([('vm-a', 1, 'running', 'unpaused')],
                         self.summary(self.poll()))
        dom.shutdown()
        self.assertEqual([('vm-a', 5, 'shutoff', 'shutdown')],
                         self.summary(self.poll()))
        dom.create()
        dom.destroy()
        self.assertEqual([('vm-a', 5, 'shutoff', 'destroyed')],
                         self.summary(self.poll()))
        dom.undefine()
        self.assertEqual([], self.poll())

    def test_several_domains_each_cycle(self):
        running = self.define('vm-1')
        paused = self.define('vm-2')
        self.define('vm-3')
        bare = self.define('vm-bare', with_metadata=False)
        running.create()
        paused.create()
        paused.suspend()
        bare.create()
        expected = [('vm-1', 1, 'running', 'booted'),
                    ('vm-2', 3, 'paused', 'user'),
                    ('vm-3', 5, 'shutoff', 'unknown')]
        self.assertEqual(expected, self.summary(self.poll()))
        self.assertEqual(expected, self.summary(self.poll()))

    def test_transient_domain_destroyed(self):
        dom_uuid = str(uuid.uuid4())
        dom = self.conn.createXML(fakes.domain_xml(
            dom_uuid, 'instance-t', 'vm-t', USER, PROJECT), 0)
        self.domains.append(dom)
        self.assertEqual([('vm-t', 1, 'running', 'booted')],
                         self.summary(self.poll()))
        dom.destroy()     # a transient domain is gone once destroyed
        self.assertEqual([], self.poll())

    def test_domain_vanishing_after_discovery(self):
        keep = self.define('vm-keep')
        gone = self.define('vm-gone')
        keep.create()
        gone_uuid = gone.UUIDString()
        discovery = [d.obj for d in self.agent.discoveries
                     if d.name == 'local_instances'][0]
        real_discover = discovery.discover

        def discover_then_undefine(*args, **kwargs):
            found = real_discover(*args, **kwargs)
            gone.undefine()
            return found
        discovery.discover = discover_then_undefine
        published = self.poll()
        self.assertEqual([('vm-keep', 1, 'running', 'booted')],
                         self.summary(published))
        self.assertNotIn(gone_uuid, [s['resource_id'] for s in published])
