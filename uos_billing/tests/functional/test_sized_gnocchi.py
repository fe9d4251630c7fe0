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
"""Sized metrics of the uos_gnocchi collector against a real Gnocchi.

Volumes on a ``volume`` resource type as Ceilometer's would be (with a
``size`` attribute for the attribute source), ``volume.size`` measures in
a 300 s mean policy as Ceilometer's ceilometer-low keeps them. The points
must be the script's size x seconds exactly: from the polled sizes on the
granularity's instants, and from the size attribute's revisions at the
instants Gnocchi recorded them.
"""

import datetime
import decimal

from oslo_config import cfg
from oslo_config import fixture as config_fixture
from oslo_utils import uuidutils

from uos_billing.collectors import gnocchi as uos_gnocchi
from uos_billing.core import clock
from uos_billing.tests.functional import test_uos_gnocchi

CONF = cfg.CONF
D = decimal.Decimal
H = 3600
G = 300
PROJECT = uuidutils.generate_uuid()
POLICY = {'name': 'uosb-test-low', 'aggregation_methods': ['mean'],
          'definition': [{'granularity': '300s', 'timespan': '7 days'}]}
_STRING = {'type': 'string', 'min_length': 0, 'max_length': 255}
VOLUME_TYPE = {'name': 'volume', 'attributes': {
    'display_name': dict(_STRING, required=False),
    'volume_type': dict(_STRING, required=False),
    'size': {'type': 'number', 'required': False, 'min': 0}}}


def metric(size_from):
    return {'volume.size': {
        'unit': 'GiB-hour', 'factor': '1/3600',
        'groupby': ['id', 'project_id', 'volume_type'],
        'metadata': ['display_name'],
        'extra_args': {'resource_type': 'volume',
                       'aggregation_method': 'mean',
                       'force_granularity': G,
                       'lifecycle': {'size_from': size_from}}}}


at, hm = test_uos_gnocchi.at, test_uos_gnocchi.hm


class SizedGnocchiTest(test_uos_gnocchi.UosGnocchiBase):
    """One Gnocchi for the class, as test_uos_gnocchi's, with volumes."""

    @classmethod
    def _load_day(cls, client):
        client.archive_policy.create(POLICY)
        client.resource_type.create(VOLUME_TYPE)
        # vol-p: created at 10:02:03 as 100 GiB, extended to 150 between
        # the polls of 10:25 and 10:30, deleted at 11:20:00; polled every
        # 300 s, 23 s into the granularity.
        cls.polled = uuidutils.generate_uuid()
        client.resource.create('volume', {
            'id': cls.polled, 'project_id': PROJECT,
            'started_at': at(hm(10, 2, 3)).isoformat(),
            'ended_at': at(hm(11, 20)).isoformat(),
            'display_name': 'vol-p', 'volume_type': 'ssd',
            'metrics': {'volume.size': {
                'archive_policy_name': POLICY['name']}}})
        measures = [{'timestamp': at(t + 23).isoformat(),
                     'value': 100 if t < hm(10, 30) else 150}
                    for t in range(hm(10), hm(11, 20), G)]
        client.metric.batch_resources_metrics_measures(
            {cls.polled: {'volume.size': measures}})
        cls.gnocchi.wait_for_processing(timeout=120)

    def setUp(self):
        super().setUp()
        self.use_gnocchi(self.useFixture(config_fixture.Config(CONF)).conf)

    def points(self, size_from, begin, end):
        collector = uos_gnocchi.UosGnocchiCollector(
            period=H, conf={'metrics': metric(size_from)})
        return {p.groupby['size']: p for p in collector.fetch_all(
            'volume.size', begin, end, PROJECT)}

    def test_polled_sizes_split_at_the_granularity_of_the_extend(self):
        # The 10:25 poll (in the 10:25 bucket) still saw 100 GiB.
        hour = self.points('measures', at(hm(10)), at(hm(11)))
        self.assertEqual({'100': D(100 * (hm(10, 30) - hm(10, 2, 3))) / H,
                          '150': D(150 * hm(0, 30)) / H},
                         {size: p.qty for size, p in hour.items()})
        self.assertEqual((hm(0, 27, 57), 'ssd'),
                         (hour['100'].metadata['billed_seconds'],
                          hour['100'].groupby['volume_type']))
        # Deleted at 11:20:00: twenty minutes of 150 GiB.
        hour = self.points('measures', at(hm(11)), at(hm(12)))
        self.assertEqual({'150': D(150 * hm(0, 20)) / H},
                         {size: p.qty for size, p in hour.items()})
        self.assertEqual(at(hm(11, 20)).isoformat(),
                         hour['150'].metadata['ended_at'])

    def test_the_size_attribute_splits_at_its_revision(self):
        client = self.gnocchi.client
        volume_id = uuidutils.generate_uuid()
        started = clock.instant(datetime.datetime.now(clock.UTC) -
                                datetime.timedelta(minutes=10))
        client.resource.create('volume', {
            'id': volume_id, 'project_id': PROJECT,
            'started_at': started.isoformat(), 'display_name': 'vol-a',
            'volume_type': 'hdd', 'size': 10})
        # The resize notification's update: a revision from now.
        client.resource.update('volume', volume_id, {'size': 25})
        history = client.resource.history('volume', volume_id)
        extended = clock.instant(datetime.datetime.fromisoformat(
            history[-1]['revision_start']))
        # A period around both instants, ending after them.
        begin = started - datetime.timedelta(minutes=5)
        end = extended + datetime.timedelta(seconds=90)
        got = self.points('attribute', begin, end)
        first = clock.seconds_between(started, extended)
        self.assertEqual(
            {'10': uos_gnocchi.exact_qty(10 * first, '1/3600', 0),
             '25': uos_gnocchi.exact_qty(25 * 90, '1/3600', 0)},
            {size: p.qty for size, p in got.items()
             if p.groupby['id'] == volume_id})
        self.assertEqual(first, got['10'].metadata['billed_seconds'])
