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
"""JSON shapes of the billing API: money as strings, ISO 8601 instants."""

import datetime
import decimal
import json

from uos_billing.core import money

PRODUCT = ('id', 'name', 'service', 'region', 'match', 'unit',
           'on_demand_price', 'monthly_price', 'yearly_price', 'currency',
           'effective_from', 'effective_to', 'description', 'created_at',
           'created_by', 'updated_at')
ACCOUNT = ('project_id', 'currency', 'balance', 'credit_limit',
           'low_balance_threshold', 'status', 'owed_since', 'created_at',
           'updated_at')
TRANSACTION = ('id', 'project_id', 'kind', 'amount', 'balance_after',
               'order_id', 'period_begin', 'period_end', 'idempotency_key',
               'created_at', 'created_by', 'note')
ORDER = ('id', 'project_id', 'resource_id', 'service', 'product_id', 'mode',
         'status', 'unit_price', 'term_start', 'term_end', 'count',
         'auto_renew', 'renewals', 'anchor_day', 'created_at', 'closed_at')
RENEWAL = ('order_id', 'project_id', 'resource_id', 'service', 'product_id',
           'mode', 'count', 'unit_price', 'price', 'currency', 'term_start',
           'term_end', 'balance', 'credit_limit', 'held', 'available',
           'missing', 'account_status')


def value(item):
    """One value as JSON carries it."""
    if isinstance(item, decimal.Decimal):
        return money.to_str(item)
    if isinstance(item, datetime.datetime):
        return item.isoformat()
    if isinstance(item, dict):
        return {k: value(v) for k, v in item.items()}
    if isinstance(item, (list, tuple)):
        return [value(v) for v in item]
    return item


MONEY = frozenset(('on_demand_price', 'monthly_price', 'yearly_price',
                   'balance', 'credit_limit', 'low_balance_threshold',
                   'amount', 'balance_after', 'unit_price', 'price',
                   'held', 'available', 'missing'))


def _stored(name, item):
    # Stored money is shown at its stored precision, whether the row was
    # read back or is the one just written with the amount as typed.
    if name in MONEY and isinstance(item, decimal.Decimal):
        return money.stored(item)
    return item


def shaped(row, columns, **extra):
    out = {name: value(_stored(name, row.get(name))) for name in columns}
    out.update({k: value(v) for k, v in extra.items()})
    return out


def product(row):
    match = row.get('match')
    if isinstance(match, str):
        match = json.loads(match)
    return shaped(dict(row, match=match), PRODUCT)


def account(row, **extra):
    return shaped(row, ACCOUNT, **extra)


def transaction(row):
    # The entry's uuid is its id: the integer id (the order of the
    # entries) would tell members how many entries the cloud makes.
    return shaped(dict(row, id=row['uuid']), TRANSACTION)


def order(row, **extra):
    return shaped(row, ORDER, **extra)


def renewal(quote):
    """GET /orders/{id}/renewal: the next term and what renewing costs."""
    return shaped(quote, RENEWAL)
