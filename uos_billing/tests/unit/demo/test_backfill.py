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
"""The backfill's week: its script, the history player, its settings."""

import configparser
import datetime
import decimal
import io
import os
import shutil

from ceilometer.compute import discovery
from ceilometer import service
import fixtures

from uos_billing.demo.stack import backfill
from uos_billing.demo.stack import domains
from uos_billing.demo.stack import expected
from uos_billing.demo.stack import history
from uos_billing.demo.stack import life
from uos_billing.demo.stack import pricebook
from uos_billing.demo.stack import report
from uos_billing.pollsters import vm_state
from uos_billing.tests import base

D = decimal.Decimal
UTC = datetime.timezone.utc
START = datetime.datetime(2026, 11, 15, 22, 0, tzinfo=UTC)
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..',
                                    '..', '..'))
IDS = {'w-web': '11111111-1111-4111-8111-111111111111',
       'w-db': '22222222-2222-4222-8222-222222222222',
       'w-batch': '33333333-3333-4333-8333-333333333333'}


def at(seconds):
    return START + datetime.timedelta(seconds=seconds)


class TestWeek(base.TestCase):

    def test_week_ends_a_period_before_the_current_hour(self):
        start, end = backfill.week_window(datetime.datetime(
            2026, 11, 22, 23, 17, 52, tzinfo=UTC))
        self.assertEqual(datetime.datetime(2026, 11, 22, 22, 0, tzinfo=UTC),
                         end)
        self.assertEqual(datetime.datetime(2026, 11, 15, 22, 0, tzinfo=UTC),
                         start)

    def test_the_week_bill_from_the_script(self):
        tl = history.timeline(backfill.SCRIPT, backfill.SPECS, START, IDS)
        lines = expected.expected_lines(tl, backfill.SPECS, pricebook.PRICES,
                                        START, START + backfill.WEEK)
        got = {key: (line.seconds, line.amount)
               for key, line in lines.items()}
        self.assertEqual({
            ('w-web', 'm1.small', 'running'): (552330, D('5523.30')),
            ('w-web', 'm1.small', 'paused'): (9280, D('92.80')),
            ('w-web', 'm1.small', 'shutoff'): (43190, D('43.19')),
            ('w-db', 'm1.medium', 'running'): (389100, D('7782.00')),
            ('w-db', 'm1.medium', 'shutoff'): (63620, D('127.24')),
            ('w-batch', 'm1.small', 'running'): (30940, D('309.40')),
        }, got)
        # The project's recharge covers the week: it stays in credit.
        self.assertLess(sum(amount for _s, amount in got.values()),
                        backfill.AMOUNT)

    def test_lifespans(self):
        tl = history.timeline(backfill.SCRIPT, backfill.SPECS, START, IDS)
        self.assertEqual({
            'w-web': (at(0), None),
            'w-db': (at(6 * 3600 + 25 * 60), at(
                5 * 86400 + 12 * 3600 + 10 * 60 + 20)),
            'w-batch': (at(2 * 86400 + 5400), at(
                2 * 86400 + 10 * 3600 + 5 * 60 + 40)),
        }, history.lifespans(tl))

    def test_what_the_past_cannot_hold_is_refused(self):
        specs = {'vm': life.VMSpec('vm', 'w', 'm1.small')}
        for script, words in (
                ([life.Step(0, 'vm', 'create'),
                  life.Step(10, 'vm', life.RESIZE + 'm1.medium')],
                 'resize:m1.medium cannot be played in the past'),
                ([life.Step(0, 'vm', 'create'),
                  life.Step(10, 'vm', life.BUY_MONTHLY)],
                 'buy-monthly cannot be played in the past'),
                ([life.Step(0, 'vm', 'pause')], 'vm does not exist then'),
                ([life.Step(0, 'vm', 'create'), life.Step(5, 'vm', 'delete'),
                  life.Step(9, 'vm', 'start')], 'vm does not exist then'),
                ([life.Step(0, 'vm', 'create'),
                  life.Step(5, 'vm', 'create')], 'vm exists already'),
                ([life.Step(0, 'other', 'create')], 'no VM named other')):
            error = self.assertRaises(ValueError, history.timeline, script,
                                      specs, START, {'vm': IDS['w-web']})
            self.assertIn(words, str(error))


class TestHistory(base.TestCase):
    """Ceilometer's pollster and discovery on libvirt's test driver."""

    def setUp(self):
        super().setUp()
        tmp = self.useFixture(fixtures.TempDir()).path
        node_file = os.path.join(tmp, 'node.xml')
        conf = service.prepare_service([], [])
        conf.set_override('libvirt_uri', 'test://' + node_file)
        conf.set_override('instance_discovery_method', 'libvirt_metadata',
                          group='compute')
        self.specs = {'vm': life.VMSpec('vm', 'w', 'm1.small'),
                      'other': life.VMSpec('other', 'w', 'm1.medium')}
        self.ids = {'vm': IDS['w-web'], 'other': IDS['w-db']}
        self.player = history.History(
            vm_state.VMStatePollster(conf), discovery.InstanceDiscovery(conf),
            node_file, [domains.Domain(
                id=self.ids[vm], name=vm, flavor=spec.flavor,
                project_id='p' * 32, project_name='week', user_id='u' * 32,
                user_name='erin') for vm, spec in self.specs.items()],
            self.ids)

    def test_samples_follow_the_script_on_its_clock(self):
        S = life.Step
        script = [S(0, 'vm', 'create'), S(20, 'vm', 'pause'),
                  S(40, 'vm', 'resume'), S(50, 'vm', 'stop'),
                  S(70, 'vm', 'start'), S(90, 'vm', 'delete'),
                  S(30, 'other', 'create')]
        polls = list(self.player.samples(script, at(0), at(110), 10))
        self.assertEqual([at(s) for s in range(0, 110, 10)],
                         [instant for instant, _samples in polls])
        seen = [[(s.resource_id, s.volume, s.timestamp,
                  s.resource_metadata['flavor_name'],
                  s.resource_metadata['state_name']) for s in samples]
                for _instant, samples in polls]
        vm, other = self.ids['vm'], self.ids['other']
        states = {1: 'running', 3: 'paused', 5: 'shutoff'}
        want = []
        for t, code, other_alive in ((0, 1, 0), (10, 1, 0), (20, 3, 0),
                                     (30, 3, 1), (40, 1, 1), (50, 5, 1),
                                     (60, 5, 1), (70, 1, 1), (80, 1, 1),
                                     (90, None, 1), (100, None, 1)):
            polled = []
            if code is not None:
                polled.append((vm, code, at(t).isoformat(), 'm1.small',
                               states[code]))
            if other_alive:
                polled.append((other, 1, at(t).isoformat(), 'm1.medium',
                               'running'))
            want.append(polled)
        self.assertEqual([set(p) for p in want], [set(p) for p in seen])


class TestStackFiles(base.TestCase):

    def setUp(self):
        super().setUp()
        self.stack = self.useFixture(fixtures.TempDir()).path
        for service_name in ('ceilometer', 'cloudkitty'):
            os.makedirs(os.path.join(self.stack, 'etc', service_name))

    def test_publisher_url_is_the_vm_state_sink(self):
        shutil.copy(os.path.join(REPO, 'etc', 'ceilometer', 'pipeline.yaml'),
                    os.path.join(self.stack, 'etc', 'ceilometer'))
        self.assertEqual(
            'gnocchi://?resources_definition_file='
            'uos_billing_gnocchi_resources.yaml',
            backfill.publisher_url(self.stack))

    def test_no_publisher_for_vm_state_is_named(self):
        with open(os.path.join(self.stack, 'etc', 'ceilometer',
                               'pipeline.yaml'), 'w') as f:
            f.write('sources: [{name: s, meters: ["*"], sinks: [k]}]\n'
                    'sinks: [{name: k, publishers: ["gnocchi://"]}]\n')
        error = self.assertRaises(RuntimeError, backfill.publisher_url,
                                  self.stack)
        self.assertIn('no gnocchi:// publisher takes vm.state', str(error))

    def test_processor_conf_rates_only_the_week_hourly(self):
        with open(os.path.join(self.stack, 'etc', 'cloudkitty',
                               'cloudkitty.conf'), 'w') as f:
            f.write('[DEFAULT]\ntransport_url = rabbit://g:g@h:5672/\n'
                    '[collect]\ncollector = uos_gnocchi\nperiod = 30\n'
                    'wait_periods = 1\n[fetcher]\nbackend = keystone\n'
                    '[database]\nconnection = mysql+pymysql://root@h/ck\n')
        path = os.path.join(self.stack, 'backfill.conf')
        self.assertEqual('uos_gnocchi', backfill.processor_conf(
            self.stack, 'abc', path))
        written = configparser.ConfigParser(interpolation=None)
        written.read(path)
        self.assertEqual('3600', written['collect']['period'])
        self.assertEqual('1', written['collect']['wait_periods'])
        self.assertEqual('source', written['fetcher']['backend'])
        self.assertEqual('abc', written['fetcher_source']['sources'])
        self.assertEqual('mysql+pymysql://root@h/ck',
                         written['database']['connection'])
        self.assertEqual('rabbit://g:g@h:5672/',
                         written['DEFAULT']['transport_url'])


class TestDailyLedger(base.TestCase):

    def test_entries_summed_per_kind_and_day(self):
        entries = [
            {'kind': 'recharge', 'period_begin': None, 'amount': '100.00'},
            {'kind': 'charge', 'period_begin': '2026-11-15T22:00:00+00:00',
             'amount': '-1.5'},
            {'kind': 'charge', 'period_begin': '2026-11-15T23:00:00+00:00',
             'amount': '-2.25'},
            {'kind': 'charge', 'period_begin': '2026-11-16T00:00:00+00:00',
             'amount': '-0.001'},
        ]
        self.assertEqual([('charge', '2026-11-15', 2, '-3.75'),
                          ('charge', '2026-11-16', 1, '-0.00'),
                          ('recharge', '-', 1, '100.00')],
                         report._daily(entries, 'EUR'))
        out = io.StringIO()
        figures = report.ProjectFigures(
            name='w', project_id='p', orders=[], lines=[], entries=entries,
            before=report.Snapshot(D(0), frozenset()), balance=D('96.249'),
            currency='EUR', charged=D('3.751'), expected_charged=D('3.751'),
            allowance=D(0), line_checks=[], poll_interval=0)
        report.print_project(out, figures, daily_ledger=True)
        self.assertIn('per kind and day', out.getvalue())
        # Money at the currency's places, the same in every row.
        self.assertIn('balance 0.00 -> 96.25, ledger adds up: ok',
                      out.getvalue())
        self.assertIn('charged 3.75, expected 3.75 (allowance 0.00): ok',
                      out.getvalue())
        self.assertIn('  charge    2026-11-16        1   -0.00\n',
                      out.getvalue())
