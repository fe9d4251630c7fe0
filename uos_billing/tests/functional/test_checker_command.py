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
"""The uos-billing-checker command as an operator runs it.

A real Gnocchi (gnocchi_fixture, basic auth) holds the instances, a
database file the books and CloudKitty's state, a real Redis the tooz
group; the command runs in a child process with a cloudkitty.conf.
"""

import datetime
import json
import os
import subprocess
import sys
import uuid

from cloudkitty import storage_state
import fixtures
from testtools import content

from uos_billing import rating
from uos_billing.rating.db import api as db_api
from uos_billing.rating import pricing
from uos_billing.rating import service
from uos_billing.tests import base
from uos_billing.tests.functional import gnocchi_fixture
from uos_billing.tests.functional import test_checker
from uos_billing.tests import samples

utc = base.utc
H0, H1 = utc(2026, 11, 2, 10), utc(2026, 11, 2, 11)
MINUTE = 60

CONF = """\
[DEFAULT]
transport_url = fake:/

[oslo_messaging_notifications]
driver = noop

[database]
connection = {connection}

[collect]
period = 3600

[collector_gnocchi]
gnocchi_auth_type = basic
gnocchi_user = admin
gnocchi_endpoint = {gnocchi}

[billing_checker]
coordination_url = {redis}
group = {group}
"""


def iso(dt, seconds=0):
    return (dt + datetime.timedelta(seconds=seconds)).isoformat()


class TestCheckerCommand(base.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gnocchi = gnocchi_fixture.Gnocchi()
        cls.gnocchi.setUp()
        try:
            gnocchi_fixture.create_vm_state_schema(cls.gnocchi.client)
        except BaseException:
            cls.gnocchi.cleanUp()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.gnocchi.cleanUp()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        test_checker.require_redis(self)
        self.work = self.useFixture(fixtures.TempDir()).path
        connection = 'sqlite:///%s/cloudkitty.sqlite' % self.work
        self.conf.set_override('connection', connection, 'database')
        self.useFixture(fixtures.MonkeyPatch('cloudkitty.db._FACADE', None))
        db_api.get_instance().get_migration().upgrade('head')
        storage_state.StateManager().init()
        for cache in (pricing.PRICE_BOOKS, pricing.ON_DEMAND_ORDERS):
            cache.clear()
            self.addCleanup(cache.clear)
        self.config = os.path.join(self.work, 'cloudkitty.conf')
        with open(self.config, 'w') as f:
            f.write(CONF.format(
                connection=connection, gnocchi=self.gnocchi.endpoint,
                redis=test_checker.REDIS_URL,
                group='uosb-test-%s' % uuid.uuid4().hex[:12]))

    def run_checker(self, *args):
        done = subprocess.run(
            [os.path.join(os.path.dirname(sys.executable),
                          'uos-billing-checker'),
             '--config-file', self.config] + list(args),
            capture_output=True, text=True, timeout=120)
        self.addDetail('checker-stderr-%d' % id(done),
                       content.text_content(done.stderr[-4000:]))
        lines = done.stdout.splitlines()
        findings = [json.loads(line) for line in lines[:-1]]
        return done.returncode, findings, lines[-1] if lines else None

    def instance(self, vm, project, started, ended=None):
        attributes = {'id': vm, 'project_id': project,
                      'started_at': started, 'display_name': 'vm',
                      'flavor_id': '1', 'flavor_name': 'm1.small'}
        if ended:
            attributes['ended_at'] = ended
        self.gnocchi.client.resource.create('instance', attributes)

    def test_dry_run_heal_heal_again(self):
        project = uuid.uuid4().hex
        rated, unordered = str(uuid.uuid4()), str(uuid.uuid4())
        db = db_api.get_instance()
        db.create_product(samples.product('small', 'm1.small', '0.02'))
        service.BillingService().recharge(project, '5.00')
        module = rating.BillingRating(tenant_id=project)
        module.reload_config(H0)
        module.process(samples.frame(H0, H1, [
            samples.point(rated, 'm1.small', project=project)]))
        storage_state.StateManager().set_last_processed_timestamp(project,
                                                                  H0)
        # The rated instance ended at 10:30; the other runs since 10:05
        # and was never rated.
        self.instance(rated, project, iso(H0), ended=iso(H0, 30 * MINUTE))
        self.instance(unordered, project, iso(H0, 5 * MINUTE))

        code, findings, summary = self.run_checker('--dry-run')
        self.assertEqual(0, code)
        self.assertEqual(
            [('unordered_resource', unordered, 'found',
              {'service': 'instance',
               'started_at': '2026-11-02T10:05:00+00:00'}),
             ('ended_resource_order', rated, 'found',
              {'service': 'instance', 'mode': 'on_demand',
               'ended_at': '2026-11-02T10:30:00+00:00'})],
            [(f['kind'], f['resource_id'], f['outcome'],
              {k: v for k, v in f['detail'].items() if k != 'order_id'})
             for f in findings])
        self.assertEqual('checked 1 of 1 projects: {"found": 2}', summary)
        self.assertEqual(1, len(db.list_orders(project)))

        code, findings, summary = self.run_checker()
        self.assertEqual(0, code)
        self.assertEqual(['healed', 'healed'],
                         [f['outcome'] for f in findings])
        self.assertEqual('checked 1 of 1 projects: {"healed": 2}', summary)
        orders = {o['resource_id']: o for o in db.list_orders(project)}
        self.assertEqual(('closed', utc(2026, 11, 2, 10, 30)),
                         (orders[rated]['status'],
                          orders[rated]['closed_at']))
        self.assertEqual(('active', 'on_demand',
                          utc(2026, 11, 2, 10, 5)),
                         (orders[unordered]['status'],
                          orders[unordered]['mode'],
                          orders[unordered]['term_start']))

        code, findings, summary = self.run_checker()
        self.assertEqual((0, [], 'checked 1 of 1 projects: {}'),
                         (code, findings, summary))

    def test_bad_options_are_named(self):
        done = subprocess.run(
            [os.path.join(os.path.dirname(sys.executable),
                          'uos-billing-checker'),
             '--config-file', self.config, '--interval', '-5'],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(2, done.returncode)
        self.assertIn('argument --interval: Invalid Integer(min=0) value: '
                      '-5', done.stderr)
