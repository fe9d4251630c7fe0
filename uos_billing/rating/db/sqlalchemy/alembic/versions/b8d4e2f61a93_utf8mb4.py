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
"""MySQL/MariaDB: every text column of the billing tables in utf8mb4.

The billing tables are created utf8mb4, but a table or a column may have
ended up in another character set (utf8mb3, latin1: a server default, a
dump restored by hand), which cannot hold 4-byte UTF-8 (emoji). Each
billing_* table (as it stands now: later migrations' tables too) is
looked at in information_schema:

- every text column not in utf8mb4 is changed to utf8mb4 with the
  collation of the same rules (utf8mb3_general_ci -> utf8mb4_general_ci,
  utf8mb3_bin -> utf8mb4_bin, latin1_swedish_ci -> utf8mb4_swedish_ci;
  utf8mb4_general_ci, or utf8mb4_bin for a *_bin one, when utf8mb4 has no
  such collation), its type, nullability and default kept. Columns already
  in utf8mb4 are left as they are, whatever their collation (a binary
  key stays binary);
- the table's default character set becomes utf8mb4 (with its current
  collation's counterpart), for columns added later;
- a table in the COMPACT or REDUNDANT row format becomes DYNAMIC first:
  their index keys are limited to 767 bytes, and a VARCHAR(255) is 1020
  bytes in utf8mb4. In DYNAMIC the limit is 3072 bytes; the longest
  billing key (billing_charge's unique line key: 511 characters and a
  DATETIME) is 2049 bytes.

Nothing is done on PostgreSQL and SQLite: their text is UTF-8 already
(a PostgreSQL database's encoding is set when it is created). The
connection must be utf8mb4 too (``?charset=utf8mb4``: oslo.db makes it
utf8 otherwise); the billing module warns at start when it is not.

Revision ID: b8d4e2f61a93
Revises: 5c4a9e1f7d20
Create Date: 2026-12-15 12:00:00

"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'b8d4e2f61a93'
down_revision = '5c4a9e1f7d20'

CHARSET = 'utf8mb4'
PREFIX = 'billing_'
VERSION_TABLE = 'billing_alembic'
SHORT_KEYS = ('COMPACT', 'REDUNDANT')


def _utf8mb4_collations(bind):
    return {row[0] for row in bind.execute(sa.text(
        'SELECT collation_name FROM information_schema.collations '
        'WHERE character_set_name = :charset'), {'charset': CHARSET})}


def counterpart(collation, available):
    """The utf8mb4 collation of collation's rules (see the docstring)."""
    if collation is None:
        return CHARSET + '_general_ci'
    if collation in available:
        return collation
    rules = collation.split('_', 1)[1] if '_' in collation else ''
    candidate = '%s_%s' % (CHARSET, rules)
    if candidate in available:
        return candidate
    if rules.endswith('bin'):
        return CHARSET + '_bin'
    return CHARSET + '_general_ci'


def _tables(bind):
    return bind.execute(sa.text(
        'SELECT table_name, table_collation, row_format '
        'FROM information_schema.tables '
        'WHERE table_schema = DATABASE() AND table_type = :base '
        'AND table_name LIKE :prefix ORDER BY table_name'),
        {'base': 'BASE TABLE', 'prefix': PREFIX + '%'}).all()


def _columns(bind, table):
    """The table's text columns that are not utf8mb4 yet."""
    return bind.execute(sa.text(
        'SELECT column_name, column_type, is_nullable, column_default, '
        'collation_name FROM information_schema.columns '
        'WHERE table_schema = DATABASE() AND table_name = :table '
        'AND character_set_name IS NOT NULL '
        'AND character_set_name <> :charset ORDER BY ordinal_position'),
        {'table': table, 'charset': CHARSET}).all()


def _quoted(name):
    return '`%s`' % name.replace('`', '``')


def _default(value):
    """The DEFAULT clause of a column, from information_schema's default.

    MariaDB quotes a string default there, MySQL does not.
    """
    if value is None or value == 'NULL':
        return ''
    if not (value.startswith("'") and value.endswith("'")):
        value = "'%s'" % value.replace("'", "''")
    return ' DEFAULT %s' % value


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'mysql':
        return
    available = _utf8mb4_collations(bind)
    for table, table_collation, row_format in _tables(bind):
        if table == VERSION_TABLE:
            continue
        columns = _columns(bind, table)
        table_target = counterpart(table_collation, available)
        if not columns and table_collation == table_target:
            continue
        if (row_format or '').upper() in SHORT_KEYS:
            op.execute('ALTER TABLE %s ROW_FORMAT=DYNAMIC' % _quoted(table))
        changes = ['DEFAULT CHARACTER SET %s COLLATE %s' % (CHARSET,
                                                            table_target)]
        for name, column_type, nullable, default, collation in columns:
            changes.append('MODIFY %s %s CHARACTER SET %s COLLATE %s%s%s' % (
                _quoted(name), column_type, CHARSET,
                counterpart(collation, available),
                ' NULL' if nullable == 'YES' else ' NOT NULL',
                _default(default)))
        op.execute('ALTER TABLE %s %s' % (_quoted(table), ', '.join(changes)))
