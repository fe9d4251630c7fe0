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
"""Idempotent order requests, exact keys, ledger uuids.

- billing_request: the order operations sent with an idempotency key and
  their first answer;
- billing_ledger and billing_enforcement_action: key_hash, the SHA-256 of
  the key's UTF-8 bytes, is the unique identity of a key instead of the
  key's text (MariaDB's default collations compare text without case and
  PAD SPACE: ``CaseKey-1``, ``casekey-1`` and ``casekey-1 `` were one
  key);
- billing_ledger.uuid: the id the API shows (the integer id stays
  internal, it orders the entries).

Existing rows get their key_hash and a uuid.

Revision ID: d2b7f4a8c9e1
Revises: b8d4e2f61a93
Create Date: 2026-12-15 10:00:00

"""

import uuid

from alembic import op
import sqlalchemy as sa

from uos_billing.core import idempotency

# revision identifiers, used by Alembic.
revision = 'd2b7f4a8c9e1'
down_revision = 'b8d4e2f61a93'

BATCH = 1000


def _backfill(table_name, with_uuid):
    """Set key_hash (and uuid) of the rows that have none, by batches."""
    columns = [sa.column('id'), sa.column('idempotency_key'),
               sa.column('key_hash')]
    if with_uuid:
        columns.append(sa.column('uuid'))
    table = sa.table(table_name, *columns)
    values = {'key_hash': sa.bindparam('new_hash')}
    if with_uuid:
        values['uuid'] = sa.bindparam('new_uuid')
    update = (sa.update(table).where(table.c.id == sa.bindparam('row_id'))
              .values(values))
    bind = op.get_bind()
    while True:
        rows = bind.execute(
            sa.select(table.c.id, table.c.idempotency_key)
            .where(table.c.key_hash.is_(None))
            .order_by(table.c.id).limit(BATCH)).all()
        if not rows:
            return
        params = []
        for row in rows:
            param = {'row_id': row.id,
                     'new_hash': idempotency.digest(row.idempotency_key)}
            if with_uuid:
                param['new_uuid'] = str(uuid.uuid4())
            params.append(param)
        bind.execute(update, params)


def upgrade():
    op.create_table(
        'billing_request',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer, 'sqlite'),
                  primary_key=True, autoincrement=True),
        sa.Column('project_id', sa.String(64), nullable=False),
        sa.Column('operation', sa.String(16), nullable=False),
        sa.Column('idempotency_key', sa.String(255), nullable=False),
        sa.Column('key_hash', sa.String(64), nullable=False),
        sa.Column('fingerprint', sa.String(64), nullable=False),
        sa.Column('order_id', sa.String(36), nullable=True),
        sa.Column('result', sa.Text, nullable=False),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.Column('created_by', sa.String(255), nullable=True),
        sa.PrimaryKeyConstraint('id', name='pk_billing_request'),
        sa.UniqueConstraint('key_hash', name='uq_billing_request_key_hash'),
        mysql_charset='utf8mb4', mysql_engine='InnoDB')

    op.add_column('billing_ledger',
                  sa.Column('key_hash', sa.String(64), nullable=True))
    op.add_column('billing_ledger',
                  sa.Column('uuid', sa.String(36), nullable=True))
    _backfill('billing_ledger', with_uuid=True)
    with op.batch_alter_table('billing_ledger') as batch:
        batch.alter_column('key_hash', existing_type=sa.String(64),
                           nullable=False)
        batch.alter_column('uuid', existing_type=sa.String(36),
                           nullable=False)
        batch.drop_constraint('uq_billing_ledger_idempotency_key',
                              type_='unique')
        batch.create_unique_constraint('uq_billing_ledger_key_hash',
                                       ['key_hash'])
        batch.create_unique_constraint('uq_billing_ledger_uuid', ['uuid'])

    op.add_column('billing_enforcement_action',
                  sa.Column('key_hash', sa.String(64), nullable=True))
    _backfill('billing_enforcement_action', with_uuid=False)
    with op.batch_alter_table('billing_enforcement_action') as batch:
        batch.alter_column('key_hash', existing_type=sa.String(64),
                           nullable=False)
        batch.drop_constraint(
            'uq_billing_enforcement_action_idempotency_key', type_='unique')
        batch.create_unique_constraint(
            'uq_billing_enforcement_action_key_hash', ['key_hash'])
