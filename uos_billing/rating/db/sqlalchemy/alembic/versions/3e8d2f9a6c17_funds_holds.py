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
"""Funds holds: billing_hold.

Revision ID: 3e8d2f9a6c17
Revises: 7b1c0e5a2d41
Create Date: 2026-12-01 10:00:00

"""

from alembic import op
import sqlalchemy as sa

from uos_billing.rating.db.sqlalchemy import types

# revision identifiers, used by Alembic.
revision = '3e8d2f9a6c17'
down_revision = '7b1c0e5a2d41'


def upgrade():
    op.create_table(
        'billing_hold',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('project_id', sa.String(64), nullable=False),
        sa.Column('service', sa.String(64), nullable=False),
        sa.Column('product_id', sa.String(36), nullable=False),
        sa.Column('mode', sa.String(16), nullable=False),
        sa.Column('count', sa.Integer, nullable=False),
        sa.Column('amount', type_=types.Money(), nullable=False),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('auto_renew', sa.Boolean, nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('expires_at', sa.DateTime, nullable=False),
        sa.Column('resource_id', sa.String(255), nullable=True),
        sa.Column('order_id', sa.String(36), nullable=True),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.Column('created_by', sa.String(255), nullable=True),
        sa.Column('updated_at', sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_billing_hold'),
        mysql_charset='utf8mb4', mysql_engine='InnoDB')
    op.create_index('ix_billing_hold_project_id', 'billing_hold',
                    ['project_id'])
    op.create_index('ix_billing_hold_project_status_expires', 'billing_hold',
                    ['project_id', 'status', 'expires_at'])
