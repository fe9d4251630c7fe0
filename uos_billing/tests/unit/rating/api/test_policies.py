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
from importlib import metadata
import os
import subprocess
import sys

import fixtures
from oslotest import base

from uos_billing.rating.api import policies

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..',
                                    '..',
                                    '..', '..'))


class TestPolicies(base.BaseTestCase):

    def test_every_rule_is_a_billing_rule_with_an_operation(self):
        rules = list(policies.list_rules())
        self.assertEqual(22, len(rules))
        for rule in rules:
            self.assertTrue(rule.name.startswith('billing:'), rule.name)
            self.assertTrue(rule.operations[0]['path'].startswith(
                '/v1/rating/module_config/billing/'), rule.name)

    def test_entry_point(self):
        found = [ep for ep in metadata.entry_points(
            group='oslo.policy.policies') if ep.name == 'uos_billing']
        self.assertEqual([policies.list_rules], [ep.load() for ep in found])

    def test_the_shipped_sample_is_current(self):
        out = self.useFixture(fixtures.TempDir()).path
        sample = os.path.join(out, 'policy.yaml')
        subprocess.run(
            [os.path.join(os.path.dirname(sys.executable),
                          'oslopolicy-sample-generator'),
             '--namespace', 'uos_billing', '--output-file', sample],
            check=True, capture_output=True)
        with open(sample) as fresh, open(os.path.join(
                ROOT, 'etc', 'uos-billing-policy.yaml.sample')) as shipped:
            self.assertEqual(fresh.read(), shipped.read(),
                             'run tox -e genpolicy')
