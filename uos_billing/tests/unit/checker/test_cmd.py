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
"""The checker command's rounds and its output."""

import io
import json
import threading

import fixtures

from uos_billing.checker import cmd
from uos_billing.checker import drift
from uos_billing.tests import base


class FakeConf(object):
    def __init__(self, interval, dry_run=False):
        self.interval = interval
        self.dry_run = dry_run


class FakeChecker(object):
    def __init__(self, stop_after=None, stop_event=None):
        self.rounds = []
        self.stop_after = stop_after
        self.stop_event = stop_event
        self.fail_rounds = 0

    def projects(self):
        if self.fail_rounds:
            self.fail_rounds -= 1
            self.rounds.append('failed')
            raise RuntimeError('the database is out of reach')
        return ['a', 'b', 'c']

    def check(self, projects, dry_run=False):
        self.rounds.append((projects, dry_run))
        if self.stop_after and len(self.rounds) == self.stop_after:
            self.stop_event.set()
        return [drift.Finding('balance_mismatch', 'a', None,
                              {'balance': '1.0000000000'}, 'reported')]


class FakePartition(object):
    def mine(self, projects):
        return projects[:2]


class TestRun(base.TestCase):

    def test_one_round_without_interval(self):
        out = io.StringIO()
        checker = FakeChecker()
        findings = cmd.run(FakeConf(0, dry_run=True), checker,
                           FakePartition(), threading.Event(), out)
        self.assertEqual([(['a', 'b'], True)], checker.rounds)
        self.assertEqual(1, len(findings))
        first, summary = out.getvalue().splitlines()
        self.assertEqual({'kind': 'balance_mismatch', 'project_id': 'a',
                          'resource_id': None, 'outcome': 'reported',
                          'detail': {'balance': '1.0000000000'}},
                         json.loads(first))
        self.assertEqual('checked 2 of 3 projects: {"reported": 1}',
                         summary)

    def test_rounds_every_interval_until_stopped(self):
        stop = threading.Event()
        checker = FakeChecker(stop_after=3, stop_event=stop)
        cmd.run(FakeConf(0.01), checker, FakePartition(), stop,
                io.StringIO())
        self.assertEqual(3, len(checker.rounds))

    def test_a_failed_round_is_logged_and_the_next_one_runs(self):
        stop = threading.Event()
        checker = FakeChecker(stop_after=3, stop_event=stop)
        checker.fail_rounds = 1
        out = io.StringIO()
        log = self.useFixture(fixtures.FakeLogger(
            name='uos_billing.checker.cmd'))
        findings = cmd.run(FakeConf(0.01), checker, FakePartition(), stop,
                           out)
        self.assertEqual(['failed', (['a', 'b'], False)], checker.rounds[:2])
        self.assertEqual(3, len(checker.rounds))
        self.assertEqual(['reported'], [f.outcome for f in findings])
        self.assertIn('the round of checks failed', log.output)
        self.assertEqual(2, out.getvalue().count('checked 2 of 3 projects'))

    def test_a_failed_single_round_returns_none(self):
        checker = FakeChecker()
        checker.fail_rounds = 1
        out = io.StringIO()
        self.useFixture(fixtures.FakeLogger(name='uos_billing.checker.cmd'))
        self.assertIsNone(cmd.run(FakeConf(0), checker, FakePartition(),
                                  threading.Event(), out))
        self.assertEqual(['failed'], checker.rounds)
        self.assertEqual('', out.getvalue())
