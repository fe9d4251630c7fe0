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
"""Loading the vm.state pollster: its entry point, and without libvirt."""

from unittest import mock

import fixtures
from oslotest import base
from stevedore import extension

from ceilometer.polling import manager
from ceilometer.polling import plugin_base
from ceilometer import service

from uos_billing.pollsters import vm_state

UTILS = 'ceilometer.compute.virt.libvirt.utils'


class TestWithoutLibvirt(base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.CONF = service.prepare_service([], [])
        # (fixtures.MockPatch would take None for "a MagicMock")
        patcher = mock.patch(UTILS + '.libvirt', None)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.log = self.useFixture(fixtures.MockPatchObject(
            vm_state, 'LOG')).mock

    def test_refuses_to_load(self):
        err = self.assertRaises(plugin_base.ExtensionLoadError,
                                vm_state.VMStatePollster, self.CONF)
        self.assertEqual(vm_state.NO_LIBVIRT, str(err.msg))
        self.assertIn('libvirt-python', str(err.msg))
        self.log.error.assert_called_once_with(vm_state.NO_LIBVIRT)

    def test_agent_skips_it_and_starts(self):
        self.useFixture(fixtures.MockPatch('oslo_messaging.Notifier'))
        agent = manager.AgentManager(0, self.CONF, namespaces=['compute'])
        names = [ext.name for ext in agent.extensions]
        self.assertNotIn('vm.state', names)
        self.assertIn('power.state', names)
        self.log.error.assert_called_once_with(vm_state.NO_LIBVIRT)


class TestEntryPoint(base.BaseTestCase):

    def test_registered_in_compute_namespace(self):
        mgr = extension.ExtensionManager('ceilometer.poll.compute')
        self.assertIs(vm_state.VMStatePollster,
                      mgr['vm.state'].plugin)
