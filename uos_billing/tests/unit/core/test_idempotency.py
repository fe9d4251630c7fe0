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
"""Tests of uos_billing.core.idempotency and the renewal's term end."""

import datetime
import decimal
import hashlib

from uos_billing.core import errors
from uos_billing.core import idempotency
from uos_billing.core import orders
from uos_billing.tests import base

D = decimal.Decimal
utc = base.utc


class DigestTest(base.TestCase):

    def test_the_sha256_of_the_utf8_bytes(self):
        self.assertEqual(hashlib.sha256('é'.encode('utf-8')).hexdigest(),
                         idempotency.digest('é'))
        self.assertEqual(idempotency.DIGEST_LENGTH,
                         len(idempotency.digest('k')))

    def test_keys_that_differ_in_a_byte_differ(self):
        pairs = [('CaseKey-1', 'casekey-1'), ('key', 'key '),
                 ('\u00e9', 'e\u0301')]
        for one, other in pairs:
            self.assertNotEqual(idempotency.digest(one),
                                idempotency.digest(other), (one, other))


class RequestTest(base.TestCase):

    def request(self, project='acme', operation=idempotency.RENEW, key='k',
                **fields):
        return idempotency.Request(project, operation, key, fields or {
            'order_id': 'o1', 'term_end': utc(2026, 12, 1)})

    def test_a_key_is_scoped_to_project_and_operation(self):
        digests = {self.request().scope_digest,
                   self.request(project='other').scope_digest,
                   self.request(operation=idempotency.CANCEL).scope_digest,
                   self.request(key='K').scope_digest}
        self.assertEqual(4, len(digests))

    def test_a_separator_in_a_project_or_key_is_no_other_pair(self):
        self.assertNotEqual(
            self.request(project='a:b', key='c').scope_digest,
            self.request(project='a', key='b:c').scope_digest)

    def test_the_fingerprint_is_of_the_values_not_their_spelling(self):
        paris = datetime.timezone(datetime.timedelta(hours=1))
        self.assertEqual(
            self.request(order_id='o1', term_end=utc(2026, 12, 1)).fingerprint,
            self.request(order_id='o1', term_end=datetime.datetime(
                2026, 12, 1, 1, tzinfo=paris)).fingerprint)
        self.assertEqual(self.request(amount=D('5')).fingerprint,
                         self.request(amount=D('5.00')).fingerprint)
        self.assertNotEqual(self.request(amount=D('5')).fingerprint,
                            self.request(amount=D('5.01')).fingerprint)
        self.assertNotEqual(self.request(order_id='o1').fingerprint,
                            self.request(order_id='o2').fingerprint)

    def test_a_replay_of_another_request_names_the_key(self):
        first = self.request().fingerprint
        self.request().check_replay(first)
        other = self.request(key='pay-1', order_id='o2')
        e = self.assertRaises(errors.Conflict, other.check_replay, first)
        self.assertEqual("idempotency_key 'pay-1' was already used for "
                         "another request", str(e))


class StatedTermEndTest(base.TestCase):

    def test_the_current_end_in_any_offset_is_accepted(self):
        paris = datetime.timezone(datetime.timedelta(hours=1))
        orders.check_stated_term_end('o1', datetime.datetime(2026, 12, 1),
                                     datetime.datetime(2026, 12, 1, 1,
                                                       tzinfo=paris))

    def test_another_end_is_a_conflict_stating_the_current_one(self):
        e = self.assertRaises(errors.Conflict, orders.check_stated_term_end,
                              'o1', datetime.datetime(2027, 1, 1),
                              utc(2026, 12, 1))
        self.assertEqual(
            'order o1: term_end 2026-12-01T00:00:00+00:00 is not the end of '
            'its current term, which ends at 2027-01-01T00:00:00+00:00 (was '
            'it renewed meanwhile?); renew with term_end '
            '2027-01-01T00:00:00+00:00 to extend it', str(e))
