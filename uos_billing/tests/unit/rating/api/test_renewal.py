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
"""GET /orders/{id}/renewal against POST /orders/{id}/renew (issue 7).

The quote is what the renewal then charges, after a price change too; it
writes nothing; it is refused as the renewal is.
"""

import datetime

from oslo_utils import timeutils

from uos_billing.tests.unit.rating.api import base
from uos_billing.tests.unit.rating.api import test_openapi

NOW = datetime.datetime(2026, 11, 1, 12, tzinfo=datetime.timezone.utc)


class TestRenewalQuote(base.APITestCase):

    def setUp(self):
        super().setUp()
        timeutils.set_time_override(NOW)
        self.addCleanup(timeutils.clear_time_override)
        self.product = self.ok('POST', '/products', {
            'name': 'small', 'service': 'instance',
            'match': {'flavor_name': 'm1.small'}, 'on_demand_price': '0.02',
            'monthly_price': '10.00', 'yearly_price': '100.00',
            'effective_from': '2026-01-01T00:00:00Z'}, status=201)
        self.ok('POST', '/accounts/p1/recharge', {'amount': '100.00'},
                status=201)
        self.order = self.ok('POST', '/orders', {
            'project_id': 'p1', 'resource_id': 'vm-1', 'service': 'instance',
            'product_id': self.product['id'], 'mode': 'monthly',
            'count': 2}, status=201)
        self.path = '/orders/%s/renewal' % self.order['id']

    def renew(self):
        """POST .../renew of the term the order was bought with."""
        return self.call('POST', '/orders/%s/renew' % self.order['id'],
                         {'term_end': self.order['term_end']})

    def renewed(self):
        answer = self.renew()
        self.assertEqual(200, answer.status, answer.text)
        return answer.json

    def test_quote_then_renew_at_the_quoted_price(self):
        quote = self.ok('GET', self.path)
        self.assertEqual({
            'order_id': self.order['id'], 'project_id': 'p1',
            'resource_id': 'vm-1', 'service': 'instance',
            'product_id': self.product['id'], 'mode': 'monthly', 'count': 2,
            'unit_price': '10.0000000000', 'price': '20.0000000000',
            'currency': 'EUR',
            'term_start': '2027-01-01T12:00:00+00:00',
            'term_end': '2027-03-01T12:00:00+00:00',
            'balance': '80.0000000000', 'credit_limit': '0.0000000000',
            'held': '0.0000000000', 'available': '80.0000000000',
            'missing': '0.0000000000', 'account_status': 'active'}, quote)
        renewed = self.renewed()
        self.assertEqual(quote['term_end'], renewed['term_end'])
        payment = self.ok('GET', '/accounts/p1/transactions'
                          '?kind=order_payment')['transactions'][-1]
        self.assertEqual(('-20.0000000000', quote['term_start'],
                          quote['term_end']),
                         (payment['amount'], payment['period_begin'],
                          payment['period_end']))

    def test_after_a_price_change_the_quote_is_the_charge(self):
        # New prices from Dec 15, before the term ends on Jan 1.
        successor = self.ok('PUT', '/products/%s' % self.product['id'], {
            'monthly_price': '12.34',
            'effective_from': '2026-12-15T00:00:00Z'})
        self.assertNotEqual(self.product['id'], successor['id'])
        quote = self.ok('GET', self.path)
        self.assertEqual((successor['id'], '12.3400000000', '24.6800000000'),
                         (quote['product_id'], quote['unit_price'],
                          quote['price']))
        # The order still shows the price it was bought at.
        order = self.ok('GET', '/orders/%s' % self.order['id'])
        self.assertEqual('10.0000000000', order['unit_price'])

        renewed = self.renewed()
        self.assertEqual((successor['id'], '12.3400000000',
                          quote['term_end']),
                         (renewed['product_id'], renewed['unit_price'],
                          renewed['term_end']))
        payment = self.ok('GET', '/accounts/p1/transactions'
                          '?kind=order_payment')['transactions'][-1]
        self.assertEqual('-24.6800000000', payment['amount'])
        self.assertEqual('55.3200000000',
                         self.ok('GET', '/accounts/p1')['balance'])

    def test_the_quote_writes_nothing(self):
        before = test_openapi.snapshot()
        self.ok('GET', self.path)
        self.assertEqual(before, test_openapi.snapshot())

    def test_missing_funds_are_the_402_of_the_renewal(self):
        self.ok('POST', '/orders', {
            'project_id': 'p1', 'resource_id': 'vm-2', 'service': 'instance',
            'product_id': self.product['id'], 'mode': 'monthly',
            'count': 7}, status=201)
        quote = self.ok('GET', self.path)
        self.assertEqual(('10.0000000000', '20.0000000000',
                          '10.0000000000'),
                         (quote['available'], quote['price'],
                          quote['missing']))
        refused = self.renew()
        self.assertEqual(402, refused.status)
        self.assertEqual('10.0000000000', refused.json['error']['missing'])

    def test_refusals_are_those_of_the_renewal(self):
        unknown = self.call('GET', '/orders/nope/renewal')
        self.assertEqual((404, 'order nope not found'),
                         (unknown.status, unknown.json['error']['message']))
        self.ok('POST', '/orders/%s/cancel' % self.order['id'])
        quoted = self.call('GET', self.path)
        renewed = self.renew()
        self.assertEqual((409, 409), (quoted.status, renewed.status))
        self.assertEqual('order %s is already cancelled' % self.order['id'],
                         quoted.json['error']['message'])
        self.assertEqual(renewed.json, quoted.json)

    def test_no_product_in_effect_is_a_409(self):
        self.ok('PUT', '/products/%s' % self.product['id'],
                {'effective_to': '2026-11-15T00:00:00Z'})
        # Nothing in effect when the term ends, nor any more today.
        timeutils.set_time_override(NOW + datetime.timedelta(days=20))
        quoted = self.call('GET', self.path)
        renewed = self.renew()
        self.assertEqual((409, 'no product is in effect for the renewal of '
                          'order %s' % self.order['id']),
                         (quoted.status, quoted.json['error']['message']))
        self.assertEqual(renewed.json, quoted.json)
