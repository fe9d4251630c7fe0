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
"""Every money operation is safe to retry, on every backend.

Keys are compared byte for byte.
"""

from cloudkitty import db as ck_db

from uos_billing.enforcement import store
from uos_billing.tests import base
from uos_billing.tests import samples
from uos_billing.tests.unit.rating import test_service

D = samples.D
utc = base.utc

# Keys that MariaDB's default collations took for one another.
DIFFERENT_KEYS = ('CaseKey-1', 'casekey-1', 'key', 'key ',
                  '\u00e9',       # NFC: LATIN SMALL LETTER E WITH ACUTE
                  'e\u0301')      # NFD: e, COMBINING ACUTE ACCENT


class TestExactKeys(test_service.ServiceTestCase):

    def test_keys_that_differ_in_a_byte_are_different_recharges(self):
        for key in DIFFERENT_KEYS:
            entry = self.svc.recharge('acme', '1', idempotency_key=key)
            self.assertFalse(entry['replayed'], key)
        self.assertEqual(D('6'), self.balance())
        self.assertEqual(['recharge:acme:%s' % key for key in DIFFERENT_KEYS],
                         [e['idempotency_key']
                          for e in self.db.list_ledger('acme')])
        # Each is its own key: sent again, each is a replay of itself.
        for key in DIFFERENT_KEYS:
            self.assertTrue(self.svc.recharge(
                'acme', '1', idempotency_key=key)['replayed'], key)
        self.assertEqual(D('6'), self.balance())

    def test_enforcement_action_keys_are_exact(self):
        now = utc(2026, 11, 2)
        with ck_db.session_for_write() as session:
            store.record(session, 'acme', 'warn', 'owed', 'billing',
                         'warn:acme:CaseKey', now)
            self.assertTrue(store.has_key(session, 'warn:acme:CaseKey'))
            for other in ('warn:acme:casekey', 'warn:acme:CaseKey '):
                self.assertFalse(store.has_key(session, other), other)
                store.record(session, 'acme', 'warn', 'owed', 'billing',
                             other, now)
        self.assertEqual(
            ['warn:acme:CaseKey', 'warn:acme:casekey', 'warn:acme:CaseKey '],
            [a['idempotency_key'] for a in store.list_actions('acme')])
