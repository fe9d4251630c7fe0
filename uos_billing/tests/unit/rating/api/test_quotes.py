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
"""POST /quotes prices through the code that rates and buys.

A month of a flavor, rated by the billing module period by period, costs
what the quote of the same hours says; a monthly term costs what buying
it charges. Products are created through the API.
"""

import datetime

from uos_billing import rating
from uos_billing.tests import base as test_base
from uos_billing.tests import samples
from uos_billing.tests.unit.rating.api import base

D = samples.D
DAY = 86400


class TestQuotes(base.APITestCase):

    def setUp(self):
        super().setUp()
        self.conf.set_override('period', DAY, 'collect')
        common = {'service': 'instance', 'unit': 'hour',
                  'effective_from': '2026-01-01T00:00:00Z'}
        self.small = self.ok('POST', '/products', dict(
            common, name='m1.small', match={'flavor_name': 'm1.small'},
            on_demand_price='0.0237', monthly_price='14.99'), status=201)
        self.ok('POST', '/products', dict(
            common, name='m1.small stopped', on_demand_price='0.0041',
            match={'flavor_name': 'm1.small', 'state': 'shutoff'}),
            status=201)

    def rate_november(self, vms):
        """Rate November day by day; vms maps each VM to its state."""
        for day in range(1, 31):
            start = test_base.utc(2026, 11, day)
            module = rating.BillingRating(tenant_id='acme')
            module.reload_config(start)
            module.process(samples.frame(
                start, start + datetime.timedelta(seconds=DAY),
                [samples.point(vm, 'm1.small', qty=D(24), state=state)
                 for vm, state in sorted(vms.items())]))

    def billed(self, vm):
        return sum((c['amount'] for c in self.db.list_charges('acme')
                    if c['resource_id'] == vm), D(0))

    def quote(self, *items):
        return self.ok('POST', '/quotes', {'items': list(items)})

    def test_a_month_on_demand_costs_what_rating_bills(self):
        self.rate_november({'vm-run': 'running', 'vm-off': 'shutoff'})
        answer = self.quote(
            {'service': 'instance', 'qty': '720',
             'fields': {'flavor_name': 'm1.small', 'state': 'running'}},
            {'service': 'instance', 'qty': '720',
             'fields': {'flavor_name': 'm1.small', 'state': 'shutoff'}})
        running, stopped = answer['lines']
        # 720 h x 0.0237 and 720 h x 0.0041, billed as 30 daily charges.
        self.assertEqual((D('17.064'), D('17.064')),
                         (D(running['amount']), self.billed('vm-run')))
        self.assertEqual((D('2.952'), D('2.952')),
                         (D(stopped['amount']), self.billed('vm-off')))
        self.assertEqual(('20.0160000000', 'EUR'),
                         (answer['total'], answer['currency']))
        self.assertEqual(self.small['id'], running['product_id'])

    def test_a_monthly_term_costs_what_buying_it_charges(self):
        answer = self.quote({'service': 'instance', 'qty': '1',
                             'fields': {'flavor_name': 'm1.small'},
                             'mode': 'monthly', 'count': 3})
        self.assertEqual(('44.9700000000', '14.9900000000'),
                         (answer['total'], answer['lines'][0]['unit_price']))
        self.ok('POST', '/accounts/acme/recharge', {'amount': '100'},
                status=201)
        self.ok('POST', '/orders', {
            'project_id': 'acme', 'resource_id': 'vm-1',
            'service': 'instance', 'product_id': self.small['id'],
            'mode': 'monthly', 'count': 3}, status=201)
        self.assertEqual('55.0300000000', self.ok(
            'GET', '/accounts/acme')['balance'])

    def test_a_quote_writes_nothing(self):
        before = self.ok('GET', '/accounts')
        self.quote({'service': 'instance', 'qty': '5',
                    'fields': {'flavor_name': 'm1.small'}})
        self.assertEqual(before, self.ok('GET', '/accounts'))
        self.assertEqual([], self.db.list_ledger('acme'))

    def test_usage_no_product_prices_is_not_free(self):
        # It answered a line with amount 0 and product_id null, and a total
        # of 0, which reads as free.
        answer = self.quote(
            {'service': 'instance', 'qty': '720',
             'fields': {'flavor_name': 'm1.small'}},
            {'service': 'network', 'qty': '10'})
        priced, unpriced = answer['lines']
        self.assertEqual((False, '17.0640000000'),
                         (priced['unpriced'], priced['amount']))
        self.assertNotIn('message', priced)
        self.assertEqual({
            'service': 'network', 'qty': '10', 'mode': 'on_demand',
            'count': 1, 'product_id': None, 'unit_price': None,
            'amount': None, 'unpriced': True,
            'message': 'no product prices network with these fields in '
                       'region *: this usage has no price'},
            unpriced)
        self.assertEqual(
            (False, None, '1 of 2 items matched no product and have no '
                          'price: the quote has no total'),
            (answer['complete'], answer['total'], answer['message']))

    def test_a_priced_quote_is_complete(self):
        answer = self.quote({'service': 'instance', 'qty': '1',
                             'fields': {'flavor_name': 'm1.small'}})
        self.assertEqual((True, '0.0237000000'),
                         (answer['complete'], answer['total']))
        self.assertNotIn('message', answer)

    def test_bad_items_name_the_field(self):
        cases = [
            ({'items': []}, 'items'),
            ({'items': [{'service': 'instance', 'qty': '-1'}]},
             'items[0].qty'),
            ({'items': [{'service': 'instance', 'qty': '1',
                         'mode': 'weekly'}]}, 'items[0].mode'),
            ({'items': [{'service': 'instance', 'qty': '1',
                         'mode': 'monthly', 'count': 0,
                         'fields': {'flavor_name': 'm1.small'}}]},
             'items[0].count'),
            ({'items': [{'service': 'volume', 'qty': '1',
                         'mode': 'monthly'}]}, 'items[0].fields'),
        ]
        for body, field in cases:
            answer = self.call('POST', '/quotes', body)
            self.assertEqual((400, field),
                             (answer.status, answer.json['error']['field']),
                             body)
