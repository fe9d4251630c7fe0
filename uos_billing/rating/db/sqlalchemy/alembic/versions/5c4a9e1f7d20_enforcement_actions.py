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
"""Enforcement and checker actions: billing_enforcement_action.

Revision ID: 5c4a9e1f7d20
Revises: 3e8d2f9a6c17
Create Date: 2026-12-08 10:00:00

"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '5c4a9e1f7d20'
down_revision = '3e8d2f9a6c17'


def upgrade():
    op.create_table(
        'billing_enforcement_action',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer, 'sqlite'),
                  primary_key=True, autoincrement=True),
        sa.Column('project_id', sa.String(64), nullable=False),
        sa.Column('resource_id', sa.String(255), nullable=True),
        sa.Column('action', sa.String(32), nullable=False),
        sa.Column('reason', sa.Text, nullable=False),
        sa.Column('actor', sa.String(255), nullable=False),
        sa.Column('dry_run', sa.Boolean, nullable=False),
        sa.Column('detail', sa.Text, nullable=True),
        sa.Column('idempotency_key', sa.String(255), nullable=False),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_billing_enforcement_action'),
        sa.UniqueConstraint(
            'idempotency_key',
            name='uq_billing_enforcement_action_idempotency_key'),
        mysql_charset='utf8mb4', mysql_engine='InnoDB')
    op.create_index('ix_billing_enforcement_action_project_resource',
                    'billing_enforcement_action',
                    ['project_id', 'resource_id'])
