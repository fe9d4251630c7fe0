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
"""Tests of the uos_gnocchi collector with a mocked gnocchiclient."""

import copy
import datetime
import decimal
import os
from unittest import mock

from cloudkitty import collector as ck_collector
from cloudkitty.collector import gnocchi as ck_gnocchi
from gnocchiclient import exceptions as gexceptions
from keystoneauth1 import exceptions as ks_exceptions
from stevedore import driver
import voluptuous
import yaml

from uos_billing.collectors import gnocchi
from uos_billing.core import clock
from uos_billing.tests import base

D = decimal.Decimal
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))))
SAMPLE = os.path.join(REPO, 'etc', 'cloudkitty', 'metrics.yml')
BEGIN = datetime.datetime(2026, 3, 1, 10, tzinfo=clock.UTC)
END = BEGIN + datetime.timedelta(hours=1)
PROJECT = 'p1'

STATE_METRIC = {
    'alt_name': 'instance',
    'unit': 'hour',
    'factor': '1/3600',
    'groupby': ['id', 'project_id', 'flavor_name', 'state'],
    'metadata': ['flavor_id', 'vcpus', 'image_ref', 'display_name',
                 'host'],
    'extra_args': {
        'resource_type': 'instance',
        'aggregation_method': 'last',
        'force_granularity': 60,
        'state_reduction': {'gap_threshold': 180},
    },
}
PLAIN_METRIC = {
    'unit': 'GiB',
    'groupby': ['id', 'project_id'],
    'extra_args': {'resource_type': 'volume', 'aggregation_method': 'mean',
                   'force_granularity': 300},
}


def metrics(**overrides):
    state = copy.deepcopy(STATE_METRIC)
    for key, value in overrides.items():
        if key.startswith('extra_'):
            state['extra_args'][key[len('extra_'):]] = value
        elif key.startswith('reduction_'):
            state['extra_args']['state_reduction'][
                key[len('reduction_'):]] = value
        else:
            state[key] = value
    return {'metrics': {'vm.state': state,
                        'volume.size': copy.deepcopy(PLAIN_METRIC)}}


def at(seconds):
    return BEGIN + datetime.timedelta(seconds=seconds)


def series(vm, intervals, project=PROJECT):
    """An aggregates group: [(from_s, to_s, state)] at 60 s."""
    return {'group': {'id': vm},
            'measures': {'measures': {'aggregated': [
                [at(t).isoformat(), 60.0, float(state)]
                for begin, end, state in intervals
                for t in range(begin, end, 60)]}}}


def resource(vm, started, ended=None, project=PROJECT, **attrs):
    return dict({'id': vm, 'project_id': project, 'flavor_name': 'm1.small',
                 'flavor_id': 'f1', 'image_ref': 'img', 'display_name': vm,
                 'host': 'cn1', 'started_at': at(started).isoformat(),
                 'ended_at': None if ended is None else at(ended).isoformat()},
                **attrs)


class CheckConfigurationTest(base.TestCase):

    check = staticmethod(gnocchi.UosGnocchiCollector.check_configuration)

    def assert_invalid(self, conf, *words):
        e = self.assertRaises(voluptuous.Invalid, self.check, conf)
        for word in words:
            self.assertIn(word, str(e))
        return e

    def test_is_a_static_method(self):
        self.assertIsInstance(
            gnocchi.UosGnocchiCollector.__dict__['check_configuration'],
            staticmethod)

    def test_state_metric_defaults(self):
        conf = self.check(metrics())
        met = conf['vm.state@#instance']
        self.assertEqual(
            {'resource_type': 'instance', 'resource_key': 'id',
             'aggregation_method': 'last', 're_aggregation_method': 'max',
             'force_granularity': 60,
             'state_reduction': {'gap_threshold': 180, 'state_key': 'state'}},
            met['extra_args'])
        self.assertEqual(['id', 'project_id', 'flavor_name', 'state'],
                         met['groupby'])
        conf = self.check(metrics(extra_state_reduction=True))
        self.assertEqual(
            {'gap_threshold': 180, 'state_key': 'state'},
            conf['vm.state@#instance']['extra_args']['state_reduction'])

    def test_state_key_added_to_groupby(self):
        conf = self.check(metrics(groupby=['id']))
        self.assertEqual(['id', 'project_id', 'state'],
                         conf['vm.state@#instance']['groupby'])

    def test_other_metrics_are_cloudkittys(self):
        conf = self.check(metrics())
        self.assertEqual(
            ck_gnocchi.GnocchiCollector.check_configuration(
                {'metrics': {'volume.size': copy.deepcopy(PLAIN_METRIC)}}),
            {'volume.size': conf['volume.size']})

    def test_unknown_key(self):
        self.assert_invalid(metrics(reduction_gap_thresold=5), 'vm.state',
                            'gap_thresold', 'extra keys not allowed')
        self.assert_invalid(metrics(extra_custom_query='(x)'), 'vm.state',
                            'custom_query')

    def test_wrong_type(self):
        self.assert_invalid(metrics(reduction_gap_threshold='5m'),
                            'vm.state', 'gap_threshold', 'expected int')
        self.assert_invalid(metrics(extra_force_granularity=True),
                            'vm.state', 'force_granularity')
        self.assert_invalid(metrics(reduction_state_names={1: 7}),
                            'vm.state', 'state_names')

    def test_wrong_value(self):
        self.assert_invalid(metrics(reduction_gap_threshold=-1),
                            'vm.state', 'gap_threshold')
        self.assert_invalid(metrics(extra_aggregation_method='mean'),
                            'vm.state', 'aggregation_method')
        self.assert_invalid(metrics(extra_force_granularity=0),
                            'vm.state', 'force_granularity')
        self.assert_invalid(metrics(mutate='NUMBOOL'), 'vm.state', 'mutate')
        self.assert_invalid(metrics(reduction_state_key='flavor_id'),
                            'vm.state', 'state_key')

    def test_granularity_is_required(self):
        conf = metrics()
        del conf['metrics']['vm.state']['extra_args']['force_granularity']
        self.assert_invalid(conf, 'vm.state', 'force_granularity',
                            'required')

    def test_base_errors_name_the_metric(self):
        conf = metrics()
        del conf['metrics']['vm.state']['unit']
        self.assert_invalid(conf, 'vm.state', 'unit')
        conf = metrics()
        conf['metrics']['volume.size']['extra_args']['aggregation_method'] = (
            'avg')
        self.assert_invalid(conf, 'volume.size', 'aggregation_method')

    def test_the_sample_metrics_yml(self):
        with open(SAMPLE) as f:
            conf = self.check(yaml.safe_load(f))
        self.assertIn('vm.state@#instance', conf)
        self.assertLessEqual(
            {'cpu', 'memory.usage', 'disk.device.read.bytes',
             'disk.device.write.bytes', 'network.incoming.bytes',
             'network.outgoing.bytes', 'image.size', 'volume.size'},
            set(conf))
        self.assertEqual(
            60, conf['vm.state@#instance']['extra_args']['force_granularity'])

    def test_validate_conf_through_cloudkitty(self):
        # /v1/info and the processor's start go through the entry point.
        self.conf.set_override('collector', 'uos_gnocchi', 'collect')
        self.assertIs(gnocchi.UosGnocchiCollector,
                      ck_collector.get_collector_without_invoke())
        conf = ck_collector.validate_conf(metrics())
        self.assertEqual('instance', conf['vm.state@#instance']['alt_name'])
        self.assertRaises(voluptuous.Invalid, ck_collector.validate_conf,
                          metrics(reduction_gap_threshold='x'))


class CollectorTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.conf.set_override('gnocchi_auth_type', 'basic',
                               'collector_gnocchi')
        self.conf.set_override('gnocchi_endpoint', 'http://127.0.0.1:1',
                               'collector_gnocchi')
        self.collector = gnocchi.UosGnocchiCollector(period=3600,
                                                     conf=metrics())
        self.client = mock.Mock()
        self.collector._conn = self.client
        self.client.resource.search.side_effect = self.search
        self.resources = []

    def search(self, resource_type, query, sorts, marker):
        found = sorted(self.resources, key=lambda r: r['id'])
        if marker is not None:
            found = [r for r in found if r['id'] > marker]
        return found[:2]   # small pages: paging is exercised

    def fetch(self, name='vm.state@#instance'):
        return self.collector.retrieve(name, BEGIN, END, PROJECT)

    def test_entry_point(self):
        self.assertIs(gnocchi.UosGnocchiCollector, driver.DriverManager(
            'cloudkitty.collector.backends', 'uos_gnocchi').driver)

    def test_points_per_vm_and_state(self):
        self.client.aggregates.fetch.return_value = [
            series('vm-a', [(0, 1200, 1), (1200, 1800, 3), (1800, 3000, 1),
                            (3000, 3600, 5)]),
            series('vm-b', [(-120, 600, 1), (1800, 3720, 1)]),
        ]
        self.resources = [resource('vm-a', 17, 3560),
                          resource('vm-b', -86400, flavor_name='m1.large'),
                          resource('vm-c', -5)]
        name, points = self.fetch()
        self.assertEqual('instance', name)
        got = {(p.groupby['id'], p.groupby['state']): p for p in points}
        self.assertEqual(
            {('vm-a', 'running'): D(2383) / 3600,
             ('vm-a', 'paused'): D(600) / 3600,
             ('vm-a', 'shutoff'): D(560) / 3600,
             ('vm-b', 'running'): D(600 + 1800) / 3600},
            {k: p.qty for k, p in got.items()})
        a = got['vm-a', 'shutoff']
        self.assertEqual('m1.small', a.groupby['flavor_name'])
        self.assertEqual(PROJECT, a.groupby['project_id'])
        self.assertEqual(
            {'flavor_id': 'f1', 'vcpus': '', 'image_ref': 'img',
             'display_name': 'vm-a', 'host': 'cn1', 'estimated': False,
             'gap_seconds': 0, 'ended_at': at(3560).isoformat()},
            dict(a.metadata))
        b = got['vm-b', 'running']
        self.assertEqual('', b.metadata['ended_at'])
        self.assertEqual('m1.large', b.groupby['flavor_name'])
        self.assertEqual((True, 1200), (b.metadata['estimated'],
                                        b.metadata['gap_seconds']))
        self.assertEqual('hour', b.unit)

        # One aggregates request for the scope, grouped by resource,
        # reaching a granularity + gap_threshold around the period.
        self.client.aggregates.fetch.assert_called_once_with(
            ['aggregate', 'max', ['metric', 'vm.state', 'last']],
            resource_type='instance',
            search={'and': [{'=': {'type': 'instance'}},
                            {'=': {'project_id': PROJECT}}]},
            groupby=['id'], start=at(-240), stop=at(3600 + 240),
            granularity=60, use_history=False)
        # Resources paged as CloudKitty pages them.
        self.assertEqual(3, self.client.resource.search.call_count)

    def test_resized_vm_split_by_the_flavor_of_each_second(self):
        self.client.aggregates.fetch.return_value = [
            series('vm-a', [(-120, 3720, 1)])]
        self.resources = [resource('vm-a', -86400, flavor_name='m1.medium',
                                   revision_start=at(1200).isoformat())]
        self.client.resource.history.return_value = [
            resource('vm-a', -86400, revision_start=at(-86400).isoformat(),
                     revision_end=at(1200).isoformat()),
            resource('vm-a', -86400, flavor_name='m1.medium',
                     revision_start=at(1200).isoformat(),
                     revision_end=None)]
        name, points = self.fetch()
        self.assertEqual(
            {('m1.small', 'running'): D(1200) / 3600,
             ('m1.medium', 'running'): D(2400) / 3600},
            {(p.groupby['flavor_name'], p.groupby['state']): p.qty
             for p in points})
        self.client.resource.history.assert_called_once_with(
            'instance', 'vm-a', details=True)

    def test_end_after_the_last_billed_second_still_reaches_billing(self):
        # Last measure at -600 (covers to -540, then a gap); deleted at
        # 1 s: nothing billed in this period, but a point of 0 carries the
        # end.
        self.client.aggregates.fetch.return_value = [
            series('vm-a', [(-720, -540, 5)])]
        self.resources = [resource('vm-a', -86400, 1)]
        name, points = self.fetch()
        self.assertEqual(
            [(D(0), 'shutoff', at(1).isoformat())],
            [(p.qty, p.groupby['state'], p.metadata['ended_at'])
             for p in points])

    def test_end_at_the_period_start_was_the_previous_periods(self):
        self.client.aggregates.fetch.return_value = [
            series('vm-a', [(-720, -540, 5)])]
        self.resources = [resource('vm-a', -86400, 0)]
        self.assertRaises(ck_collector.NoDataCollected, self.fetch)

    def test_resource_ended_before_the_period_gives_nothing(self):
        self.client.aggregates.fetch.return_value = [
            series('vm-a', [(-120, 0, 1)])]
        self.resources = [resource('vm-a', -86400, -10)]
        self.assertRaises(ck_collector.NoDataCollected, self.fetch)

    def test_no_history_read_for_a_resource_unchanged_in_the_period(self):
        self.client.aggregates.fetch.return_value = [
            series('vm-a', [(0, 3600, 1)])]
        self.resources = [resource('vm-a', -86400,
                                   revision_start=at(0).isoformat())]
        name, points = self.fetch()
        self.assertEqual([D(1)], [p.qty for p in points])
        self.client.resource.history.assert_not_called()

    def test_qty_is_exact(self):
        self.client.aggregates.fetch.return_value = [
            series('vm-a', [(0, 3600, 1)])]
        self.resources = [resource('vm-a', 1)]
        _, (point,) = self.fetch()
        self.assertEqual(D(3599) / D(3600), point.qty)
        self.assertEqual(D('0.9997222222222222222222222222'), point.qty)
        self.assertEqual(D('2.5'), gnocchi.exact_qty(9000, '1/3600', 0))
        self.assertEqual(D('4.5'), gnocchi.exact_qty(3, 1.5, 0))

    def test_state_names_override(self):
        self.collector = gnocchi.UosGnocchiCollector(
            period=3600, conf=metrics(reduction_state_names={5: 'stopped'}))
        self.collector._conn = self.client
        self.client.aggregates.fetch.return_value = [
            series('vm-a', [(0, 3600, 5)])]
        self.resources = [resource('vm-a', -60)]
        _, (point,) = self.fetch()
        self.assertEqual('stopped', point.groupby['state'])

    def test_measures_outside_the_period_yield_nothing(self):
        self.client.aggregates.fetch.return_value = [
            series('vm-a', [(-240, -60, 1)])]
        self.resources = [resource('vm-a', -7200)]
        self.assertRaises(ck_collector.NoDataCollected, self.fetch)

    def test_resource_not_found_is_skipped(self):
        self.client.aggregates.fetch.return_value = [
            series('vm-a', [(0, 3600, 1)]), series('vm-x', [(0, 3600, 1)])]
        self.resources = [resource('vm-a', -60)]
        _, points = self.fetch()
        self.assertEqual(['vm-a'], [p.groupby['id'] for p in points])

    def test_measures_without_a_resource_warn_once_per_resource(self):
        # A deleted VM's measures outlive its resource's window: every
        # period after its end meets them again.
        self.addCleanup(gnocchi._NOT_FOUND_WARNED.clear)
        gnocchi._NOT_FOUND_WARNED.clear()
        self.client.aggregates.fetch.return_value = [
            series('vm-a', [(0, 3600, 1)]), series('vm-x', [(0, 3600, 1)])]
        self.resources = [resource('vm-a', -60)]
        logger = 'uos_billing.collectors.gnocchi'
        with self.assertLogs(logger, 'DEBUG') as logs:
            for _period in range(3):
                self.fetch()
        self.assertEqual(
            ['WARNING', 'DEBUG', 'DEBUG'],
            [r.levelname for r in logs.records
             if 'vm-x has measures but was not found' in r.getMessage()])
        self.client.aggregates.fetch.return_value = [
            series('vm-a', [(0, 3600, 1)]), series('vm-y', [(0, 3600, 1)])]
        with self.assertLogs(logger, 'WARNING') as logs:
            self.fetch()
        self.assertEqual(['vm-y'], [r.args[2] for r in logs.records])

    def test_unknown_metric_is_no_data(self):
        for error in (gexceptions.MetricNotFound(404, 'Metric not found'),
                      gexceptions.BadRequest(400, {
                          'cause': 'Metrics not found',
                          'detail': ['vm.state']})):
            self.client.aggregates.fetch.side_effect = error
            self.assertEqual([], self.collector.fetch_all(
                'vm.state@#instance', BEGIN, END, PROJECT))
        self.client.resource.search.assert_not_called()

    def test_gnocchi_errors_raise(self):
        for error in (gexceptions.ClientException(500, 'boom'),
                      gexceptions.ClientException(503, 'unavailable'),
                      ks_exceptions.ConnectFailure('refused'),
                      gexceptions.BadRequest(400, {'cause': 'Invalid'})):
            self.client.aggregates.fetch.side_effect = error
            self.assertRaises(type(error), self.fetch)

    def test_resource_search_errors_raise(self):
        self.client.aggregates.fetch.return_value = [
            series('vm-a', [(0, 3600, 1)])]
        self.client.resource.search.side_effect = (
            gexceptions.ClientException(502, 'bad gateway'))
        self.assertRaises(gexceptions.ClientException, self.fetch)

    def test_other_metrics_go_to_cloudkittys_collector(self):
        with mock.patch.object(ck_gnocchi.GnocchiCollector, 'fetch_all',
                               return_value=['p']) as parent:
            self.assertEqual(('volume.size', ['p']),
                             self.fetch('volume.size'))
        parent.assert_called_once_with('volume.size', BEGIN, END,
                                       project_id=PROJECT, q_filter=None)
