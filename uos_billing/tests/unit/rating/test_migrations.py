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
"""The alembic migrations: one head, the models' tables, rows kept."""

import datetime
import decimal

from alembic import script as alembic_script
from cloudkitty import db as ck_db
from oslo_db.sqlalchemy import test_migrations
from oslo_utils import uuidutils
import sqlalchemy as sa

from uos_billing.core import idempotency
from uos_billing.rating.db.sqlalchemy import migration
from uos_billing.rating.db.sqlalchemy import models
from uos_billing.tests import base

# The revision before the utf8mb4 conversion, and that conversion.
BEFORE = '5c4a9e1f7d20'
UTF8MB4 = 'b8d4e2f61a93'


class TestModelsMatchMigrations(test_migrations.ModelsMigrationsSync,
                                base.DBTestCase):
    """Compares the migrated schema with the models, on every backend.

    DBTestCase has already run the migrations (db_sync does nothing more).
    """

    def db_sync(self, engine):
        pass

    def get_engine(self):
        with ck_db.session_for_read() as session:
            return session.get_bind()

    def get_metadata(self):
        return models.Base.metadata

    def include_object(self, object_, name, type_, reflected, compare_to):
        if type_ == 'table':
            return name.startswith('billing_') and name != 'billing_alembic'
        return True

    def compare_type(self, context, inspected_column, metadata_column,
                     inspected_type, metadata_type):
        # Money columns are ExactDecimal: NUMERIC everywhere, the text of
        # the number on SQLite (which has no decimal type).
        impl = getattr(metadata_type, 'impl', None)
        if impl is not None:
            metadata_type = metadata_type.load_dialect_impl(
                context.dialect)
        return super().compare_type(context, inspected_column,
                                    metadata_column, inspected_type,
                                    metadata_type)


class TestUtf8mb4Migration(base.DBTestCase):
    """b8d4e2f61a93 on billing tables that are not utf8mb4 (MariaDB).

    The tables are made as a server that defaults to utf8 (3 bytes) or
    latin1 leaves them, at the revision before; the upgrade makes every
    text column utf8mb4 with the collation of the same rules, leaves a
    utf8mb4 column's collation alone (a binary key stays binary), keeps
    the rows, and makes a COMPACT table DYNAMIC so that its keys fit.
    """

    scenarios = [('mysql', {'backend': 'mysql'})]

    def setUp(self):
        super().setUp()
        self.engine = sa.create_engine(sa.engine.make_url(
            self.database.url))
        self.addCleanup(self.engine.dispose)
        with self.engine.begin() as conn:
            for table in sa.inspect(conn).get_table_names():
                if table.startswith('billing_'):
                    conn.exec_driver_sql('DROP TABLE `%s`' % table)
        migration.upgrade(BEFORE)
        with self.engine.begin() as conn:
            for table in sa.inspect(conn).get_table_names():
                if table.startswith('billing_'):
                    conn.exec_driver_sql(
                        'ALTER TABLE `%s` CONVERT TO CHARACTER SET utf8mb3 '
                        'COLLATE utf8mb3_general_ci' % table)
            conn.exec_driver_sql(
                'ALTER TABLE billing_order ROW_FORMAT=COMPACT, CONVERT TO '
                'CHARACTER SET latin1 COLLATE latin1_swedish_ci')
            conn.exec_driver_sql(
                'ALTER TABLE billing_charge MODIFY line_key VARCHAR(128) '
                'CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL')
            # A key another migration made byte-exact before this one ran.
            conn.exec_driver_sql(
                'ALTER TABLE billing_ledger MODIFY idempotency_key '
                'VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin '
                'NOT NULL')
            conn.exec_driver_sql(
                "INSERT INTO billing_order (id, project_id, resource_id, "
                "service, mode, status, auto_renew, renewals, created_at) "
                "VALUES ('o-1', 'acme', 'vm-caf\u00e9', 'instance', "
                "'on_demand', 'active', 0, 0, '2026-11-01 00:00:00')")

    def columns(self):
        with self.engine.connect() as conn:
            return {(t, c): (cs, co) for t, c, cs, co in conn.execute(sa.text(
                'SELECT table_name, column_name, character_set_name, '
                'collation_name FROM information_schema.columns WHERE '
                'table_schema = DATABASE() AND table_name LIKE :p AND '
                'character_set_name IS NOT NULL AND table_name <> :v'),
                {'p': 'billing_%', 'v': 'billing_alembic'})}

    def test_every_text_column_becomes_utf8mb4(self):
        definitions = self.definitions()
        migration.upgrade(UTF8MB4)
        # Types, nullability and defaults are kept.
        self.assertEqual(definitions, self.definitions())
        columns = self.columns()
        self.assertEqual({'utf8mb4'}, {cs for cs, _ in columns.values()})
        self.assertEqual(('utf8mb4', 'utf8mb4_general_ci'),
                         columns['billing_product', 'description'])
        self.assertEqual(('utf8mb4', 'utf8mb4_swedish_ci'),
                         columns['billing_order', 'resource_id'])
        self.assertEqual(('utf8mb4', 'utf8mb4_bin'),
                         columns['billing_charge', 'line_key'])
        self.assertEqual(('utf8mb4', 'utf8mb4_bin'),
                         columns['billing_ledger', 'idempotency_key'])
        with self.engine.connect() as conn:
            tables = dict(conn.execute(sa.text(
                'SELECT table_name, row_format FROM information_schema.'
                'tables WHERE table_schema = DATABASE() AND table_name = '
                ':t'), {'t': 'billing_order'}).all())
            self.assertEqual({'billing_order': 'Dynamic'}, tables)
            self.assertEqual('vm-caf\u00e9', conn.execute(sa.text(
                "SELECT resource_id FROM billing_order WHERE id = 'o-1'")
            ).scalar_one())

    def test_emoji_are_stored_once_upgraded(self):
        migration.upgrade(UTF8MB4)
        with self.engine.begin() as conn:
            conn.exec_driver_sql(
                "UPDATE billing_order SET resource_id = 'vm-\U0001F40D'")
            self.assertEqual('vm-\U0001F40D', conn.execute(sa.text(
                'SELECT resource_id FROM billing_order')).scalar_one())

    def test_utf8mb4_tables_are_left_alone(self):
        migration.upgrade(UTF8MB4)
        before = self.columns()
        with self.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM billing_alembic")
            conn.exec_driver_sql(
                "INSERT INTO billing_alembic VALUES ('%s')" % BEFORE)
        migration.upgrade(UTF8MB4)
        self.assertEqual(before, self.columns())

    def definitions(self):
        with self.engine.connect() as conn:
            return {(t, c): rest for t, c, *rest in conn.execute(sa.text(
                'SELECT table_name, column_name, column_type, is_nullable, '
                'column_default FROM information_schema.columns WHERE '
                'table_schema = DATABASE() AND table_name LIKE :p'),
                {'p': 'billing_%'})}


def _script():
    return alembic_script.ScriptDirectory.from_config(migration._config())


class TestHistory(base.TestCase):

    def test_one_head(self):
        # Two migrations written after the same revision leave two heads:
        # cloudkitty-dbsync upgrade head then fails. Re-chain one of them.
        self.assertEqual(1, len(_script().get_heads()), _script().get_heads())


# The migration that adds key_hash, the ledger's uuid and billing_request.
EXACT_KEYS = 'd2b7f4a8c9e1'
KEYS = ('recharge:acme:CaseKey-1', 'recharge:acme:casekey-1',
        'recharge:acme:key', 'recharge:acme:key ',
        'recharge:acme:\u00e9', 'recharge:acme:e\u0301')


class TestExactKeysMigration(base.DBTestCase):
    """Upgrading a database that already has ledger and action rows."""

    revision = _script().get_revision(EXACT_KEYS).down_revision

    def _insert(self, session, table, rows):
        columns = list(rows[0])
        session.execute(sa.text('INSERT INTO %s (%s) VALUES (%s)' % (
            table, ', '.join(columns), ', '.join(':' + c for c in columns))),
            rows)

    def test_rows_get_their_key_hash_and_a_uuid(self):
        at = datetime.datetime(2026, 11, 2, 10)
        with ck_db.session_for_write() as session:
            # Before the migration the keys had to be distinct for the
            # database's collation: on MariaDB a case or trailing-space
            # variant was a duplicate. One of each pair is inserted there.
            keys = KEYS if self.backend != 'mysql' else KEYS[::2]
            self._insert(session, 'billing_ledger', [
                {'project_id': 'acme', 'kind': 'recharge',
                 'amount': '1.0000000000', 'balance_after': '1.0000000000',
                 'idempotency_key': key, 'created_at': at}
                for key in keys])
            self._insert(session, 'billing_enforcement_action', [
                {'project_id': 'acme', 'action': 'warn', 'reason': 'owed',
                 'actor': 'billing', 'dry_run': False,
                 'idempotency_key': 'warn:acme:1', 'created_at': at}])
        migration.upgrade('head')
        with ck_db.session_for_read() as session:
            ledger_rows = session.execute(sa.text(
                'SELECT idempotency_key, key_hash, uuid FROM billing_ledger '
                'ORDER BY id')).all()
            action = session.execute(sa.text(
                'SELECT idempotency_key, key_hash FROM '
                'billing_enforcement_action')).one()
        self.assertEqual(list(keys), [row[0] for row in ledger_rows])
        self.assertEqual([idempotency.digest(key) for key in keys],
                         [row[1] for row in ledger_rows])
        uuids = [row[2] for row in ledger_rows]
        self.assertEqual(len(keys), len(set(uuids)))
        self.assertTrue(all(uuidutils.is_uuid_like(u) for u in uuids))
        self.assertEqual(('warn:acme:1', idempotency.digest('warn:acme:1')),
                         tuple(action))
        if keys == KEYS:
            return
        # MariaDB's case and trailing-space variants are now other keys.
        with ck_db.session_for_write() as session:
            self._insert(session, 'billing_ledger', [
                {'project_id': 'acme', 'kind': 'recharge',
                 'amount': '1.0000000000', 'balance_after': '2.0000000000',
                 'idempotency_key': key, 'key_hash': idempotency.digest(key),
                 'uuid': uuidutils.generate_uuid(), 'created_at': at}
                for key in KEYS if key not in keys])


# The migration that adds billing_rated_period and billing_service_charge.
SERVICE_CHARGES = 'f1c3a7d5b902'


class TestServiceChargesMigration(base.DBTestCase):
    """Periods posted before the revision are rated, with service rows."""

    revision = _script().get_revision(SERVICE_CHARGES).down_revision

    def test_current_lines_are_recorded_on_the_first_charge(self):
        p1 = datetime.datetime(2026, 11, 2, 10)
        p2 = datetime.datetime(2026, 11, 2, 11)
        created = datetime.datetime(2026, 11, 2, 12)
        entries = [
            # (project, kind, period, amount): p1 charged, then adjusted.
            ('acme', 'charge', p1, '-3.0000000000'),
            ('acme', 'charge', p2, '-0.5000000000'),
            ('acme', 'adjustment', p1, '-0.2500000000'),
            ('acme', 'recharge', None, '10.0000000000'),
            ('other', 'charge', p1, '-1.0000000000')]
        lines = [
            # (project, period, resource, service, amount): p1's lines as
            # re-rated, summing to the charge plus the adjustment.
            ('acme', p1, 'vm-1', 'instance', '2.0000000000'),
            ('acme', p1, 'vm-2', 'instance', '0.2500000000'),
            ('acme', p1, 'vol-1', 'volume', '1.0000000000'),
            ('acme', p2, 'vm-1', 'instance', '0.5000000000'),
            ('acme', p2, 'vol-1', 'volume', '0.0000000000'),
            ('other', p1, 'vm-9', 'instance', '1.0000000000')]
        with ck_db.session_for_write() as session:
            for number, (project, kind, period, amount) in enumerate(
                    entries):
                key = '%s:%s:%d' % (kind, project, number)
                session.execute(sa.text(
                    'INSERT INTO billing_ledger (uuid, project_id, kind, '
                    'amount, balance_after, period_begin, period_end, '
                    'idempotency_key, key_hash, created_at) VALUES (:uuid, '
                    ':project, :kind, :amount, :amount, :period, :end, '
                    ':key, :hash, :created)'), {
                    'uuid': uuidutils.generate_uuid(), 'project': project,
                    'kind': kind, 'amount': amount, 'period': period,
                    'end': period and period + datetime.timedelta(hours=1),
                    'key': key, 'hash': idempotency.digest(key),
                    'created': created})
            for project, period, resource, service, amount in lines:
                session.execute(sa.text(
                    'INSERT INTO billing_charge (project_id, resource_id, '
                    'service, line_key, period_begin, period_end, qty, '
                    'billed_seconds, amount, mode) VALUES (:project, '
                    ':resource, :service, \'\', :begin, :end, :qty, 3600, '
                    ':amount, \'on_demand\')'), {
                    'project': project, 'resource': resource,
                    'service': service, 'begin': period,
                    'end': period + datetime.timedelta(hours=1),
                    'qty': '1.0000000000', 'amount': amount})
            ids = dict(session.execute(sa.text(
                'SELECT idempotency_key, id FROM billing_ledger')).all())
        migration.upgrade('head')
        with ck_db.session_for_read() as session:
            rows = session.execute(
                sa.select(models.ServiceCharge.entry_id,
                          models.ServiceCharge.project_id,
                          models.ServiceCharge.period_begin,
                          models.ServiceCharge.service,
                          models.ServiceCharge.amount)
                ).all()
            rated = session.execute(
                sa.select(models.RatedPeriod.project_id,
                          models.RatedPeriod.period_begin,
                          models.RatedPeriod.period_end,
                          models.RatedPeriod.rated_at)).all()
        hour = datetime.timedelta(hours=1)
        self.assertEqual([('acme', p1, p1 + hour, created),
                          ('acme', p2, p2 + hour, created),
                          ('other', p1, p1 + hour, created)],
                         sorted(tuple(row) for row in rated))
        D = decimal.Decimal
        # p1's adjustment (charged 0.25 more) is not known per service:
        # its own row, and the opposite on the charge, so that each entry
        # adds up to its amount.
        self.assertEqual([
            (ids['charge:acme:0'], 'acme', p1, 'instance', D('2.25')),
            (ids['charge:acme:0'], 'acme', p1, 'unattributed', D('-0.25')),
            (ids['charge:acme:0'], 'acme', p1, 'volume', D('1')),
            (ids['charge:acme:1'], 'acme', p2, 'instance', D('0.5')),
            (ids['adjustment:acme:2'], 'acme', p1, 'unattributed',
             D('0.25')),
            (ids['charge:other:4'], 'other', p1, 'instance', D('1')),
        ], sorted(tuple(row) for row in rows))
