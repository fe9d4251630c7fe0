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
"""uos_gnocchi (state seconds) against CloudKitty's gnocchi collector.

Run with ``tox -e bench-collector`` or ``python benchmarks/collector.py
--help``.

A real Gnocchi (``gnocchi_fixture.Gnocchi``: PostgreSQL indexer, file
storage, API and metricd on loopback) holds N ``instance`` resources (2,000
by default) of one project, each with a vm.state metric on the
``uos-billing-state`` policy (last, count at 60 s) and one hour of measures
at 60 s (a VM in three of its minutes paused, one in ten shut off for the
second half). The hour is the one after the resources were created:
CloudKitty's collector asks with ``use_history=True``, which hides measures
older than a resource's first revision.

One period (that hour) of the project is collected by both collectors in
the same process: ``uos_gnocchi`` with state reduction (points per VM and
state, seconds x 1/3600) and CloudKitty's ``gnocchi`` collector with a
plain aggregate of the same metric (``last``, re-aggregated with ``max``,
at the policy's 60 s, as the policy allows nothing coarser), both with the
same groupby and metadata (so both page through the resources). The
figure is the median wall time over ``--rounds`` rounds, alternating which
goes first. The bar: uos_gnocchi at most 2.0 x gnocchi. Exit status 1 when
it is missed.

``--kind volume`` (and ``all``, the default: both) does the same with N
``volume`` resources and their ``volume.size`` measures every 300 s (a
mean policy, as Ceilometer's ceilometer-low): one in ten is extended
from 100 to 150 GiB at the half hour. uos_gnocchi's ``lifecycle``
reduction (GiB-seconds per volume and size) against the gnocchi
collector's plain mean at 300 s, re-aggregated with max; the same bar.
"""

import argparse
import datetime
import os
import statistics
import sys
import time

from oslo_config import cfg
from oslo_utils import uuidutils

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from cloudkitty.collector import gnocchi as ck_gnocchi  # noqa: E402

from uos_billing.collectors import gnocchi as uos_gnocchi  # noqa: E402
from uos_billing.tests.functional import gnocchi_fixture  # noqa: E402

CONF = cfg.CONF
BAR = 2.0
G = 60
PROJECT = uuidutils.generate_uuid()
GROUPBY = ['id', 'project_id', 'flavor_name']
METADATA = ['flavor_id', 'image_ref', 'display_name', 'host']


def metric_conf(state_reduction):
    extra_args = {'resource_type': 'instance', 'aggregation_method': 'last',
                  're_aggregation_method': 'max', 'force_granularity': G}
    groupby = list(GROUPBY)
    if state_reduction:
        extra_args['state_reduction'] = {'gap_threshold': 3 * G}
        groupby.append('state')
    return {'metrics': {'vm.state': {
        'alt_name': 'instance', 'unit': 'hour',
        'factor': '1/3600' if state_reduction else 1,
        'groupby': groupby, 'metadata': list(METADATA),
        'extra_args': extra_args}}}


def state_at(index, minute):
    if index % 10 == 0 and minute >= 30:
        return 5
    if index % 7 == 0 and 20 <= minute < 23:
        return 3
    return 1


def load(client, vms, begin):
    gnocchi_fixture.create_vm_state_schema(client)
    ids = []
    for i in range(vms):
        vm = uuidutils.generate_uuid()
        client.resource.create('instance', {
            'id': vm, 'project_id': PROJECT,
            'started_at': (begin - datetime.timedelta(hours=1)).isoformat(),
            'display_name': 'vm-%d' % i, 'flavor_id': 'f%d' % (i % 3),
            'flavor_name': 'm1.%s' % ('small', 'medium', 'large')[i % 3],
            'host': 'cn%d' % (i % 20), 'image_ref': 'img',
            'metrics': {'vm.state': {
                'archive_policy_name': 'uos-billing-state'}}})
        ids.append(vm)
    return ids


def write_measures(client, ids, begin):
    for chunk in range(0, len(ids), 250):
        batch = {}
        for i, vm in enumerate(ids[chunk:chunk + 250], chunk):
            batch[vm] = {'vm.state': [
                {'timestamp': (begin + datetime.timedelta(
                    seconds=m * G + 23)).isoformat(),
                 'value': state_at(i, m)} for m in range(60)]}
        client.metric.batch_resources_metrics_measures(batch)


VOLUME_POLICY = {'name': 'uosb-bench-low', 'aggregation_methods': ['mean'],
                 'definition': [{'granularity': '300s',
                                 'timespan': '1 day'}]}
VOLUME_TYPE = {'name': 'volume', 'attributes': {
    'display_name': {'type': 'string', 'required': False,
                     'min_length': 0, 'max_length': 255},
    'volume_type': {'type': 'string', 'required': False,
                    'min_length': 0, 'max_length': 255}}}
VOLUME_G = 300


def volume_conf(lifecycle):
    extra_args = {'resource_type': 'volume', 'aggregation_method': 'mean',
                  're_aggregation_method': 'max',
                  'force_granularity': VOLUME_G}
    if lifecycle:
        extra_args['lifecycle'] = {'size_from': 'measures'}
    return {'metrics': {'volume.size': {
        'unit': 'GiB-hour' if lifecycle else 'GiB',
        'factor': '1/3600' if lifecycle else 1,
        'groupby': ['id', 'project_id', 'volume_type'],
        'metadata': ['display_name'], 'extra_args': extra_args}}}


def size_at(index, minute):
    return 150 if index % 10 == 0 and minute >= 30 else 100


def load_volumes(client, volumes, begin):
    client.archive_policy.create(VOLUME_POLICY)
    client.resource_type.create(VOLUME_TYPE)
    ids = []
    for i in range(volumes):
        volume = uuidutils.generate_uuid()
        client.resource.create('volume', {
            'id': volume, 'project_id': PROJECT,
            'started_at': (begin - datetime.timedelta(hours=1)).isoformat(),
            'display_name': 'vol-%d' % i,
            'volume_type': ('ssd', 'hdd')[i % 2],
            'metrics': {'volume.size': {
                'archive_policy_name': VOLUME_POLICY['name']}}})
        ids.append(volume)
    return ids


def write_volume_measures(client, ids, begin):
    for chunk in range(0, len(ids), 250):
        batch = {}
        for i, volume in enumerate(ids[chunk:chunk + 250], chunk):
            batch[volume] = {'volume.size': [
                {'timestamp': (begin + datetime.timedelta(
                    seconds=m * 60 + 23)).isoformat(),
                 'value': size_at(i, m)} for m in range(0, 60, 5)]}
        client.metric.batch_resources_metrics_measures(batch)


class Case(object):
    """One resource kind: its loading, its two collectors, its check."""

    def __init__(self, kind, count):
        self.kind, self.count = kind, count
        if kind == 'vm':
            self.metric, self.load = 'vm.state@#instance', load
            self.write = write_measures
            self.confs = (metric_conf(True), metric_conf(False))
            # Every VM exists the whole hour: one hour each.
            self.expected = count
            self.what = 'seconds per VM and state'
        else:
            self.metric, self.load = 'volume.size', load_volumes
            self.write = write_volume_measures
            self.confs = (volume_conf(True), volume_conf(False))
            # 100 GiB for the hour, 150 for the second half of one in ten.
            self.expected = sum(
                100 if i % 10 else 125 for i in range(count))
            self.what = 'GiB-seconds per volume and size'


def timed(collector, metric, begin, end):
    started = time.perf_counter()
    points = collector.fetch_all(metric, begin, end, PROJECT)
    return time.perf_counter() - started, points


def measure(case, client, begin, end, rounds):
    """(median times, point counts, uos_gnocchi's total qty)."""
    collectors = {
        'uos_gnocchi': uos_gnocchi.UosGnocchiCollector(
            period=3600, conf=case.confs[0]),
        'gnocchi': ck_gnocchi.GnocchiCollector(period=3600,
                                               conf=case.confs[1]),
    }
    times = {name: [] for name in collectors}
    counts = {}
    total = None
    for r in range(rounds + 1):    # round 0 warms up
        order = sorted(collectors, reverse=bool(r % 2))
        for name in order:
            elapsed, points = timed(collectors[name], case.metric, begin,
                                    end)
            counts[name] = len(points)
            if r:
                times[name].append(elapsed)
            if name == 'uos_gnocchi':
                total = sum(p.qty for p in points)
    return ({name: statistics.median(t) for name, t in times.items()},
            counts, total)


def report(case, median, counts, total, rounds):
    """Print the case's figures; True when it passes."""
    if counts['gnocchi'] != case.count:
        print('gnocchi gave %d points for %d %ss' % (
            counts['gnocchi'], case.count, case.kind))
        return False
    if total != case.expected:
        print('uos_gnocchi billed %s for %d %ss, expected %s' % (
            total, case.count, case.kind, case.expected))
        return False
    ratio = median['uos_gnocchi'] / median['gnocchi']
    print('One period, %d %ss, median of %d rounds:' % (
        case.count, case.kind, rounds))
    print('  gnocchi      %7.3f s  %5d points (plain aggregate)' % (
        median['gnocchi'], counts['gnocchi']))
    print('  uos_gnocchi  %7.3f s  %5d points (%s)' % (
        median['uos_gnocchi'], counts['uos_gnocchi'], case.what))
    verdict = 'PASS' if ratio <= BAR else 'FAIL'
    print('  ratio uos_gnocchi / gnocchi = %.2f (bar <= %.1f): %s' % (
        ratio, BAR, verdict))
    return verdict == 'PASS'


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--vms', type=int, default=2000)
    parser.add_argument('--volumes', type=int, default=2000)
    parser.add_argument('--kind', choices=('vm', 'volume', 'all'),
                        default='all')
    parser.add_argument('--rounds', type=int, default=5)
    args = parser.parse_args(argv)
    CONF([], project='cloudkitty')
    cases = [Case(kind, count) for kind, count in (
        ('vm', args.vms), ('volume', args.volumes))
        if args.kind in (kind, 'all')]

    gnocchi = gnocchi_fixture.Gnocchi()
    gnocchi.setUp()
    try:
        client = gnocchi.client
        now = datetime.datetime.now(datetime.timezone.utc)
        begin = now.replace(minute=0, second=0, microsecond=0) + (
            datetime.timedelta(hours=1))
        end = begin + datetime.timedelta(hours=1)
        for case in cases:
            started = time.perf_counter()
            case.write(client, case.load(client, case.count, begin), begin)
            gnocchi.wait_for_processing(timeout=1200)
            print('Gnocchi: %d %ss loaded in %.1f s (period %s)' % (
                case.count, case.kind, time.perf_counter() - started,
                begin.isoformat()))

        CONF.set_override('gnocchi_auth_type', 'basic', 'collector_gnocchi')
        CONF.set_override('gnocchi_user', 'admin', 'collector_gnocchi')
        CONF.set_override('gnocchi_endpoint', gnocchi.endpoint,
                          'collector_gnocchi')
        results = [(case, measure(case, client, begin, end, args.rounds))
                   for case in cases]
    finally:
        gnocchi.cleanUp()
    passed = [report(case, *figures, args.rounds)
              for case, figures in results]
    return 0 if all(passed) else 1


if __name__ == '__main__':
    sys.exit(main())
