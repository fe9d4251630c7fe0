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
"""A SQLite file with another writer: retried, else a 503, never a 500.

SQLite refuses a transaction that has read and then writes ("database is
locked") while another connection holds the write lock. Here a second
connection holds it (BEGIN IMMEDIATE) while the billing operation runs;
oslo.db's sleeps between retries are the test's hook.
"""

import os
import sqlite3

import fixtures

from uos_billing.core import errors
from uos_billing.rating.db.sqlalchemy import retry
from uos_billing.rating import service
from uos_billing.tests import base
from uos_billing.tests import samples

D = samples.D


class TestSQLiteWriters(base.TestCase):

    def setUp(self):
        super().setUp()
        self.path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                                 'billing.sqlite')
        self.useFixture(base.Database(self.conf, 'sqlite',
                                      url='sqlite:///' + self.path))
        self.svc = service.BillingService()
        self.svc.recharge('acme', '10')
        self.db = self.svc.db
        # Another writer, on its own connection, holds the write lock.
        self.other = sqlite3.connect(self.path, isolation_level=None)
        self.addCleanup(self.other.close)
        self.other.execute('BEGIN IMMEDIATE')
        # The sleeps of oslo.db's retries (its time module only).
        self.sleep = self.useFixture(
            fixtures.MockPatch('oslo_db.api.time')).mock.sleep
        self.sleeps = self.sleep.call_args_list

    def release_at(self, retry):
        """The other writer commits while the retry-th retry waits."""
        def sleep(_seconds):
            if len(self.sleeps) == retry:
                self.other.execute('ROLLBACK')
        self.sleep.side_effect = sleep

    def test_a_writer_waits_its_turn(self):
        self.release_at(2)
        entry = self.svc.recharge('acme', '5', idempotency_key='k')
        self.assertEqual(D('15'), entry['balance_after'])
        self.assertEqual(2, len(self.sleeps))
        self.assertEqual(D('15'), self.db.get_account('acme')['balance'])

    def test_a_file_locked_throughout_is_service_unavailable(self):
        e = self.assertRaises(errors.ServiceUnavailable, self.svc.recharge,
                              'acme', '5')
        self.assertEqual(retry.BUSY, str(e))
        self.assertEqual(10, len(self.sleeps))
        self.other.execute('ROLLBACK')
        self.assertEqual(D('10'), self.db.get_account('acme')['balance'])
        self.assertEqual(1, len(self.db.list_ledger('acme')))

    def test_product_writes_wait_too(self):
        self.release_at(1)
        self.db.create_product(samples.product('small', 'm1.small', '0.02'))
        self.assertEqual('small', self.db.get_product('small').id)
        self.assertEqual(1, len(self.sleeps))
