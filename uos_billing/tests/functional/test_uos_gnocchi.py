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
"""The uos_gnocchi collector against a real Gnocchi, and under CloudKitty.

A scripted day of VMs: resources on Gnocchi's ``instance`` type with their
started_at/ended_at, vm.state measures written as a 60 s poller would take
them (23 s into each minute) into the ``uos-billing-state`` policy (last,
count at 60 s). The collector's points for single hours are compared with
the seconds the script says, and CloudKitty's orchestrator Worker rates the
day's 24 periods with this collector and the ``billing`` module on SQLite:
the ledger holds the expected total to the last stored decimal place.
"""

import datetime
import decimal
import fractions
import os

from cloudkitty import db as ck_db
from cloudkitty import orchestrator
from cloudkitty import storage as ck_storage
from cloudkitty import storage_state
import fixtures
from gnocchiclient import exceptions as gexceptions
from oslo_config import cfg
from oslo_config import fixture as config_fixture
from oslo_utils import uuidutils
import testtools
from testtools import content
import yaml

from uos_billing.collectors import gnocchi as uos_gnocchi
from uos_billing.core import clock
from uos_billing.core import money
from uos_billing.core import pricebook
from uos_billing.demo import environment
from uos_billing.rating.db import api as db_api
from uos_billing.rating import pricing
from uos_billing.tests.functional import gnocchi_fixture

CONF = cfg.CONF
D = decimal.Decimal
H = 3600
G = 60
POLL_OFFSET = 23
RUNNING, PAUSED, SHUTOFF = 1, 3, 5
NAMES = {RUNNING: 'running', PAUSED: 'paused', SHUTOFF: 'shutoff'}
DAY = (datetime.datetime.now(clock.UTC).replace(
    hour=0, minute=0, second=0, microsecond=0) - datetime.timedelta(days=2))
PROJECT = uuidutils.generate_uuid()
OTHER = uuidutils.generate_uuid()

STATE_METRIC = {
    'vm.state': {
        'alt_name': 'instance', 'unit': 'hour', 'factor': '1/3600',
        'groupby': ['id', 'project_id', 'flavor_name', 'state'],
        'metadata': ['flavor_id', 'image_ref', 'display_name', 'host'],
        'extra_args': {'resource_type': 'instance',
                       'aggregation_method': 'last',
                       'force_granularity': G,
                       'state_reduction': {'gap_threshold': 3 * G}},
    },
}


def hm(hours, minutes=0, seconds=0):
    return (hours * 60 + minutes) * 60 + seconds


class VM(object):
    """A scripted VM: [begin, end) intervals in seconds from DAY."""

    def __init__(self, name, project, flavor, started, ended, intervals,
                 gaps=(), set_ended_at=True):
        self.id = uuidutils.generate_uuid()
        self.name, self.project, self.flavor = name, project, flavor
        self.started, self.ended = started, ended
        self.intervals, self.gaps = intervals, gaps
        self.set_ended_at = set_ended_at

    def state_at(self, t):
        for begin, end, state in self.intervals:
            if begin <= t < end:
                return state
        return None

    def samples(self):
        """(seconds, state) polled every minute while the VM exists."""
        first = (self.started // G) * G + POLL_OFFSET
        for t in range(first, self.ended, G):
            if t < self.started or any(b <= t < e for b, e in self.gaps):
                continue
            yield t, self.state_at(t)

    def seconds(self, begin, end):
        """{state: seconds} actually spent in [begin, end), gaps left out."""
        found = {}
        for lo, hi, state in self.intervals:
            pieces = [(max(lo, begin, self.started),
                       min(hi, end, self.ended))]
            for g_lo, g_hi in self.gaps:
                # Unsampled minutes: [g_lo, g_hi) rounded to the minutes.
                g_lo, g_hi = (g_lo // G) * G, -(-g_hi // G) * G
                cut = []
                for a, b in pieces:
                    cut += [(a, min(b, g_lo)), (max(a, g_hi), b)]
                pieces = cut
            total = sum(b - a for a, b in pieces if b > a)
            if total:
                found[state] = found.get(state, 0) + total
        return found


VMS = [
    # Created 17 s into the day, paused 3:20-3:30, shut off 12:00-14:00,
    # deleted 40 s before the day's end.
    VM('v1', PROJECT, 'm1.small', 17, hm(24) - 40,
       [(0, hm(3, 20), RUNNING), (hm(3, 20), hm(3, 30), PAUSED),
        (hm(3, 30), hm(12), RUNNING), (hm(12), hm(14), SHUTOFF),
        (hm(14), hm(24), RUNNING)]),
    # There since yesterday; no samples for 20 minutes at 5:10; shut off
    # at 20:00.
    VM('v2', PROJECT, 'm1.large', -86400, hm(30),
       [(-86400, hm(20), RUNNING), (hm(20), hm(30), SHUTOFF)],
       gaps=[(hm(5, 10), hm(5, 30))]),
    # Created at 9:00:40, deleted at 9:45:13.
    VM('v3', PROJECT, 'm1.small', hm(9, 0, 40), hm(9, 45, 13),
       [(0, hm(24), RUNNING)]),
    # Another project; deleted at 15:30:30 without Gnocchi learning it.
    VM('v4', OTHER, 'm1.small', hm(15), hm(15, 30, 30),
       [(0, hm(24), RUNNING)], set_ended_at=False),
]

PRICES = {('m1.small', 'running'): '0.1000', ('m1.small', 'paused'): '0.03',
          ('m1.small', 'shutoff'): '0.02', ('m1.large', 'running'): '0.40',
          ('m1.large', 'shutoff'): '0.0512'}


def at(seconds):
    return DAY + datetime.timedelta(seconds=seconds)


class UosGnocchiBase(testtools.TestCase):
    """One Gnocchi with the scripted day for the whole class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gnocchi = gnocchi_fixture.Gnocchi()
        cls.gnocchi.setUp()
        try:
            cls._load_day(cls.gnocchi.client)
        except BaseException:
            cls.gnocchi.cleanUp()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.gnocchi.cleanUp()
        super().tearDownClass()

    @classmethod
    def _load_day(cls, client):
        gnocchi_fixture.create_vm_state_schema(client)
        batch = {}
        for vm in VMS:
            attributes = {
                'id': vm.id, 'project_id': vm.project,
                'started_at': at(vm.started).isoformat(),
                'display_name': vm.name, 'flavor_id': vm.flavor + '-id',
                'flavor_name': vm.flavor, 'host': 'cn1', 'image_ref': 'img',
                'metrics': {'vm.state': {
                    'archive_policy_name': 'uos-billing-state'}}}
            if vm.set_ended_at:
                attributes['ended_at'] = at(vm.ended).isoformat()
            client.resource.create('instance', attributes)
            batch[vm.id] = {'vm.state': [
                {'timestamp': at(t).isoformat(), 'value': state}
                for t, state in vm.samples() if t >= -hm(2)]}
        client.metric.batch_resources_metrics_measures(batch)
        cls.gnocchi.wait_for_processing(timeout=120)

    def setUp(self):
        super().setUp()
        self.addOnException(self._gnocchi_logs)
        # cloudkitty.db keeps one engine facade per process.
        self.useFixture(fixtures.MonkeyPatch('cloudkitty.db._FACADE', None))

    def _gnocchi_logs(self, exc_info):
        self.addDetail('gnocchi-api.log', content.text_content(
            gnocchi_fixture.tail(self.gnocchi.api_log)))

    def use_gnocchi(self, conf):
        conf.set_override('gnocchi_auth_type', 'basic', 'collector_gnocchi')
        conf.set_override('gnocchi_user', 'admin', 'collector_gnocchi')
        conf.set_override('gnocchi_endpoint', self.gnocchi.endpoint,
                          'collector_gnocchi')


class CollectorTest(UosGnocchiBase):

    def setUp(self):
        super().setUp()
        conf = self.useFixture(config_fixture.Config(CONF)).conf
        self.use_gnocchi(conf)
        self.collector = uos_gnocchi.UosGnocchiCollector(
            period=H, conf={'metrics': STATE_METRIC})

    def hour(self, hour, project=PROJECT):
        points = self.collector.fetch_all(
            'vm.state@#instance', at(hm(hour)), at(hm(hour + 1)), project)
        names = {vm.id: vm.name for vm in VMS}
        return {(names[p.groupby['id']], p.groupby['state']): p
                for p in points}

    def expected(self, hour, project=PROJECT):
        found = {}
        for vm in VMS:
            if vm.project != project:
                continue
            for state, s in vm.seconds(hm(hour), hm(hour + 1)).items():
                found[vm.name, NAMES[state]] = s
        return found

    def seconds(self, points):
        """Points' qty as whole seconds (qty must be exactly s / 3600)."""
        found = {}
        for key, point in points.items():
            s = int((point.qty * H).to_integral_value())
            self.assertEqual(uos_gnocchi.exact_qty(s, '1/3600', 0),
                             point.qty, key)
            found[key] = s
        return found

    def test_hours_match_the_script_exactly(self):
        for hour in (0, 3, 5, 9, 12, 13, 14, 20, 23):
            points = self.hour(hour)
            self.assertEqual(self.expected(hour), self.seconds(points),
                             'hour %d' % hour)

    def test_paused_hour(self):
        points = self.hour(3)
        self.assertEqual({('v1', 'running'): 3000, ('v1', 'paused'): 600,
                          ('v2', 'running'): 3600}, self.seconds(points))
        p = points['v1', 'paused']
        self.assertEqual(PROJECT, p.groupby['project_id'])
        self.assertEqual('m1.small', p.groupby['flavor_name'])
        # v1's resource ends at 23:59:20 (the script's end): every point
        # carries it, for the billing module to close its orders.
        self.assertEqual({'flavor_id': 'm1.small-id', 'image_ref': 'img',
                          'display_name': 'v1', 'host': 'cn1',
                          'estimated': False, 'gap_seconds': 0,
                          'ended_at': at(VMS[0].ended).isoformat()},
                         dict(p.metadata))

    def test_first_and_last_hour_bounded_by_the_resource(self):
        self.assertEqual(D(3600 - 17) / H, self.hour(0)['v1', 'running'].qty)
        self.assertEqual(D(3600 - 40) / H,
                         self.hour(23)['v1', 'running'].qty)
        self.assertEqual({('v3', 'running'): hm(0, 44, 33),
                          ('v1', 'running'): 3600, ('v2', 'running'): 3600},
                         self.seconds(self.hour(9)))

    def test_gap_is_reported_not_billed(self):
        p = self.hour(5)['v2', 'running']
        self.assertEqual(2400, self.seconds({'v2': p})['v2'])
        self.assertEqual((True, 1200), (p.metadata['estimated'],
                                        p.metadata['gap_seconds']))

    def test_unbounded_vm_within_one_granularity(self):
        # v4 vanished at 15:30:30 but its resource has no ended_at.
        (p,) = self.hour(15, OTHER).values()
        billed = self.seconds({'v4': p})['v4']
        self.assertLessEqual(abs(billed - hm(0, 30, 30)), G)
        self.assertTrue(p.metadata['estimated'])
        self.assertEqual({}, self.hour(16, OTHER))

    def test_outside_the_day_nothing(self):
        self.assertEqual({}, self.hour(26, OTHER))
        self.assertEqual({}, self.hour(14, OTHER))

    def test_unknown_metric_is_no_data(self):
        conf = {'metrics': {'vm.status': dict(STATE_METRIC['vm.state'])}}
        collector = uos_gnocchi.UosGnocchiCollector(period=H, conf=conf)
        self.assertEqual([], collector.fetch_all(
            'vm.status@#instance', at(0), at(H), PROJECT))

    def test_gnocchi_down_raises(self):
        CONF.set_override('gnocchi_endpoint', 'http://127.0.0.1:%d' % (
            gnocchi_fixture.free_port()), 'collector_gnocchi')
        collector = uos_gnocchi.UosGnocchiCollector(
            period=H, conf={'metrics': STATE_METRIC})
        self.assertRaises(gexceptions.ConnectionFailure, collector.fetch_all,
                          'vm.state@#instance', at(0), at(H), PROJECT)


CK_CONF = """\
[DEFAULT]
transport_url = fake:/
auth_strategy = noauth

[database]
connection = sqlite:///{work}/cloudkitty.sqlite

[storage]
version = 1
backend = sqlalchemy

[orchestrator]
coordination_url = file://{work}/locks
max_workers = 1
max_workers_reprocessing = 0

[collect]
collector = uos_gnocchi
period = 3600
wait_periods = 0
metrics_conf = {work}/metrics.yml

[fetcher]
backend = source

[fetcher_source]
sources = {project}

[collector_gnocchi]
gnocchi_auth_type = basic
gnocchi_user = admin
gnocchi_endpoint = {endpoint}

[billing]
default_currency = EUR
"""


class WorkerDayTest(UosGnocchiBase):
    """CloudKitty's Worker rates the day with uos_gnocchi and billing."""

    def setUp(self):
        super().setUp()
        self.addCleanup(CONF.reset)
        self.addCleanup(self._dispose)
        pricing.PRICE_BOOKS.clear()
        self.addCleanup(pricing.PRICE_BOOKS.clear)
        self.work = self.useFixture(fixtures.TempDir()).path
        os.makedirs(os.path.join(self.work, 'locks'))
        with open(os.path.join(self.work, 'metrics.yml'), 'w') as f:
            yaml.safe_dump({'metrics': STATE_METRIC}, f)
        path = os.path.join(self.work, 'cloudkitty.conf')
        with open(path, 'w') as f:
            f.write(CK_CONF.format(work=self.work, project=PROJECT,
                                   endpoint=self.gnocchi.endpoint))
        environment.load_config(path)
        environment.create_schema()
        environment.enable_billing_module()

    @staticmethod
    def _dispose():
        if ck_db._FACADE is not None:
            with ck_db.session_for_write() as session:
                session.get_bind().dispose()

    def create_products(self, dbapi):
        for (flavor, state), price in sorted(PRICES.items()):
            dbapi.create_product(pricebook.Product.build(
                id=uuidutils.generate_uuid(), name='%s %s' % (flavor, state),
                service='instance', match={'flavor_name': flavor,
                                           'state': state},
                on_demand_price=D(price), currency='EUR',
                effective_from=DAY - datetime.timedelta(days=1)),
                created_by='test', now=DAY - datetime.timedelta(days=1))

    def expected_charges(self):
        """Per period: sum of qty x price as the billing module stores it."""
        hour_fraction = fractions.Fraction(1, H)
        total = money.ZERO
        for hour in range(24):
            for vm in VMS:
                if vm.project != PROJECT:
                    continue
                for state, s in vm.seconds(hm(hour), hm(hour + 1)).items():
                    qty = uos_gnocchi.exact_qty(s, hour_fraction, 0)
                    price = D(PRICES[vm.flavor, NAMES[state]])
                    total += money.stored(money.CONTEXT.multiply(qty, price))
        return total

    def test_a_day_of_periods(self):
        dbapi = db_api.get_instance()
        self.create_products(dbapi)
        collector = uos_gnocchi.UosGnocchiCollector(
            period=H, conf=yaml.safe_load(open(CONF.collect.metrics_conf)))
        storage = ck_storage.get_storage()
        storage_state.StateManager().set_last_processed_timestamp(
            PROJECT, DAY - datetime.timedelta(hours=1))
        worker = orchestrator.Worker(collector, storage, tenant_id=PROJECT,
                                     worker_id=0)
        try:
            for _ in range(24):
                self.assertTrue(worker.execute_worker_processing())
        finally:
            worker.thread_executor.shutdown()
        self.assertEqual(
            clock.naive_utc(at(hm(23))),
            clock.naive_utc(storage_state.StateManager()
                            .get_last_processed_timestamp(PROJECT)))
        entries = dbapi.list_ledger(PROJECT)
        charges = [e for e in entries if e['kind'] == 'charge']
        self.assertEqual(24, len(charges))
        expected = self.expected_charges()
        ledger = -sum((e['amount'] for e in charges), money.ZERO)
        self.assertEqual(expected, ledger)
        self.assertEqual(money.round_total(expected, 'EUR'),
                         money.round_total(ledger, 'EUR'))
        rows = dbapi.list_charges(PROJECT)
        self.assertEqual(expected, sum((r['amount'] for r in rows),
                                       money.ZERO))
