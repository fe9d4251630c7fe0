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
"""Rated periods, and what each charge entry charged per service.

- billing_rated_period: one row per (project, period) rated, the record
  of exactly once: a period that charges nothing (under a prepaid term)
  is no longer posted as a zero-amount charge entry;
- billing_service_charge, append-only: each charge or adjustment entry
  writes its difference per service with it, and a month's statement sums
  them by the month of their entries (it summed the current charge lines
  of the month's periods, which re-rating replaces in place).

Existing periods: each period with a charge entry is rated; it gets the
sum per service of its current charge lines, recorded on its charge
entry (before this revision only the latest lines were kept, and they add
up to what all of the period's entries charged together); what its
adjustments moved, not known per service, is recorded as "unattributed"
(see _backfill).

Revision ID: f1c3a7d5b902
Revises: d2b7f4a8c9e1
Create Date: 2026-12-03 17:00:00

"""

from alembic import op
import sqlalchemy as sa

from uos_billing.core import money
from uos_billing.rating.db.sqlalchemy import types

# revision identifiers, used by Alembic.
revision = 'f1c3a7d5b902'
down_revision = 'd2b7f4a8c9e1'

_ID = sa.BigInteger().with_variant(sa.Integer, 'sqlite')
#: The service of what an adjustment made before this revision moved.
UNATTRIBUTED = 'unattributed'


def _backfill(service_charge):
    """The service charges of the periods posted before this revision.

    Only a period's latest lines were kept, which add up to what all its
    entries charged: they go on its charge entry. Which services an
    adjustment moved is not known: each adjustment gets one row of its
    amount under UNATTRIBUTED, and the charge entry the opposite, so that
    every entry's rows add up to its amount (every month's to its
    charges), as the rows this revision's code writes do.
    """
    bind = op.get_bind()
    ledger = sa.table('billing_ledger', sa.column('id', _ID),
                      sa.column('project_id'), sa.column('kind'),
                      sa.column('amount', types.Money()),
                      sa.column('period_begin', sa.DateTime))
    charge = sa.table('billing_charge', sa.column('project_id'),
                      sa.column('period_begin', sa.DateTime),
                      sa.column('service'),
                      sa.column('amount', types.Money()))
    projects = bind.execute(
        sa.select(charge.c.project_id).distinct()).scalars().all()
    for project_id in projects:
        charge_entries, adjustments = {}, {}
        for entry_id, kind, begin, amount in bind.execute(
                sa.select(ledger.c.id, ledger.c.kind, ledger.c.period_begin,
                          ledger.c.amount)
                .where(ledger.c.project_id == project_id,
                       ledger.c.kind.in_(('charge', 'adjustment')))
                .order_by(ledger.c.id)):
            if kind == 'charge':
                charge_entries[begin] = entry_id
            else:
                # Ledger sign: a negative adjustment charged more.
                adjustments.setdefault(begin, []).append((entry_id, -amount))
        # Summed here, not by SQL: SQLite would sum the amounts as floats.
        sums = {}
        for begin, service, amount in bind.execute(
                sa.select(charge.c.period_begin, charge.c.service,
                          charge.c.amount)
                .where(charge.c.project_id == project_id)):
            if begin in charge_entries:
                key = (charge_entries[begin], begin, service)
                sums[key] = sums.get(key, money.ZERO) + amount
        for begin, adjusted in adjustments.items():
            if begin not in charge_entries:
                continue
            moved = money.ZERO
            for entry_id, amount in adjusted:
                sums[(entry_id, begin, UNATTRIBUTED)] = amount
                moved += amount
            key = (charge_entries[begin], begin, UNATTRIBUTED)
            sums[key] = sums.get(key, money.ZERO) - moved
        rows = [{'entry_id': entry_id, 'project_id': project_id,
                 'period_begin': begin, 'service': service,
                 'amount': amount}
                for (entry_id, begin, service), amount in sorted(
                    sums.items()) if amount]
        if rows:
            bind.execute(service_charge.insert(), rows)


def _rated_periods():
    """The periods rated before this revision: those with a charge entry."""
    ledger = sa.table('billing_ledger', sa.column('project_id'),
                      sa.column('kind'), sa.column('created_at'),
                      sa.column('period_begin', sa.DateTime),
                      sa.column('period_end', sa.DateTime))
    rated = op.create_table(
        'billing_rated_period',
        sa.Column('project_id', sa.String(64), nullable=False),
        sa.Column('period_begin', sa.DateTime, nullable=False),
        sa.Column('period_end', sa.DateTime, nullable=False),
        sa.Column('rated_at', sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint('project_id', 'period_begin',
                                name='pk_billing_rated_period'),
        mysql_charset='utf8mb4', mysql_engine='InnoDB')
    # One charge entry per period (its key is unique).
    op.execute(rated.insert().from_select(
        ['project_id', 'period_begin', 'period_end', 'rated_at'],
        sa.select(ledger.c.project_id, ledger.c.period_begin,
                  ledger.c.period_end, ledger.c.created_at)
        .where(ledger.c.kind == 'charge',
               ledger.c.period_begin.isnot(None))))


def upgrade():
    _rated_periods()
    service_charge = op.create_table(
        'billing_service_charge',
        sa.Column('id', _ID, primary_key=True, autoincrement=True),
        sa.Column('entry_id', _ID, nullable=False),
        sa.Column('project_id', sa.String(64), nullable=False),
        sa.Column('period_begin', sa.DateTime, nullable=False),
        sa.Column('service', sa.String(64), nullable=False),
        sa.Column('amount', types.Money(), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_billing_service_charge'),
        mysql_charset='utf8mb4', mysql_engine='InnoDB')
    op.create_index('ix_billing_service_charge_project_period',
                    'billing_service_charge', ['project_id', 'period_begin'])
    op.create_index('ix_billing_service_charge_entry',
                    'billing_service_charge', ['entry_id'])
    _backfill(service_charge)
