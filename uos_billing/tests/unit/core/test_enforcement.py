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
"""Tests of uos_billing.core.enforcement: the ladder's pure rules."""

from uos_billing.core import enforcement as core
from uos_billing.core import errors
from uos_billing.tests import base

utc = base.utc
OWED = utc(2026, 11, 2, 11, 0, 5)
HOUR = 3600


def server(server_id, status='ACTIVE'):
    return core.Server(server_id, status)


class StepTest(base.TestCase):

    def test_owed_warns_within_the_grace_period_then_stops(self):
        self.assertEqual(core.WARN, core.step('owed', OWED, OWED, HOUR))
        self.assertEqual(core.WARN, core.step(
            'owed', OWED, utc(2026, 11, 2, 12, 0, 4), HOUR))
        self.assertEqual(core.STOP, core.step(
            'owed', OWED, utc(2026, 11, 2, 12, 0, 5), HOUR))

    def test_zero_grace_stops_at_once(self):
        self.assertEqual(core.STOP, core.step('owed', OWED, OWED, 0))

    def test_active_restores_and_frozen_does_nothing(self):
        self.assertEqual(core.RESTORE, core.step('active', None, OWED, HOUR))
        self.assertEqual(core.NOTHING, core.step('frozen', OWED, utc(
            2027, 1, 1), HOUR))

    def test_bad_inputs_name_the_field(self):
        for args, field in [
                (('owed', None, OWED, HOUR), 'owed_since'),
                (('closed', OWED, OWED, HOUR), 'status'),
                (('owed', OWED, OWED, -1), 'grace_period'),
                (('owed', OWED, OWED, 1.5), 'grace_period'),
                (('owed', OWED, OWED, True), 'grace_period')]:
            e = self.assertRaises(errors.InvalidInput, core.step, *args)
            self.assertEqual(field, e.field)

    def test_stop_at(self):
        self.assertEqual(utc(2026, 11, 5, 11, 0, 5),
                         core.stop_at(OWED, 3 * 86400))


class KeysTest(base.TestCase):

    def test_keys_name_the_episode_and_the_kind_of_run(self):
        self.assertEqual('warn:p:2026-11-02T11:00:05Z',
                         core.warn_key('p', OWED))
        self.assertEqual('warn:p:2026-11-02T11:00:05Z:dry-run',
                         core.warn_key('p', OWED, dry_run=True))
        self.assertEqual('stop:p:vm-1:2026-11-02T11:00:05Z',
                         core.stop_key('p', 'vm-1', OWED))
        self.assertEqual('undo:42', core.undo_key(42))


class CoveredTest(base.TestCase):

    def test_only_active_prepaid_terms_containing_now(self):
        start, end = utc(2026, 11, 1), utc(2026, 12, 1)
        orders = [
            ('vm-1', 'monthly', 'active', start, end),
            ('vm-2', 'yearly', 'active', start, utc(2027, 11, 1)),
            ('vm-3', 'on_demand', 'active', start, None),
            ('vm-4', 'monthly', 'cancelled', start, end),
            ('vm-5', 'monthly', 'active', utc(2026, 10, 1), start),
            ('vm-6', 'monthly', 'active', utc(2026, 11, 3), end),
        ]
        self.assertEqual({'vm-1', 'vm-2'}, core.covered(orders, OWED))
        # The term's end is not covered any more.
        self.assertEqual({'vm-2'}, core.covered(orders, end))


class StopTest(base.TestCase):

    def test_running_servers_not_prepaid_nor_stopped_already(self):
        servers = [server('vm-3'), server('vm-1'),
                   server('vm-2', 'SHUTOFF'), server('vm-4'),
                   server('vm-5', 'ERROR'), server('vm-6')]
        self.assertEqual((['vm-1', 'vm-3'], ['vm-4']), core.servers_to_stop(
            servers, prepaid={'vm-4', 'vm-2'}, stopped={'vm-6'}))


class RestoreTest(base.TestCase):

    def actions(self, *rows):
        return [core.Action(*row) for row in rows]

    def test_outstanding_stops_are_the_last_word_per_server(self):
        actions = self.actions(
            (1, None, 'warn', False),
            (2, 'vm-1', 'stop', False),
            (3, 'vm-2', 'stop', False),
            (4, 'vm-2', 'start', False),
            (5, 'vm-3', 'stop', False),
            (6, 'vm-3', 'release', False),
            (7, 'vm-3', 'stop', False),
            (8, 'vm-4', 'stop', True))
        self.assertEqual({'vm-1': 2, 'vm-3': 7},
                         core.outstanding_stops(actions))
        self.assertEqual({'vm-4': 8},
                         core.outstanding_stops(actions, dry_run=True))

    def test_starts_only_what_is_still_shut_off(self):
        plan = core.restore_plan(
            {'vm-1': 2, 'vm-2': 3, 'vm-3': 4},
            [server('vm-1', 'SHUTOFF'), server('vm-2'),
             server('vm-9', 'SHUTOFF')])
        self.assertEqual([
            core.Undo('vm-1', 2, 'start', 'the account is active again'),
            core.Undo('vm-2', 3, 'release',
                      'the server is ACTIVE, not SHUTOFF'),
            core.Undo('vm-3', 4, 'release', 'the server no longer exists'),
        ], plan)

    def test_a_dry_run_takes_running_servers_as_dry_stopped(self):
        plan = core.restore_plan({'vm-1': 2}, [server('vm-1')],
                                 dry_run=True)
        self.assertEqual([core.Undo('vm-1', 2, 'start',
                                    'the account is active again')], plan)
