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
"""The enforcement ladder across the processes that run it in production.

A period is rated by the billing module in a child process (the
processor's role) with cloudkitty.conf's ``[billing_enforcement]``; the
recharge goes to a real CloudKitty API process (api_server) reading the
same file. Both talk through openstacksdk, over HTTP, to the Nova
stand-in served by this process.
"""

import json
import subprocess
import sys
import urllib.request

from oslotest import base
import sqlalchemy as sa

from uos_billing.tests.functional import api_server
from uos_billing.tests.functional import test_admission
from uos_billing.tests import nova_standin

BASE = '/v1/rating/module_config/billing'
ENFORCEMENT = """
[billing_enforcement]
enabled = true
grace_period = 0
auth_type = none
endpoint_override = {nova}/v2.1
timeout = 10
"""


class TestEnforcementProcesses(base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.nova = self.useFixture(nova_standin.NovaStandIn())
        self.api = self.useFixture(api_server.CloudKittyAPI(
            extra_conf=ENFORCEMENT.format(nova=self.nova.endpoint)))

    def billing(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.api.endpoint + BASE + path, data=data, method=method,
            headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.loads(answer.read() or b'null')

    def actions(self):
        engine = sa.create_engine('sqlite:///' + self.api.database)
        self.addCleanup(engine.dispose)
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(sa.text(
                'SELECT action, resource_id, dry_run, actor FROM '
                'billing_enforcement_action ORDER BY id'))]

    def test_rating_stops_the_api_recharge_starts(self):
        project = 'p-enforced'
        self.nova.app.add('vm-a', project)
        self.nova.app.add('vm-c', project, 'SHUTOFF')
        self.nova.app.add('vm-x', 'someone-else')
        self.billing('POST', '/products', {
            'name': 'm1.big', 'service': 'instance',
            'match': {'flavor_name': 'm1.big'}, 'unit': 'hour',
            'on_demand_price': '3', 'currency': 'EUR',
            'effective_from': '2026-01-01'})
        self.billing('POST', '/accounts/%s/recharge' % project,
                     {'amount': '1.00'})
        # One hour of m1.big (3.00): -2.00, owed; no grace period.
        done = subprocess.run(
            [sys.executable, '-c', test_admission.RATE_SCRIPT,
             self.api.config, project], capture_output=True, text=True,
            timeout=120)
        self.assertEqual(0, done.returncode, done.stderr[-4000:])
        account = self.billing('GET', '/accounts/' + project)
        self.assertEqual(('owed', '-2.0000000000'),
                         (account['status'], account['balance']))
        self.assertEqual([('os-stop', 'vm-a')], self.nova.app.actions())

        # 1.99 is not enough: nothing starts.
        self.billing('POST', '/accounts/%s/recharge' % project,
                     {'amount': '1.99'})
        self.assertEqual([('os-stop', 'vm-a')], self.nova.app.actions())
        # 0.01 more restores the account: the API starts vm-a, only.
        self.billing('POST', '/accounts/%s/recharge' % project,
                     {'amount': '0.01'})
        self.assertEqual('active',
                         self.billing('GET', '/accounts/' + project)[
                             'status'])
        self.assertEqual([('os-stop', 'vm-a'), ('os-start', 'vm-a')],
                         self.nova.app.actions())
        self.assertEqual({'vm-a': 'ACTIVE', 'vm-c': 'SHUTOFF',
                          'vm-x': 'ACTIVE'}, self.nova.app.statuses())
        actor = 'uos-billing-enforcement'
        self.assertEqual([('warn', None, 0, actor), ('stop', 'vm-a', 0, actor),
                          ('start', 'vm-a', 0, actor)], self.actions())
