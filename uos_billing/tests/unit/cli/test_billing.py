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
"""openstack rating billing quote."""

from uos_billing.cli import billing
from uos_billing.tests.unit.cli import fakes

BASE = fakes.BASE
PID = fakes.PRODUCT['id']
response = fakes.response

QUOTE = {
    'lines': [
        {'service': 'instance', 'qty': '720', 'product_id': PID,
         'mode': 'on_demand', 'count': 1, 'unit_price': '0.0200',
         'amount': '14.40'},
        {'service': 'instance', 'qty': '1', 'product_id': PID,
         'mode': 'monthly', 'count': 3, 'unit_price': '10.00',
         'amount': '30.00'},
    ],
    'total': '44.40',
    'currency': 'EUR',
}


class TestQuote(fakes.CommandTestCase):

    def test_quote(self):
        shown = self.output_json(
            billing.Quote,
            ['--item', 'service=instance,qty=720,flavor_name=m1.small',
             '--item', 'service=instance,qty=1,flavor_name=m1.small,'
             'mode=monthly,count=3,region=RegionOne',
             '--currency', 'EUR'],
            response(200, QUOTE))
        self.assertCalls(('POST', BASE + '/quotes', {
            'items': [
                {'service': 'instance', 'qty': '720', 'mode': 'on_demand',
                 'fields': {'flavor_name': 'm1.small'}},
                {'service': 'instance', 'qty': '1', 'mode': 'monthly',
                 'count': 3, 'region': 'RegionOne',
                 'fields': {'flavor_name': 'm1.small'}},
            ],
            'currency': 'EUR'}))
        self.assertEqual({'Lines': QUOTE['lines'], 'Total': '44.40',
                          'Currency': 'EUR'}, shown)

    def test_table_has_one_text_line_per_quote_line(self):
        out = self.output(billing.Quote,
                          ['--item', 'service=instance,qty=720'],
                          response(200, QUOTE))
        self.assertIn('| Lines    | instance qty=720 on_demand x1 product=%s '
                      'unit_price=0.02 amount=14.40' % PID, out)
        self.assertIn('|          | instance qty=1 monthly x3 product=%s '
                      'unit_price=10.00 amount=30.00' % PID, out)
        self.assertIn('| Total    | 44.40 ', out)

    def test_total_alone(self):
        self.assertEqual('44.40\n', self.output(
            billing.Quote,
            ['--item', 'service=instance,qty=720', '-f', 'value',
             '-c', 'Total'], response(200, QUOTE)))

    def test_bad_items(self):
        for item, message in (
                ('qty=3', "service=<service> is missing in 'qty=3'"),
                ('service=instance', 'qty=<quantity> is missing'),
                ('service=instance,qty=lots',
                 "'lots' is not a decimal amount"),
                ('service=instance,qty=1,mode=weekly',
                 "mode must be one of on_demand, monthly, yearly, not "
                 "'weekly'"),
                ('service=instance,qty=1,count=0',
                 'must be 1 or more, not 0'),
                ('service=instance,qty=1,flavor', "expected key=value pairs "
                 "separated by commas, got 'flavor'"),
                ('service=a,service=b,qty=1', 'service is given twice')):
            self.stderr.truncate(0)
            self.assertIn('argument --item: ' + message,
                          self.parse_error(billing.Quote, ['--item', item]))
        self.assertIn('the following arguments are required: --item',
                      self.parse_error(billing.Quote, []))

    def test_an_unpriced_line_says_so(self):
        # The API answered amount 0 for usage no product prices; now the
        # line and the quote say that nothing prices it.
        quote = {
            'lines': [QUOTE['lines'][0], {
                'service': 'network', 'qty': '10', 'product_id': None,
                'mode': 'on_demand', 'count': 1, 'unit_price': None,
                'amount': None, 'unpriced': True,
                'message': 'no product prices network with these fields in '
                           'region *: this usage has no price'}],
            'complete': False, 'total': None, 'currency': 'EUR',
            'message': '1 of 2 items matched no product and have no price: '
                       'the quote has no total'}
        out = self.output(billing.Quote, ['--item', 'service=network,qty=10'],
                          response(200, quote))
        self.assertIn('|          | network qty=10 on_demand x1 UNPRICED: no '
                      'product prices network with these fields in region *: '
                      'this usage has no price', out)
        self.assertIn('| Complete | False', out)
        self.assertIn('| Message  | 1 of 2 items matched no product and '
                      'have no price: the quote has no total', out)
        self.assertNotIn('amount=None', out)
