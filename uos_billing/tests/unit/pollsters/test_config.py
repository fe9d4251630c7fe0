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
"""The Ceilometer files shipped in etc/ceilometer, read by Ceilometer."""

import os

import fixtures
from oslotest import base

from ceilometer import gnocchi_client
from ceilometer.pipeline import sample as sample_pipeline
from ceilometer.polling import manager
from ceilometer import service

from uos_billing.pollsters import vm_state
from uos_billing.tests.unit.pollsters import test_vm_state

ETC = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..',
                                   '..', '..', 'etc', 'ceilometer'))


def instance_type():
    """Gnocchi's instance type after ceilometer-upgrade: {attr: required}."""
    attrs = {name: spec['required'] for name, spec
             in gnocchi_client.resources_initial['instance'].items()}
    for op in gnocchi_client.resources_update_operations:
        if op.get('resource_type') != 'instance':
            continue
        for change in op['data']:
            name = change['path'].rsplit('/', 1)[-1]
            attrs[name] = change['value']['required']
    return attrs


class TestShippedCeilometerConfig(base.BaseTestCase):

    def setUp(self):
        super().setUp()
        # The pipeline is read as ceilometer-agent-notification reads it
        # from /etc/ceilometer: the resources file by its relative name.
        self.CONF = service.prepare_service(
            ['ceilometer-agent-notification', '--config-dir', ETC], [])
        self.CONF.set_override('pipeline_cfg_file',
                               os.path.join(ETC, 'pipeline.yaml'))
        self.CONF.set_override('cfg_file', os.path.join(ETC, 'polling.yaml'),
                               group='polling')
        self.useFixture(fixtures.MockPatch(
            'ceilometer.publisher.gnocchi.GnocchiPublisher.'
            '_get_gnocchi_client'))

    def polling_interval(self):
        sources = manager.PollingManager(self.CONF).sources
        return [s.get_interval() for s in sources
                if s.support_meter('vm.state')]

    def test_polling_yaml_lists_vm_state(self):
        self.assertEqual([60], self.polling_interval())

    def test_pipeline_routes_vm_state_to_its_own_publisher(self):
        pipelines = sample_pipeline.SamplePipelineManager(self.CONF).pipelines
        by_name = {p.name: p for p in pipelines}
        self.assertEqual(
            ['meter_source:meter_sink',
             'uos_billing_vm_state:uos_billing_vm_state_sink'],
            sorted(by_name))
        default = by_name['meter_source:meter_sink']
        ours = by_name['uos_billing_vm_state:uos_billing_vm_state_sink']
        self.assertFalse(default.source.support_meter('vm.state'))
        self.assertTrue(default.source.support_meter('power.state'))
        self.assertTrue(ours.source.support_meter('vm.state'))
        self.assertFalse(ours.source.support_meter('power.state'))
        # the default publisher keeps Ceilometer's packaged definitions
        [upstream] = default.publishers
        self.assertIn('power.state', upstream.metric_map)
        self.assertNotIn('vm.state', upstream.metric_map)
        [publisher] = ours.publishers
        self.assertEqual(['vm.state'], sorted(publisher.metric_map))
        rd = publisher.metric_map['vm.state']
        self.assertEqual('instance', rd.cfg['resource_type'])
        self.assertEqual({'archive_policy_name': 'uos-billing-state'},
                         rd.metrics['vm.state'])
        [policy] = publisher.archive_policies_definition
        self.assertEqual(
            {'name': 'uos-billing-state',
             'aggregation_methods': ['last', 'count'],
             'back_window': 0,
             'definition': [{'granularity': '60 seconds',
                             'timespan': '90 days'}]},
            policy)
        # granularity = polling interval
        self.assertEqual([60], self.polling_interval())

    def test_attributes_fit_gnocchi_instance_type(self):
        pipelines = sample_pipeline.SamplePipelineManager(self.CONF).pipelines
        [publisher] = [p for p in pipelines
                       if p.source.support_meter('vm.state')][0].publishers
        rd = publisher.metric_map['vm.state']
        self.CONF.set_override('host', 'compute-1')
        instance = test_vm_state.make_instance(test_vm_state.UUID1)
        pollster = vm_state.VMStatePollster.__new__(vm_state.VMStatePollster)
        pollster.conf = self.CONF
        s = pollster.make_sample(instance, 5, 1)
        attributes = rd.sample_attributes(s)
        self.assertEqual(
            {'host': 'compute-1',
             'image_ref': test_vm_state.IMAGE,
             'display_name': 'vm-1',
             'flavor_id': test_vm_state.FLAVOR['id'],
             'flavor_name': 'm1.small'},
            attributes)
        gnocchi_type = instance_type()
        required = {name for name, req in gnocchi_type.items() if req}
        self.assertEqual({'flavor_id', 'flavor_name', 'display_name'},
                         required)
        self.assertLessEqual(required, set(attributes))
        # Gnocchi refuses attributes its type lacks ("extra keys")
        self.assertLessEqual(set(attributes), set(gnocchi_type))
