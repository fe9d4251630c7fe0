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
"""etc/uos-billing.conf.sample is what oslo-config-generator makes now."""

import os

import fixtures
from oslo_config import generator

from uos_billing.tests import base

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))))
SAMPLE = os.path.join(REPO, 'etc', 'uos-billing.conf.sample')


class TestSample(base.TestCase):

    def test_sample_is_current(self):
        out = os.path.join(self.useFixture(fixtures.TempDir()).path,
                           'sample.conf')
        generator.main(['--namespace', 'uos_billing', '--wrap-width', '79',
                        '--output-file', out])
        with open(SAMPLE) as shipped, open(out) as made:
            self.assertEqual(shipped.read(), made.read(),
                             'regenerate it: tox -e genconfig')
