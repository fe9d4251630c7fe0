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
"""The README's command-line cycle as the stack test reads it.

The cycle itself runs on the local stack (functional/test_stack_operator);
this checks, without the stack, that the README's block still parses
into commands and outputs, and how an output is matched.
"""

import os

from uos_billing.tests import base
from uos_billing.tests.functional import readme

README = os.path.join(os.path.dirname(__file__), '..', '..', '..',
                      'README.rst')


class TestReadmeCycle(base.TestCase):

    def setUp(self):
        super().setUp()
        with open(README) as f:
            self.steps = readme.steps(f.read())

    def test_commands_and_outputs(self):
        commands = [s.command for s in self.steps]
        self.assertTrue(commands[0].startswith('export PATH='))
        self.assertIn('OS_CLIENT_CONFIG_FILE=$PWD/work/stack/clouds.yaml',
                      commands[1])
        # Continuation lines joined into one command.
        create = [c for c in commands
                  if c.startswith('LARGE=$(openstack rating product create')]
        self.assertEqual(1, len(create))
        self.assertIn('--monthly-price 5.00 --currency EUR -f value -c ID)',
                      create[0])
        self.assertNotIn('\\', create[0])
        # Every openstack rating table has its output; one refusal.
        shown = [s for s in self.steps if s.expected]
        self.assertGreaterEqual(len(shown), 8)
        self.assertEqual(['openstack rating order cancel $ORDER'],
                         [s.command for s in self.steps if s.fails])

    def test_ids_and_instants_match_any_but_money_exactly(self):
        step = readme.Step('x', [
            '| Term End   | 2027-01-03T07:21:14+00:00 |',
            'order 3369bc82-b45a-4358-b90f-b880ed9bee7f is already '
            'cancelled (HTTP 409)',
            '| Balance | 95.00  |'])
        self.assertIsNone(step.mismatch(
            '| Term End   | 2027-02-28T23:59:01+00:00 |\n'
            'order 0f3c2e1d-7a6b-4c5d-8e9f-a0b1c2d3e4f5 is already '
            'cancelled (HTTP 409)\n'
            '| Balance | 95.00  |\n'))
        self.assertIn("expected '| Balance | 95.00  |'", step.mismatch(
            '| Term End   | 2027-02-28T23:59:01+00:00 |\n'
            'order 0f3c2e1d-7a6b-4c5d-8e9f-a0b1c2d3e4f5 is already '
            'cancelled (HTTP 409)\n'
            '| Balance | 94.99  |\n'))
        self.assertEqual('expected 3 lines, got 1', step.mismatch('x\n'))
