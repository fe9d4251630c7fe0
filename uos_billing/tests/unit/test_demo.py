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
"""The demo: its replay collector, and its whole flow over two days."""

import datetime
import decimal
import io
import os

from cloudkitty import db as ck_db
import fixtures

from uos_billing.demo import replay
from uos_billing.demo import report
from uos_billing.demo import run
from uos_billing.demo import scenario
from uos_billing.rating import pricing
from uos_billing.tests import base

D = decimal.Decimal
# Any past month: the figures of its first days do not depend on it.
MONTH = run.previous_month()
METRICS = {'metrics': {'instance': {
    'unit': 'instance', 'groupby': ['id', 'flavor_name', 'state'],
    'metadata': ['flavor_id', 'vcpus', 'ram', 'disk', 'display_name']}}}


def at(days, hours, minutes=0):
    return MONTH + datetime.timedelta(days=days, hours=hours,
                                      minutes=minutes)


class ReplayTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.recording = replay.Recording.load(MONTH, at(31, 0))
        self.collector = replay.ReplayCollector(
            period=3600, conf=METRICS, recording=self.recording)

    def hour(self, project, days, hours):
        begin = at(days, hours)
        return {(p.groupby['id'], p.groupby['state']): p
                for p in self.collector.fetch_all(
                    'instance', begin, begin + datetime.timedelta(hours=1),
                    self.recording.project_id(project))}

    def qty(self, points, vm, state):
        return points[(self.recording.vm_id(vm), state)].qty

    def test_parse_offset(self):
        self.assertEqual(((7 * 24 + 14) * 60 + 15) * 60,
                         replay.parse_offset('7d 14:15'))
        self.assertRaises(ValueError, replay.parse_offset, '7d 24:00')
        self.assertRaises(ValueError, replay.parse_offset, '655200')

    def test_stop_at_half_past_splits_the_hour(self):
        points = self.hour('acme', 13, 9)
        self.assertEqual(D('0.5'), self.qty(points, 'db-1', 'running'))
        self.assertEqual(D('0.5'), self.qty(points, 'db-1', 'shutoff'))
        self.assertEqual(D('1'), self.qty(points, 'web-1', 'running'))
        self.assertEqual(4, len(points))

    def test_created_and_deleted_mid_hour(self):
        self.assertEqual(D('0.75'), self.qty(self.hour('globex', 7, 14),
                                             'batch-1', 'running'))
        self.assertEqual(1, len(self.hour('globex', 7, 13)))
        self.assertEqual(D('0.75'), self.qty(self.hour('initech', 19, 17),
                                             'ci-1', 'running'))
        self.assertEqual(1, len(self.hour('initech', 19, 18)))

    def test_point_fields(self):
        point = self.hour('acme', 0, 0)[(self.recording.vm_id('db-1'),
                                         'running')]
        self.assertEqual('instance', point.unit)
        self.assertEqual(D(0), point.price)
        self.assertEqual('m1.medium', point.groupby['flavor_name'])
        self.assertEqual(self.recording.project_id('acme'),
                         point.groupby['project_id'])
        self.assertEqual({'flavor_id': '3', 'vcpus': 2, 'ram': 4096,
                          'disk': 40, 'display_name': 'db-1'},
                         dict(point.metadata))

    def test_nothing_outside_the_span(self):
        self.assertEqual({}, self.hour('acme', 31, 0))
        self.assertEqual({}, self.hour('acme', -1, 23))

    def test_events_after_the_span_are_left_out(self):
        short = replay.Recording.load(MONTH, at(2, 0))
        events = scenario.project_events(short, short.project_id('acme'))
        self.assertEqual([('recharge', at(0, 0))],
                         [(e.action, e.at) for e in events])


class DemoRunTest(base.TestCase):
    """run_demo over the first two days of the recording, on SQLite.

    One run (about 150 periods through CloudKitty's Worker) serves every
    assertion, to keep the test short.
    """

    def setUp(self):
        super().setUp()
        # cloudkitty.db keeps one engine facade per process: give the run
        # its own, bound to the demo's database, and close it afterwards.
        self.useFixture(fixtures.MonkeyPatch('cloudkitty.db._FACADE', None))
        self.addCleanup(self._dispose)
        pricing.PRICE_BOOKS.clear()
        self.addCleanup(pricing.PRICE_BOOKS.clear)
        self.work = os.path.join(self.useFixture(fixtures.TempDir()).path,
                                 'demo')

    @staticmethod
    def _dispose():
        if ck_db._FACADE is not None:
            with ck_db.session_for_write() as session:
                session.get_bind().dispose()

    def test_two_days(self):
        out = io.StringIO()
        figures = {f.name: f for f in run.run_demo(self.work, MONTH, days=2,
                                                   out=out)}
        self.assertEqual({'acme', 'globex', 'initech'}, set(figures))
        self.check_invariants(figures.values(), out.getvalue())
        self.check_totals(figures)
        self.check_acme(figures['acme'])

    def check_invariants(self, figures, output):
        for project in figures:
            self.assertTrue(project.ledger_ok, project.name)
            self.assertTrue(project.storage_ok, project.name)
            self.assertEqual([], project.missing_hours, project.name)
        self.assertNotIn('FAILED', output)
        self.assertTrue(os.path.exists(os.path.join(self.work,
                                                    'cloudkitty.sqlite')))

    def check_totals(self, figures):
        # 48 hours: acme runs two m1.small (0.02/h) and one m1.medium
        # (0.04/h), globex one m1.medium, initech one m1.large (0.08/h)
        # and one m1.small; opening credits 100, 40 and 5.
        expected = {'acme': ('3.84', '96.16'), 'globex': ('1.92', '38.08'),
                    'initech': ('4.80', '0.20')}
        for name, (charged, balance) in expected.items():
            project = figures[name]
            self.assertEqual(D(charged), project.charges_total, name)
            self.assertEqual(D(balance), project.account['balance'], name)
            self.assertEqual('EUR', project.account['currency'])
            self.assertLess(abs(D(charged) - project.storage_total),
                            D('1e-9'), name)

    def check_acme(self, acme):
        self.assertEqual([('recharge', 1, D('100')),
                          ('charge', 48, D('-3.84'))],
                         [(r.kind, r.count, r.amount) for r in acme.ledger])
        self.assertEqual((at(0, 0), at(2, 0)),
                         (acme.ledger[1].begin, acme.ledger[1].end))
        lines = {(line.resource, line.label, line.mode):
                 (line.periods, line.hours, line.amount)
                 for line in acme.lines}
        self.assertEqual(
            {('db-1', 'm1.medium running', 'on_demand'):
             (48, D(48), D('1.92')),
             ('web-1', 'm1.small running', 'on_demand'):
             (48, D(48), D('0.96')),
             ('web-2', 'm1.small running', 'on_demand'):
             (48, D(48), D('0.96'))}, lines)


class AmountFormatTest(base.TestCase):

    def test_amount_str(self):
        self.assertEqual('0.628', report.amount_str(D('0.6280000000')))
        self.assertEqual('15.30', report.amount_str(D('15.3000000000')))
        self.assertEqual('-47.78', report.amount_str(D('-47.78')))
        self.assertEqual('+100.00', report.signed_str(D('100')))
