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
"""Idempotency keys: a retried money operation is answered, not redone.

A key is compared byte for byte: through the SHA-256 of its UTF-8 bytes,
so that no database collation (MariaDB's are case-insensitive and PAD
SPACE) can make ``CaseKey``, ``casekey`` and ``casekey `` one key, and an
NFC and an NFD spelling stay two keys. A request sent with a key is
remembered with the fingerprint of what it asked for: the same key with
the same request answers the first result; with another request it is a
Conflict that names the key.
"""

import dataclasses
import datetime
import decimal
import hashlib
import json
import typing

from uos_billing.core import clock
from uos_billing.core import errors

# The operations on orders that take a key (recharge keeps its ledger key).
BUY = 'buy'
CANCEL = 'cancel'
RENEW = 'renew'
AUTO_RENEW = 'auto_renew'
OPERATIONS = (BUY, CANCEL, RENEW, AUTO_RENEW)

#: Length of a digest: SHA-256 in hexadecimal.
DIGEST_LENGTH = 64


def digest(text):
    """The SHA-256 (hex) of text's UTF-8 bytes: its exact identity."""
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def _canonical(value):
    if isinstance(value, datetime.datetime):
        return clock.instant(value).isoformat()
    if isinstance(value, decimal.Decimal):
        # 5 and 5.00 are the same amount.
        return format(value.normalize(), 'f')
    raise TypeError('%r cannot be part of a request fingerprint' % (value,))


def _json(value):
    # ensure_ascii=False keeps the characters as they were sent: the digest
    # is taken of their UTF-8 bytes, not of an escaped ASCII form.
    return json.dumps(value, sort_keys=True, separators=(',', ':'),
                      ensure_ascii=False, default=_canonical)


def fingerprint(fields):
    """The digest of what a request asks for (a dict of its fields)."""
    return digest(_json(fields))


def check_same_request(key, first, again):
    """A key sent again must carry the request it was first sent with."""
    if first != again:
        raise errors.Conflict('idempotency_key %r was already used for '
                              'another request' % (key,))


@dataclasses.dataclass(frozen=True)
class Request:
    """An operation of a project asked with a client's key (or none)."""
    project_id: str
    operation: str
    key: typing.Optional[str]
    fields: dict

    @property
    def scope_digest(self):
        """The key's identity: the project's, for this operation only.

        Taken of a JSON list, so that no project id or key containing a
        separator can be read as another (project, key) pair.
        """
        return digest(_json([self.operation, self.project_id, self.key]))

    @property
    def fingerprint(self):
        return fingerprint(self.fields)

    def check_replay(self, first_fingerprint):
        """Whether a recorded request of this key is this one (or 409)."""
        check_same_request(self.key, first_fingerprint, self.fingerprint)
