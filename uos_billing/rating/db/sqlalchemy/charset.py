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
"""Is the database connection able to carry 4-byte UTF-8?

oslo.db opens MySQL connections with ``charset=utf8`` (3 bytes a
character at most) unless the URL says otherwise: an emoji in a product's
description or a recharge's note is then refused by MariaDB ("Incorrect
string value"), after the tables were made utf8mb4. The billing module
checks its connection once per process (the API when it mounts the
module, a processor at its first period) and logs a WARNING naming
``[database] connection`` when it is not utf8mb4.
"""

import threading

from cloudkitty import db as ck_db
from oslo_log import log as logging
import sqlalchemy as sa

LOG = logging.getLogger(__name__)
UTF8MB4 = 'utf8mb4'
EXAMPLE = 'mysql+pymysql://cloudkitty:PASSWORD@HOST/cloudkitty?charset=utf8mb4'

_checked = False
_lock = threading.Lock()


def problem(session):
    """Why the session's connection cannot store 4-byte UTF-8, or None."""
    if session.get_bind().dialect.name != 'mysql':
        return None
    client, connection, results = session.execute(sa.text(
        'SELECT @@character_set_client, @@character_set_connection, '
        '@@character_set_results')).one()
    charsets = sorted({client, connection, results})
    if charsets == [UTF8MB4]:
        return None
    return ('[database] connection: the MySQL connection\'s character set '
            'is %s, not %s: text with 4-byte UTF-8 characters (emoji) '
            'cannot be stored and such requests fail; add '
            '?charset=%s to the URL, e.g. %s' % (
                '/'.join(charsets), UTF8MB4, UTF8MB4, EXAMPLE))


def check():
    """Log a WARNING when the connection is not utf8mb4; never raises."""
    try:
        with ck_db.session_for_read() as session:
            found = problem(session)
    except Exception as e:
        LOG.warning('could not check the character set of the [database] '
                    'connection: %s', e)
        return None
    if found:
        LOG.warning('%s', found)
    return found


def check_once():
    """check(), the first time it is called in this process."""
    global _checked
    with _lock:
        if _checked:
            return None
        _checked = True
    return check()


def reset():
    global _checked
    with _lock:
        _checked = False
