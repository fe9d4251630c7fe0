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
"""Sized metrics of the uos_gnocchi collector, with a mocked gnocchiclient."""

import copy
import decimal
from unittest import mock

import voluptuous

from uos_billing.collectors import gnocchi
from uos_billing.tests import base
from uos_billing.tests.unit.collectors import test_gnocchi as tg

D = decimal.Decimal
at = tg.at
PROJECT = tg.PROJECT

VOLUME_METRIC = {
    'unit': 'GiB-hour',
    'factor': '1/3600',
    'groupby': ['id', 'project_id', 'volume_type'],
    'metadata': ['display_name'],
    'extra_args': {
        'resource_type': 'volume',
        'force_granularity': 300,
        'lifecycle': {'size_from': 'measures'},
    },
}


def volume_metrics(**lifecycle):
    met = copy.deepcopy(VOLUME_METRIC)
    met['extra_args']['lifecycle'].update(lifecycle)
    return {'metrics': {'volume.size': met}}


def volume(vol, started, ended=None, **attrs):
    return dict({'id': vol, 'project_id': PROJECT, 'volume_type': 'ssd',
                 'display_name': vol, 'size': 100,
                 'started_at': at(started).isoformat(),
                 'ended_at': None if ended is None else at(ended).isoformat()},
                **attrs)


def sizes(vol, stretches):
    """An aggregates group: [(from_s, to_s, size)] at 300 s."""
    return {'group': {'id': vol},
            'measures': {'measures': {'aggregated': [
                [at(t).isoformat(), 300.0, float(size)]
                for begin, end, size in stretches
                for t in range(begin, end, 300)]}}}


class CheckSizedConfigurationTest(base.TestCase):

    check = staticmethod(gnocchi.UosGnocchiCollector.check_configuration)

    def test_defaults(self):
        met = self.check(volume_metrics())['volume.size']
        self.assertEqual(
            {'resource_type': 'volume', 'resource_key': 'id',
             'aggregation_method': 'max', 're_aggregation_method': 'max',
             'force_granularity': 300,
             'lifecycle': {'size_from': 'measures', 'size_attribute': 'size',
                           'size_key': 'size', 'gap_threshold': 900}},
            met['extra_args'])
        self.assertEqual(['id', 'project_id', 'volume_type', 'size'],
                         met['groupby'])

    def test_errors_name_the_metric_and_the_key(self):
        for conf, words in (
                (volume_metrics(size_from='poll'),
                 'metric volume.size: extra_args.lifecycle.size_from'),
                (volume_metrics(gap_threshold=-1),
                 'extra_args.lifecycle.gap_threshold'),
                (volume_metrics(sise_key='x'),
                 'extra_args.lifecycle.sise_key'),
                (volume_metrics(size_key='display_name'),
                 "size_key: 'display_name' is a metadata key too")):
            e = self.assertRaises(voluptuous.Invalid, self.check, conf)
            self.assertIn(words, str(e))

    def test_states_and_lifecycle_exclude_each_other(self):
        conf = volume_metrics()
        conf['metrics']['volume.size']['extra_args']['state_reduction'] = {}
        e = self.assertRaises(voluptuous.Invalid, self.check, conf)
        self.assertIn('state_reduction and lifecycle exclude each other',
                      str(e))

    def test_mutate_is_refused(self):
        conf = volume_metrics()
        conf['metrics']['volume.size']['mutate'] = 'NUMBOOL'
        e = self.assertRaises(voluptuous.Invalid, self.check, conf)
        self.assertIn('a sized metric counts size x seconds', str(e))


class SizedCollectorTest(base.TestCase):

    def collector(self, **lifecycle):
        self.conf.set_override('gnocchi_auth_type', 'basic',
                               'collector_gnocchi')
        self.conf.set_override('gnocchi_endpoint', 'http://127.0.0.1:1',
                               'collector_gnocchi')
        collector = gnocchi.UosGnocchiCollector(
            period=3600, conf=volume_metrics(**lifecycle))
        self.client = mock.Mock()
        collector._conn = self.client
        self.client.resource.search.side_effect = (
            lambda resource_type, query, sorts, marker: [
                r for r in self.resources
                if marker is None or r['id'] > marker][:2])
        return collector

    def fetch(self, collector):
        _name, points = collector.retrieve('volume.size', tg.BEGIN, tg.END,
                                           PROJECT)
        return {(p.groupby['id'], p.groupby['size']): p for p in points}

    def test_measures_split_at_an_extend(self):
        collector = self.collector()
        self.client.aggregates.fetch.return_value = [
            sizes('vol-a', [(-600, 1800, 100), (1800, 3600, 150)]),
            sizes('vol-b', [(0, 1200, 20)])]
        self.resources = [volume('vol-a', -86400),
                          volume('vol-b', 300, 1500, size=20)]
        points = self.fetch(collector)
        self.assertEqual(
            {('vol-a', '100'): D(100 * 1800) / 3600,
             ('vol-a', '150'): D(150 * 1800) / 3600,
             ('vol-b', '20'): D(20 * 1200) / 3600},
            {k: p.qty for k, p in points.items()})
        b = points['vol-b', '20']
        self.assertEqual(
            {'display_name': 'vol-b', 'estimated': False, 'gap_seconds': 0,
             'billed_seconds': 1200, 'ended_at': at(1500).isoformat()},
            dict(b.metadata))
        self.assertEqual('ssd', b.groupby['volume_type'])
        self.client.aggregates.fetch.assert_called_once_with(
            ['aggregate', 'max', ['metric', 'volume.size', 'max']],
            resource_type='volume',
            search={'and': [{'=': {'type': 'volume'}},
                            {'=': {'project_id': PROJECT}}]},
            groupby=['id'], start=at(-1200), stop=at(3600 + 1200),
            granularity=300, use_history=False)

    def test_the_size_attribute_is_exact_to_the_second(self):
        collector = self.collector(size_from='attribute')
        # Created at 10:05:07 as 10 GiB, extended to 20 at 10:20:00,
        # deleted at 10:41:13; never polled.
        self.resources = [volume('vol-c', 307, 2473, size=20,
                                 revision_start=at(1200).isoformat())]
        self.client.resource.history.return_value = [
            volume('vol-c', 307, size=10,
                   revision_start=at(307).isoformat()),
            volume('vol-c', 307, 2473, size=20,
                   revision_start=at(1200).isoformat())]
        points = self.fetch(collector)
        self.assertEqual(
            {('vol-c', '10'): D(10 * 893) / 3600,
             ('vol-c', '20'): D(20 * 1273) / 3600},
            {k: p.qty for k, p in points.items()})
        self.assertEqual([893, 1273], [points[k].metadata['billed_seconds']
                                       for k in sorted(points)])
        self.client.aggregates.fetch.assert_not_called()

    def test_a_bad_size_skips_its_resource_only(self):
        collector = self.collector(size_from='attribute')
        self.resources = [volume('vol-d', -60, size=None),
                          volume('vol-e', -60, size=5)]
        with self.assertLogs('uos_billing.collectors.sized',
                             'WARNING') as logs:
            points = self.fetch(collector)
        self.assertEqual([('vol-e', '5')], sorted(points))
        self.assertIn('resource vol-d has no size; the resource is skipped',
                      logs.output[0])

    def test_ended_after_its_last_billed_second_gives_a_point_of_nothing(
            self):
        collector = self.collector()
        # Last measure at -1800 (a gap after it); deleted at 1 s.
        self.client.aggregates.fetch.return_value = [
            sizes('vol-f', [(-2400, -1500, 40)])]
        self.resources = [volume('vol-f', -86400, 1)]
        points = self.fetch(collector)
        self.assertEqual({('vol-f', '40'): D(0)},
                         {k: p.qty for k, p in points.items()})
        self.assertEqual(at(1).isoformat(),
                         points['vol-f', '40'].metadata['ended_at'])
