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

Keys are compared byte for byte; buy, cancel, renew and the auto-renew
change answer a replayed key with their first result and write nothing;
a renewal applies to the term end it states.
"""

import datetime

from cloudkitty import db as ck_db
import sqlalchemy as sa

from uos_billing.core import errors
from uos_billing.enforcement import store
from uos_billing.rating.db.sqlalchemy import models
from uos_billing.tests import base
from uos_billing.tests import samples
from uos_billing.tests.unit.rating import test_service

D = samples.D
utc = base.utc
NOV1 = utc(2026, 11, 1)
DEC1 = utc(2026, 12, 1)
JAN1 = utc(2027, 1, 1)

# Keys that MariaDB's default collations took for one another.
DIFFERENT_KEYS = ('CaseKey-1', 'casekey-1', 'key', 'key ',
                  '\u00e9',       # NFC: LATIN SMALL LETTER E WITH ACUTE
                  'e\u0301')      # NFD: e, COMBINING ACUTE ACCENT


def requests_rows():
    with ck_db.session_for_read() as session:
        return session.execute(sa.select(
            models.IdempotentRequest.project_id,
            models.IdempotentRequest.operation,
            models.IdempotentRequest.idempotency_key,
            models.IdempotentRequest.order_id)
            .order_by(models.IdempotentRequest.id)).all()


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

    def test_order_keys_are_exact(self):
        self.svc.recharge('acme', '100')
        orders = [self.svc.buy('acme', 'vm-%d' % i, 'instance', 'small',
                               'monthly', 1, idempotency_key=key, now=NOV1)
                  for i, key in enumerate(DIFFERENT_KEYS)]
        self.assertEqual(len(DIFFERENT_KEYS), len({o['id'] for o in orders}))
        self.assertEqual(D('40'), self.balance())


class TestBuy(test_service.ServiceTestCase):

    def setUp(self):
        super().setUp()
        self.svc.recharge('acme', '100')

    def buy(self, key='buy-1', resource='vm-1', project='acme', **kwargs):
        return self.svc.buy(project, resource, 'instance', 'small',
                            'monthly', 1, idempotency_key=key, now=NOV1,
                            **kwargs)

    def test_a_replay_answers_the_first_order_and_pays_once(self):
        first = self.buy()
        self.assertFalse(first['replayed'])
        before = self.snapshot()
        again = self.buy()
        self.assertTrue(again['replayed'])
        self.assertEqual(dict(first, replayed=True), again)
        self.assertEqual(before, self.snapshot())
        self.assertEqual(D('90'), self.balance())
        self.assertEqual([('acme', 'buy', 'buy-1', first['id'])],
                         requests_rows())

    def test_the_replay_is_the_first_answer_even_after_changes(self):
        first = self.buy()
        self.svc.cancel('acme', first['id'], now=utc(2026, 11, 11))
        self.db.end_product('small', utc(2026, 11, 12))
        again = self.buy()
        self.assertEqual(('active', None, first['term_end']),
                         (again['status'], again['closed_at'],
                          again['term_end']))
        self.assertEqual(dict(first, replayed=True), again)

    def test_the_same_key_for_another_request_is_a_conflict(self):
        self.buy()
        before = self.snapshot()
        for kwargs in ({'resource': 'vm-2'}, {'auto_renew': True}):
            e = self.assertRaises(errors.Conflict, self.buy, **kwargs)
            self.assertEqual("idempotency_key 'buy-1' was already used for "
                             "another request", str(e))
        self.assertEqual(before, self.snapshot())

    def test_keys_are_scoped_to_the_project_and_the_operation(self):
        self.svc.recharge('other', '100')
        mine, theirs = self.buy(), self.buy(project='other')
        self.assertNotEqual(mine['id'], theirs['id'])
        self.assertFalse(theirs['replayed'])
        # The buy's key names another request of another operation.
        renewed = self.svc.renew('acme', mine['id'], DEC1,
                                 idempotency_key='buy-1', now=NOV1)
        self.assertFalse(renewed['replayed'])
        self.assertEqual(D('80'), self.balance())

    def test_without_a_key_a_second_buy_is_refused(self):
        self.buy(key=None)
        self.assertRaises(errors.Conflict, self.buy, key=None)
        self.assertEqual(D('90'), self.balance())
        self.assertEqual([], requests_rows())

    def test_a_refused_buy_keeps_no_key(self):
        self.assertRaises(errors.InsufficientFunds, self.svc.buy, 'acme',
                          'vm-1', 'instance', 'medium', 'monthly', 12,
                          idempotency_key='big')
        self.assertEqual([], requests_rows())
        self.svc.recharge('acme', '200')
        order = self.svc.buy('acme', 'vm-1', 'instance', 'medium', 'monthly',
                             12, idempotency_key='big', now=NOV1)
        self.assertFalse(order['replayed'])


class TestOrderChanges(test_service.ServiceTestCase):

    def setUp(self):
        super().setUp()
        self.svc.recharge('acme', '100')
        # Nov 1 to Dec 1, 10.00.
        self.order = self.svc.buy('acme', 'vm-1', 'instance', 'small',
                                  'monthly', 1, now=NOV1)
        self.oid = self.order['id']

    def renewals(self):
        return [(e['amount'], e['period_begin'], e['period_end'])
                for e in self.db.list_ledger('acme')
                if e['kind'] == 'order_payment'][1:]

    def test_cancel_replay_answers_the_first_refund(self):
        first = self.svc.cancel('acme', self.oid, idempotency_key='c-1',
                                now=utc(2026, 11, 11))
        before = self.snapshot()
        again = self.svc.cancel('acme', self.oid, idempotency_key='c-1',
                                now=utc(2026, 11, 21))
        self.assertEqual(D('6.6666666667'), again['refund'])
        self.assertEqual(dict(first, replayed=True), again)
        self.assertEqual(before, self.snapshot())
        # Without the key it is the order's state that answers.
        self.assertRaises(errors.Conflict, self.svc.cancel, 'acme', self.oid)

    def test_renew_applies_to_the_stated_term_end_only(self):
        before = self.snapshot()
        e = self.assertRaises(errors.Conflict, self.svc.renew, 'acme',
                              self.oid, JAN1, now=utc(2026, 11, 20))
        self.assertEqual(
            'order %s: term_end 2027-01-01T00:00:00+00:00 is not the end of '
            'its current term, which ends at 2026-12-01T00:00:00+00:00 (was '
            'it renewed meanwhile?); renew with term_end '
            '2026-12-01T00:00:00+00:00 to extend it' % self.oid, str(e))
        self.assertEqual(before, self.snapshot())

    def test_the_same_intent_sent_twice_renews_once(self):
        order = self.svc.renew('acme', self.oid, DEC1,
                               now=utc(2026, 11, 20))
        self.assertEqual((JAN1, 1), (order['term_end'], order['renewals']))
        e = self.assertRaises(errors.Conflict, self.svc.renew, 'acme',
                              self.oid, DEC1, now=utc(2026, 11, 20))
        self.assertIn('which ends at 2027-01-01T00:00:00+00:00', str(e))
        self.assertEqual([(D('-10'), DEC1, JAN1)], self.renewals())
        self.assertEqual(D('80'), self.balance())
        # The next renewal states the new end.
        self.svc.renew('acme', self.oid, JAN1, now=utc(2026, 11, 20))
        self.assertEqual(D('70'), self.balance())

    def test_renew_replay_answers_the_first_result(self):
        first = self.svc.renew('acme', self.oid, DEC1, idempotency_key='r-1',
                               now=utc(2026, 11, 20))
        self.svc.renew('acme', self.oid, JAN1, now=utc(2026, 11, 21))
        before = self.snapshot()
        again = self.svc.renew('acme', self.oid, DEC1, idempotency_key='r-1',
                               now=utc(2026, 11, 22))
        self.assertEqual(dict(first, replayed=True), again)
        self.assertEqual((JAN1, 1), (again['term_end'], again['renewals']))
        self.assertEqual(before, self.snapshot())
        e = self.assertRaises(errors.Conflict, self.svc.renew, 'acme',
                              self.oid, JAN1, idempotency_key='r-1')
        self.assertIn("idempotency_key 'r-1'", str(e))

    def test_the_same_instant_in_another_offset_is_the_same_request(self):
        paris = datetime.timezone(datetime.timedelta(hours=1))
        first = self.svc.renew('acme', self.oid, DEC1, idempotency_key='r',
                               now=utc(2026, 11, 20))
        again = self.svc.renew('acme', self.oid,
                               datetime.datetime(2026, 12, 1, 1,
                                                 tzinfo=paris),
                               idempotency_key='r', now=utc(2026, 11, 20))
        self.assertEqual(first['id'], again['id'])
        self.assertTrue(again['replayed'])
        self.assertEqual(D('80'), self.balance())

    def test_auto_renew_replay_and_conflict(self):
        first = self.svc.set_auto_renew('acme', self.oid, True,
                                        idempotency_key='a-1')
        self.svc.set_auto_renew('acme', self.oid, False)
        again = self.svc.set_auto_renew('acme', self.oid, True,
                                        idempotency_key='a-1')
        self.assertEqual(dict(first, replayed=True), again)
        self.assertTrue(again['auto_renew'])
        self.assertFalse(self.db.get_order_row(self.oid)['auto_renew'])
        self.assertRaises(errors.Conflict, self.svc.set_auto_renew, 'acme',
                          self.oid, False, idempotency_key='a-1')
