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
"""Billing objects as uos_billing.horizon.api returns them (Decimal money)."""

import decimal

from uos_billing.horizon import api

D = decimal.Decimal


def account(project_id, **fields):
    values = {
        'project_id': project_id, 'currency': 'EUR',
        'balance': D('120.5000000000'), 'credit_limit': D('50.0000000000'),
        'low_balance_threshold': None, 'status': 'active',
        'owed_since': None, 'created_at': '2026-10-01T00:00:00+00:00',
        'updated_at': None, 'burn_rate': D('3.2500000000'),
        'days_until_owed': D('52.4'),
    }
    values.update(fields)
    return api.BillingObject(values)


def transaction(id, project_id, kind='charge', amount='-1.2500000000',
                balance_after='100.0000000000', **fields):
    values = {
        'id': id, 'project_id': project_id, 'kind': kind,
        'amount': D(amount), 'balance_after': D(balance_after),
        'order_id': None, 'period_begin': '2026-11-20T10:00:00+00:00',
        'period_end': '2026-11-20T11:00:00+00:00',
        'idempotency_key': 'k%s' % id,
        'created_at': '2026-11-20T11:05:00+00:00', 'created_by': None,
        'note': None,
    }
    values.update(fields)
    return api.BillingObject(values)


def statement(project_id, month='2026-11'):
    return api.BillingObject({
        'project_id': project_id, 'month': month, 'currency': 'EUR',
        'opening_balance': D('10.00'), 'recharges': D('100.00'),
        'charges': {'instance': D('7.25'), 'volume': D('1.50')},
        'charges_total': D('8.75'), 'order_payments': D('20.00'),
        'refunds': D('5.00'), 'adjustments': D('0.00'),
        'closing_balance': D('86.25'),
    })


def order(id, project_id, resource_id, **fields):
    values = {
        'id': id, 'project_id': project_id, 'resource_id': resource_id,
        'service': 'instance', 'product_id': 'prod-1', 'mode': 'monthly',
        'status': 'active', 'unit_price': D('30.0000000000'),
        'term_start': '2026-11-01T00:00:00+00:00',
        'term_end': '2026-12-01T00:00:00+00:00', 'count': 1,
        'auto_renew': False, 'renewals': 0, 'anchor_day': 1,
        'created_at': '2026-11-01T00:00:00+00:00', 'closed_at': None,
    }
    values.update(fields)
    return api.BillingObject(values)


def product(id, **fields):
    values = {
        'id': id, 'name': 'm1.small running', 'service': 'instance',
        'region': '*', 'match': {'flavor_name': 'm1.small'}, 'unit': 'hour',
        'on_demand_price': D('0.0500000000'),
        'monthly_price': D('30.0000000000'),
        'yearly_price': D('300.0000000000'), 'currency': 'EUR',
        'effective_from': '2026-01-01T00:00:00+00:00', 'effective_to': None,
        'description': None, 'created_at': '2026-01-01T00:00:00+00:00',
        'created_by': 'admin', 'updated_at': None,
    }
    values.update(fields)
    return api.BillingObject(values)


def quote(total='30.0000000000', product_id='prod-1', mode='monthly',
          count=1):
    return api.BillingObject({
        'total': D(total), 'currency': 'EUR',
        'lines': [api.BillingObject({
            'service': 'instance', 'qty': D('1'), 'mode': mode,
            'count': count, 'product_id': product_id,
            'unit_price': D(total) / count, 'amount': D(total)})],
    })


def renewal(order_id, project_id, price='30.0000000000',
            unit_price='30.0000000000', count=1, **fields):
    """An order's renewal quote (GET /orders/{id}/renewal)."""
    values = {
        'order_id': order_id, 'project_id': project_id,
        'resource_id': 'vm-1', 'service': 'instance', 'product_id': 'prod-1',
        'mode': 'monthly', 'count': count, 'unit_price': D(unit_price),
        'price': D(price), 'currency': 'EUR',
        'term_start': '2026-12-01T00:00:00+00:00',
        'term_end': '2027-01-01T00:00:00+00:00',
        'balance': D('120.5000000000'), 'credit_limit': D('50.0000000000'),
        'held': D('0E-10'), 'available': D('170.5000000000'),
        'missing': D('0E-10'), 'account_status': 'active',
    }
    values.update({k: D(v) if k in ('held', 'available', 'missing',
                                    'balance', 'credit_limit') else v
                   for k, v in fields.items()})
    return api.BillingObject(values)
