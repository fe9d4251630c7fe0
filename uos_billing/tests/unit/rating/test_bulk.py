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
"""Bulk inserts: every value comes back as written, on every backend."""

import datetime
import decimal

from cloudkitty import db as ck_db
from oslo_db import exception as db_exc
import sqlalchemy as sa

from uos_billing.rating.db.sqlalchemy import bulk
from uos_billing.rating.db.sqlalchemy import models
from uos_billing.tests import base

D = decimal.Decimal
T0 = datetime.datetime(2026, 11, 2, 10)
T1 = datetime.datetime(2026, 11, 2, 11)

COLUMNS = ('project_id', 'resource_id', 'service', 'line_key',
           'period_begin', 'period_end', 'qty', 'billed_seconds', 'amount',
           'order_id', 'product_id', 'mode')

#: Strings that need escaping, the separator bulk joins strings with, a
#: percent sign, non-ASCII text, NULLs and repeated values.
AWKWARD = ("it's", 'back\\slash', 'say "hi"', 'new\nline', 'tab\there',
           'sep\x01arator', 'two\x01\x01seps', '100%', '%s', 'zürich',
           '\u6771\u4eac', '', 'plain')


def rows():
    out = []
    for i, text in enumerate(AWKWARD):
        out.append(['p', 'r%02d' % i, 'instance', text, T0, T1,
                    D('1.5'), 3600, D('0.0123456789'),
                    None if i % 2 else text, 'prod', 'on_demand'])
    # Many rows sharing their values but the resource.
    for i in range(300):
        out.append(['p', 'same%03d' % i, 'instance', 'flavor_name=m1.small',
                    T0, T1, D(1), 3600, D('0.02'), None, 'prod',
                    'on_demand'])
    return out


class BulkTestCase(base.DBTestCase):

    def read(self):
        with ck_db.session_for_read() as session:
            return sorted(
                [list(row) for row in session.execute(
                    sa.select(*[getattr(models.Charge, c)
                                for c in COLUMNS]))],
                key=lambda row: row[1])

    def insert(self, data):
        with ck_db.session_for_write() as session:
            bulk.insert(session.connection(), models.Charge.__table__,
                        COLUMNS, data)


class TestBulkInsert(BulkTestCase):

    def test_values_round_trip(self):
        data = rows()
        self.insert(data)
        self.assertEqual(sorted(data, key=lambda row: row[1]), self.read())

    def test_split_into_statements(self):
        self.useFixture(base.fixtures.MonkeyPatch(
            'uos_billing.rating.db.sqlalchemy.bulk.MAX_STATEMENT', 2000))
        self.useFixture(base.fixtures.MonkeyPatch(
            'uos_billing.rating.db.sqlalchemy.bulk.SQLITE_ROWS', 7))
        data = rows()
        self.insert(data)
        self.assertEqual(sorted(data, key=lambda row: row[1]), self.read())

    def test_same_value_in_every_row(self):
        # Written once into the statement's row format on MySQL.
        data = [["it's 100%s", 'r%d' % i, '%%', "it's 100%s", T0, T1,
                 D('0.5'), 60, D('0.25'), None, 'prod', 'on_demand']
                for i in range(5)]
        self.insert(data)
        self.assertEqual(data, self.read())

    def test_nothing_to_insert(self):
        self.insert([])
        self.assertEqual([], self.read())

    def test_scales_and_nulls_of_varying_columns(self):
        # The table value constructor's column takes the widest of its
        # values: every Decimal comes back exact, a NULL stays NULL.
        data = [['p', 'r%d' % i, 'instance', '', T0, T1, qty, i,
                 amount, order_id, None, 'on_demand']
                for i, (qty, amount, order_id) in enumerate([
                    (D('1'), D('0.000000001'), None),
                    (D('123456789.123456789'), D('7'), 'o1'),
                    (D('0.5'), D('-0.25'), None)])]
        self.insert(data)
        self.assertEqual(data, self.read())

    def test_duplicate_line_is_refused_whole(self):
        data = rows()[:20]
        self.insert(data)
        self.assertRaises(db_exc.DBDuplicateEntry, self.insert,
                          rows()[19:25])
        self.assertEqual(sorted(data, key=lambda row: row[1]), self.read())


class TestMariaDBStatement(BulkTestCase):
    """The statement bulk sends to MariaDB (other backends bind values)."""

    scenarios = [('mysql', {'backend': 'mysql'})]

    def test_constant_columns_sent_once(self):
        statements = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        with ck_db.session_for_write() as session:
            connection = session.connection()
            sa.event.listen(connection, 'before_cursor_execute', record)
            data = rows()[13:]
            bulk.insert(connection, models.Charge.__table__, COLUMNS, data)
            sa.event.remove(connection, 'before_cursor_execute', record)
        inserts = [s for s in statements if s.startswith('INSERT')]
        self.assertEqual(1, len(inserts))
        # 'flavor_name=m1.small' and 'on_demand' are in every row, once in
        # the statement; each resource id is in it once, in its row.
        self.assertEqual(1, inserts[0].count("'on_demand'"))
        self.assertEqual(1, inserts[0].count("'flavor_name=m1.small'"))
        self.assertEqual(300, inserts[0].count("('same"))
        self.assertEqual(sorted(data, key=lambda row: row[1]), self.read())
