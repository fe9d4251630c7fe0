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
"""The billing client: URLs, paging over next links, API errors."""

from osc_lib import exceptions

from uos_billing.cli import client
from uos_billing.cli import product
from uos_billing.tests.unit.cli import fakes

BASE = fakes.BASE
response = fakes.response


def page(items, href=None):
    links = [{'rel': 'next', 'href': href}] if href else []
    return response(200, {'orders': items, 'links': links})


class TestClient(fakes.CommandTestCase):

    def setUp(self):
        super().setUp()
        self.client = client.BillingClient(self.http)

    def test_url_drops_unset_parameters_and_encodes(self):
        self.assertEqual(
            BASE + '/orders?status=active&resource_id=vm+1%26x',
            client.BillingClient.url('/orders', {
                'project_id': None, 'status': 'active',
                'resource_id': 'vm 1&x'}))

    def test_get_client_uses_the_rating_adapter(self):
        command = self.command(product.ListProduct)
        self.assertIs(self.http, client.get_client(command).http)

    def test_list_follows_next_links_to_the_end(self):
        self.http.queue(
            page([{'id': 'o1'}, {'id': 'o2'}],
                 'http://ck:8889' + BASE + '/orders?limit=2&marker=o2'
                 '&status=active'),
            page([{'id': 'o3'}, {'id': 'o4'}],
                 BASE + '/orders?limit=2&marker=o4&status=active'),
            page([]))
        items = self.client.list('/orders', 'orders', {'status': 'active'})
        self.assertEqual(['o1', 'o2', 'o3', 'o4'], [i['id'] for i in items])
        # The path stays the client's; the next link gives the query.
        self.assertEqual([
            ('GET', BASE + '/orders?status=active', None),
            ('GET', BASE + '/orders?status=active&limit=2&marker=o2', None),
            ('GET', BASE + '/orders?status=active&limit=2&marker=o4', None),
        ], self.http.calls)

    def test_list_stops_at_a_page_without_next_link(self):
        self.http.queue(page([{'id': 'o1'}]))
        self.assertEqual([{'id': 'o1'}], self.client.list('/orders', 'orders'))
        self.assertEqual(1, len(self.http.calls))

    def test_list_with_limit_and_marker(self):
        self.http.queue(
            page([{'id': 'o3'}, {'id': 'o4'}],
                 BASE + '/orders?limit=2&marker=o4'),
            page([{'id': 'o5'}], BASE + '/orders?limit=1&marker=o5'))
        items = self.client.list('/orders', 'orders', limit=3, marker='o2')
        self.assertEqual(['o3', 'o4', 'o5'], [i['id'] for i in items])
        self.assertEqual([
            ('GET', BASE + '/orders?marker=o2&limit=3', None),
            ('GET', BASE + '/orders?marker=o4&limit=1', None),
        ], self.http.calls)

    def test_list_limit_larger_than_a_page(self):
        self.http.queue(page([{'id': 'o%d' % i} for i in range(1000)],
                             BASE + '/orders?limit=1000&marker=o999'),
                        page([{'id': 'x'}] * 500))
        items = self.client.list('/orders', 'orders', limit=1500)
        self.assertEqual(1500, len(items))
        self.assertEqual(BASE + '/orders?limit=1000', self.http.calls[0][1])
        self.assertEqual(BASE + '/orders?limit=500&marker=o999',
                         self.http.calls[1][1])

    def test_list_refuses_a_next_link_that_loops(self):
        self.http.queue(page([{'id': 'o1'}], BASE + '/orders?marker=o1'),
                        page([{'id': 'o1'}], BASE + '/orders?marker=o1'))
        e = self.assertRaises(exceptions.CommandError,
                              self.client.list, '/orders', 'orders')
        self.assertEqual('the API sent the same next page twice (marker o1)',
                         str(e))

    def test_api_error_is_its_message_and_status(self):
        self.http.queue(fakes.error(400, 'amount: must be greater than zero',
                                    field='amount'))
        e = self.assertRaises(exceptions.CommandError, self.client.post,
                              '/accounts/p/recharge', {'amount': '-1'})
        self.assertEqual('amount: must be greater than zero (HTTP 400)',
                         str(e))

    def test_payment_required(self):
        self.http.queue(fakes.error(
            402, 'insufficient funds: 12.50 EUR missing', missing='12.50',
            currency='EUR'))
        e = self.assertRaises(exceptions.CommandError, self.client.post,
                              '/orders', {})
        self.assertEqual('insufficient funds: 12.50 EUR missing (HTTP 402)',
                         str(e))

    def test_wsme_fault_and_html_errors(self):
        self.http.queue(
            response(403, {'faultcode': 'Client',
                           'faultstring': 'Access was denied to this '
                                          'resource.'}),
            response(404, '<html><body>404 Not Found\n</body></html>',
                     content_type='text/html'))
        e = self.assertRaises(exceptions.CommandError, self.client.get, '/x')
        self.assertEqual('Access was denied to this resource. (HTTP 403)',
                         str(e))
        e = self.assertRaises(exceptions.CommandError, self.client.get, '/y')
        self.assertEqual('Not Found (HTTP 404)', str(e))

    def test_multi_line_message_printed_on_one_line(self):
        self.http.queue(fakes.error(409, 'order o1\n  is cancelled'))
        e = self.assertRaises(exceptions.CommandError, self.client.post,
                              '/orders/o1/cancel')
        self.assertEqual('order o1 is cancelled (HTTP 409)', str(e))

    def test_no_content(self):
        self.http.queue(response(204))
        self.assertIsNone(self.client.delete('/products/p1'))
        self.assertEqual([('DELETE', BASE + '/products/p1', None)],
                         self.http.calls)

    def test_answer_that_is_not_json(self):
        self.http.queue(response(200, 'oops', content_type='text/plain'))
        e = self.assertRaises(exceptions.CommandError, self.client.get,
                              '/products')
        self.assertEqual('GET /products answered 200 with a body that is '
                         'not JSON', str(e))
