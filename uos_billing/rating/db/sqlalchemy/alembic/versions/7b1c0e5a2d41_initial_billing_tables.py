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
"""Initial billing tables: product, price book, account, ledger, order, charge.

Revision ID: 7b1c0e5a2d41
Revises:
Create Date: 2026-11-22 15:00:00

"""

from alembic import op
import sqlalchemy as sa

from uos_billing.rating.db.sqlalchemy import types

# revision identifiers, used by Alembic.
revision = '7b1c0e5a2d41'
down_revision = None


def _money(nullable=False):
    return dict(type_=types.Money(), nullable=nullable)


def _big_id():
    return sa.Column('id', sa.BigInteger().with_variant(sa.Integer, 'sqlite'),
                     primary_key=True, autoincrement=True)


def upgrade():
    op.create_table(
        'billing_product',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('service', sa.String(64), nullable=False),
        sa.Column('region', sa.String(255), nullable=False),
        sa.Column('match', sa.Text, nullable=False),
        sa.Column('unit', sa.String(64), nullable=False),
        sa.Column('on_demand_price', **_money()),
        sa.Column('monthly_price', **_money(True)),
        sa.Column('yearly_price', **_money(True)),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('effective_from', sa.DateTime, nullable=False),
        sa.Column('effective_to', sa.DateTime, nullable=True),
        sa.Column('description', sa.Text, nullable=True),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.Column('created_by', sa.String(255), nullable=True),
        sa.Column('updated_at', sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_billing_product'),
        mysql_charset='utf8mb4', mysql_engine='InnoDB')
    op.create_index('ix_billing_product_service', 'billing_product',
                    ['service'])

    price_book = op.create_table(
        'billing_price_book',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=False),
        sa.Column('revision', sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_billing_price_book'),
        mysql_charset='utf8mb4', mysql_engine='InnoDB')
    op.bulk_insert(price_book, [{'id': 1, 'revision': 0}])

    op.create_table(
        'billing_account',
        sa.Column('project_id', sa.String(64), primary_key=True),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('balance', **_money()),
        sa.Column('credit_limit', **_money()),
        sa.Column('low_balance_threshold', **_money(True)),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('owed_since', sa.DateTime, nullable=True),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.Column('updated_at', sa.DateTime, nullable=False),
        sa.Column('revision', sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint('project_id', name='pk_billing_account'),
        mysql_charset='utf8mb4', mysql_engine='InnoDB')

    op.create_table(
        'billing_ledger',
        _big_id(),
        sa.Column('project_id', sa.String(64), nullable=False),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('amount', **_money()),
        sa.Column('balance_after', **_money()),
        sa.Column('order_id', sa.String(36), nullable=True),
        sa.Column('period_begin', sa.DateTime, nullable=True),
        sa.Column('period_end', sa.DateTime, nullable=True),
        sa.Column('idempotency_key', sa.String(255), nullable=False),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.Column('created_by', sa.String(255), nullable=True),
        sa.Column('note', sa.Text, nullable=True),
        sa.PrimaryKeyConstraint('id', name='pk_billing_ledger'),
        sa.UniqueConstraint('idempotency_key',
                            name='uq_billing_ledger_idempotency_key'),
        mysql_charset='utf8mb4', mysql_engine='InnoDB')
    op.create_index('ix_billing_ledger_project_period', 'billing_ledger',
                    ['project_id', 'period_begin'])
    op.create_index('ix_billing_ledger_order_id', 'billing_ledger',
                    ['order_id'])
    op.create_index('ix_billing_ledger_project_kind_end', 'billing_ledger',
                    ['project_id', 'kind', 'period_end'])

    op.create_table(
        'billing_order',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('project_id', sa.String(64), nullable=False),
        sa.Column('resource_id', sa.String(255), nullable=False),
        sa.Column('service', sa.String(64), nullable=False),
        sa.Column('product_id', sa.String(36), nullable=True),
        sa.Column('mode', sa.String(16), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('unit_price', **_money(True)),
        sa.Column('term_start', sa.DateTime, nullable=True),
        sa.Column('term_end', sa.DateTime, nullable=True),
        sa.Column('count', sa.Integer, nullable=True),
        sa.Column('auto_renew', sa.Boolean, nullable=False),
        sa.Column('renewals', sa.Integer, nullable=False),
        sa.Column('anchor_day', sa.Integer, nullable=True),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.Column('closed_at', sa.DateTime, nullable=True),
        sa.PrimaryKeyConstraint('id', name='pk_billing_order'),
        mysql_charset='utf8mb4', mysql_engine='InnoDB')
    op.create_index('ix_billing_order_project_resource', 'billing_order',
                    ['project_id', 'resource_id', 'service'])
    op.create_index('ix_billing_order_project_mode', 'billing_order',
                    ['project_id', 'mode'])

    op.create_table(
        'billing_charge',
        _big_id(),
        sa.Column('project_id', sa.String(64), nullable=False),
        sa.Column('resource_id', sa.String(255), nullable=False),
        sa.Column('service', sa.String(64), nullable=False),
        sa.Column('line_key', sa.String(128), nullable=False),
        sa.Column('period_begin', sa.DateTime, nullable=False),
        sa.Column('period_end', sa.DateTime, nullable=False),
        sa.Column('qty', type_=types.Quantity(), nullable=False),
        sa.Column('billed_seconds', sa.Integer, nullable=False),
        sa.Column('amount', **_money()),
        sa.Column('order_id', sa.String(36), nullable=True),
        sa.Column('product_id', sa.String(36), nullable=True),
        sa.Column('mode', sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_billing_charge'),
        sa.UniqueConstraint('project_id', 'period_begin', 'resource_id',
                            'service', 'line_key',
                            name='uq_billing_charge_line'),
        mysql_charset='utf8mb4', mysql_engine='InnoDB')
