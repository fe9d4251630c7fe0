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
"""The stack demo's own arithmetic, node files and script player."""

import datetime
import decimal
import importlib.util
import io
import os
from unittest import mock

import fixtures
import libvirt

from uos_billing.demo.stack import domains
from uos_billing.demo.stack import expected
from uos_billing.demo.stack import life
from uos_billing.tests import base

D = decimal.Decimal
UTC = datetime.timezone.utc
T0 = datetime.datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
PRICES = {'m1.small': expected.Prices(D('36.00'), D('3.60'), D('500')),
          'm1.medium': expected.Prices(D('72.00'), D('7.20'), D('900'))}
SPECS = {'web': life.VMSpec('web', 'a', 'm1.small')}


def at(seconds):
    return T0 + datetime.timedelta(seconds=seconds)


class TestExpected(base.TestCase):

    def test_intervals_clipped_to_the_window(self):
        changes = [('running', at(-10)), ('paused', at(60)),
                   (None, at(100))]
        self.assertEqual(
            [('running', at(0), at(60)), ('paused', at(60), at(100))],
            expected.intervals(changes, at(0), at(90 + 30)))

    def test_open_life_runs_to_the_window_end(self):
        self.assertEqual([('shutoff', at(30), at(120))], expected.intervals(
            [('shutoff', at(30))], at(0), at(120)))

    def test_lines_seconds_amounts_and_edges(self):
        timeline = life.Timeline(states={'web': [
            ('running', at(5)), ('shutoff', at(65)), ('running', at(95)),
            (None, at(125))]})
        lines = expected.expected_lines(timeline, SPECS, PRICES, at(0),
                                        at(150))
        running = lines[('web', 'm1.small', 'running')]
        shutoff = lines[('web', 'm1.small', 'shutoff')]
        self.assertEqual((90, 90, D('0.9'), 4), (
            running.seconds, running.charged_seconds, running.amount,
            running.edges))
        self.assertEqual((30, D('0.03'), 2), (
            shutoff.seconds, shutoff.amount, shutoff.edges))
        # 10 s of a 36.00/h price per edge.
        self.assertEqual(D('0.4'), expected.tolerance(running, PRICES, 10))

    def test_monthly_term_makes_running_seconds_free_not_stopped_ones(self):
        timeline = life.Timeline(
            states={'web': [('running', at(0)), ('shutoff', at(100))]},
            purchases={'web': ({'id': 'o'}, at(40))})
        lines = expected.expected_lines(timeline, SPECS, PRICES, at(0),
                                        at(120))
        self.assertEqual((100, 40, D('0.4')), (
            lines[('web', 'm1.small', 'running')].seconds,
            lines[('web', 'm1.small', 'running')].charged_seconds,
            lines[('web', 'm1.small', 'running')].amount))
        self.assertEqual(D('0.02'),
                         lines[('web', 'm1.small', 'shutoff')].amount)

    def test_resize_splits_lines_by_flavor(self):
        timeline = life.Timeline(
            states={'web': [('running', at(0)), ('shutoff', at(60)),
                            ('running', at(100))]},
            flavors={'web': [('m1.small', at(0)), ('m1.medium', at(80))]})
        lines = expected.expected_lines(timeline, SPECS, PRICES, at(0),
                                        at(120))
        self.assertEqual({
            ('web', 'm1.small', 'running'): (60, D('0.6')),
            ('web', 'm1.small', 'shutoff'): (20, D('0.02')),
            ('web', 'm1.medium', 'shutoff'): (20, D('0.04')),
            ('web', 'm1.medium', 'running'): (20, D('0.4'))},
            {k: (v.seconds, v.amount) for k, v in lines.items()})

    def test_period_ceil(self):
        self.assertEqual(at(30), expected.period_ceil(at(1), 30))
        self.assertEqual(at(30), expected.period_ceil(at(30), 30))


class TestNodeFile(base.TestCase):

    def test_libvirt_test_driver_reads_states_and_nova_metadata(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'node.xml')
        vms = [domains.Domain('8a0f0d40-0000-4000-8000-00000000000%d' % i,
                              name, flavor, 'p', 'demo-a', 'u', 'carol',
                              state)
               for i, (name, flavor, state) in enumerate((
                   ('web', 'm1.small', 'running'),
                   ('db', 'm1.medium', 'paused'),
                   ('old', 'm1.small', 'shutoff')))]
        domains.write_node_file(path, vms)
        conn = libvirt.open('test://' + path)
        self.addCleanup(conn.close)
        found = {d.UUIDString(): d for d in conn.listAllDomains()}
        self.assertEqual(
            [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_PAUSED,
             libvirt.VIR_DOMAIN_SHUTOFF],
            [found[vm.id].state()[0] for vm in vms])
        metadata = found[vms[1].id].metadata(
            libvirt.VIR_DOMAIN_METADATA_ELEMENT,
            'http://openstack.org/xmlns/libvirt/nova/1.1')
        self.assertIn('<flavor name="m1.medium"', metadata)
        self.assertIn('<project uuid="p">demo-a</project>', metadata)


class TestLife(base.TestCase):

    def test_play_records_changes_after_the_agent_restarts(self):
        clock = iter([at(s) for s in (1, 2, 3, 4, 61, 62, 63, 64, 65)])
        self.useFixture(fixtures.MockPatch(
            'uos_billing.demo.stack.life.now', side_effect=lambda: next(
                clock)))
        node_file = os.path.join(self.useFixture(fixtures.TempDir()).path,
                                 'node.xml')
        notifier = mock.Mock()
        bought = []
        player = life.Life('/repo', node_file, {'a': {
            'id': 'p', 'name': 'demo-a', 'member_id': 'u',
            'member': 'carol'}}, lambda vm_id, spec: bought.append(
                vm_id) or ({'id': 'o'}, at(62)), notifier,
            sleep=lambda seconds: None, log=lambda text: None)
        restarts = self.useFixture(fixtures.MockPatchObject(
            player, 'restart_agent')).mock
        script = [life.Step(0, 'web', 'create'),
                  life.Step(60, 'web', 'stop'),
                  life.Step(60, 'web', life.BUY_MONTHLY),
                  life.Step(75, 'web', life.RESIZE + 'm1.medium'),
                  life.Step(90, 'web', 'delete')]
        timeline = player.play(script, SPECS, T0 - datetime.timedelta(
            hours=1))
        web = timeline.ids['web']
        self.assertEqual(4, restarts.call_count)
        self.assertEqual([web], bought)
        self.assertEqual(
            [('running', at(1)), ('shutoff', at(2)), (None, at(4))],
            timeline.states['web'])
        self.assertEqual([('m1.small', at(1)), ('m1.medium', at(3))],
                         timeline.flavors['web'])
        notifier.info.assert_called_once_with(
            {}, 'compute.instance.delete.start', mock.ANY)
        self.assertEqual(web, notifier.info.call_args[0][2]['instance_id'])
        with open(node_file) as f:
            self.assertNotIn(web, f.read())

    def test_delete_all_deletes_what_the_script_left_as_nova_does(self):
        self.useFixture(fixtures.MockPatch(
            'uos_billing.demo.stack.life.now', return_value=at(1)))
        node_file = os.path.join(self.useFixture(fixtures.TempDir()).path,
                                 'node.xml')
        notifier = mock.Mock()
        base_domain = domains.Domain('stack-vm', 'a-web', 'm1.small', 'p0',
                                     'billing-a', 'u0', 'alice')
        player = life.Life('/repo', node_file, {'a': {
            'id': 'p', 'name': 'demo-a', 'member_id': 'u',
            'member': 'carol'}}, None, notifier,
            sleep=lambda seconds: None, log=lambda text: None,
            base_domains=[base_domain])
        restarts = self.useFixture(fixtures.MockPatchObject(
            player, 'restart_agent')).mock
        timeline = player.play([life.Step(0, 'web', 'create')], SPECS,
                               T0 - datetime.timedelta(hours=1))
        self.assertEqual(['web'], player.delete_all())
        self.assertEqual(2, restarts.call_count)
        self.assertEqual(timeline.ids['web'],
                         notifier.info.call_args[0][2]['instance_id'])
        with open(node_file) as f:
            xml = f.read()
        self.assertNotIn(timeline.ids['web'], xml)
        self.assertIn('stack-vm', xml)
        # Nothing left: nothing sent, the agent left alone.
        self.assertEqual([], player.delete_all())
        self.assertEqual(1, notifier.info.call_count)
        self.assertEqual(2, restarts.call_count)


class TestDemoOutput(base.TestCase):

    def test_one_labelled_summary_per_part(self):
        from uos_billing.demo.stack import run
        out = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', out))
        ok = mock.Mock(ok=True)
        ok.name = 'demo-a'
        off = mock.Mock(ok=False)
        off.name = 'demo-b'
        self.assertEqual(0, run._report('live', [ok], 0))
        self.assertEqual(1, run._report('backfill', [ok, off], 0))
        out.seek(0)
        lines = [line for line in out.read().splitlines() if line]
        self.assertEqual(2, len(lines), lines)
        self.assertRegex(lines[0], r'^live: all checks passed for demo-a '
                                   r'\(\d+\.\d s\)$')
        self.assertRegex(lines[1], r'^backfill: FAILED checks for demo-b ')

    def test_eventlet_deprecation_ignored_in_the_demo_only(self):
        import uos_billing.demo  # noqa: F401 (installs the filter)
        import warnings

        class EventletDeprecationWarning(Warning):
            pass

        with warnings.catch_warnings(record=True) as seen:
            warnings.warn('\nEventlet is deprecated. It is currently being '
                          'maintained in bugfix mode',
                          EventletDeprecationWarning)
            warnings.warn('something else', EventletDeprecationWarning)
        self.assertEqual(['something else'], [str(w.message) for w in seen])


class TestStackFixes(base.TestCase):
    """tools/stack/uosb_stack_fixes.py on the installed CloudKitty."""

    def test_influx_delete_query_gets_utc_offsets(self):
        spec = importlib.util.spec_from_file_location(
            'uosb_stack_fixes', os.path.join(
                os.path.dirname(__file__), '..', '..', '..', '..', 'tools',
                'stack', 'uosb_stack_fixes.py'))
        fixes = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(fixes)
        from cloudkitty.storage.v2 import influx
        self.addCleanup(setattr, influx.InfluxClient,
                        '_get_time_query_delete',
                        influx.InfluxClient.__dict__['_get_time_query_delete'])
        naive = datetime.datetime(2026, 11, 22, 20, 37)
        self.assertEqual(
            " WHERE time >= '2026-11-22T20:37:00' AND "
            "time < '2026-11-22T20:37:00'",
            influx.InfluxClient._get_time_query_delete(naive, naive))
        fixes.apply()
        fixes.apply()  # once only
        self.assertEqual(
            " WHERE time >= '2026-11-22T20:37:00+00:00' AND "
            "time < '2026-11-22T21:37:00+00:00'",
            influx.InfluxClient._get_time_query_delete(
                naive, at(0).replace(hour=21, minute=37)))
