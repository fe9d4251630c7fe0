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
"""The api module: token, endpoint, Decimal money, pages, refusals."""

import decimal
import json
from unittest import mock

from horizon import exceptions as horizon_exceptions
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import session as ks_session
from openstack_dashboard.api import nova
import requests

from uos_billing.horizon import api
from uos_billing.horizon import api_errors
from uos_billing.horizon.test import base

BASE = 'http://rating.example.com:8889/v1/rating/module_config/billing'
D = decimal.Decimal


def response(status, body=None, reason=''):
    answer = requests.Response()
    answer.status_code = status
    answer.reason = reason
    answer._content = b'' if body is None else json.dumps(body).encode()
    return answer


class ApiTests(base.TestCase):

    def setUp(self):
        super().setUp()
        self.req = self.factory.get('/')
        patcher = mock.patch.object(ks_session.Session, 'request')
        self.http = patcher.start()
        self.addCleanup(patcher.stop)

    def _sent(self, index=-1):
        args, kwargs = self.http.call_args_list[index]
        return args[0], args[1], kwargs

    def test_account_with_the_user_token_and_catalog_endpoint(self):
        self.http.return_value = response(200, {
            'project_id': 'p1', 'currency': 'EUR',
            'balance': '12.3400000000', 'credit_limit': '0E-10',
            'low_balance_threshold': None, 'burn_rate': '1.5',
            'days_until_owed': '8.2', 'status': 'active'})

        account = api.account_get(self.req, 'p1')

        url, method, kwargs = self._sent()
        self.assertEqual((BASE + '/accounts/p1', 'GET'), (url, method))
        self.assertFalse(kwargs['raise_exc'])
        self.assertEqual(D('12.3400000000'), account.balance)
        self.assertIsInstance(account.balance, decimal.Decimal)
        self.assertEqual(D('0'), account.credit_limit)
        self.assertEqual(D('8.2'), account.days_until_owed)
        self.assertIsNone(account.low_balance_threshold)
        auth = api._connection(self.req).session.auth
        self.assertEqual(self.req.user.token.id, auth.token)
        self.assertEqual('http://rating.example.com:8889', auth.endpoint)

    def test_ids_are_quoted_into_one_path_segment(self):
        self.http.return_value = response(200, {'id': 'a/b?c'})
        api.order_cancel(self.req, 'a/b?c')
        self.assertEqual(BASE + '/orders/a%2Fb%3Fc/cancel', self._sent()[0])

    def test_renewal_quote_money_is_decimal(self):
        self.http.return_value = response(200, {
            'order_id': 'a/b', 'product_id': 'p2', 'mode': 'monthly',
            'count': 3, 'unit_price': '12.3400000000',
            'price': '37.0200000000', 'currency': 'EUR',
            'term_start': '2026-12-01T00:00:00+00:00',
            'term_end': '2027-03-01T00:00:00+00:00',
            'balance': '40.0000000000', 'credit_limit': '5.0000000000',
            'held': '10.0000000000', 'available': '35.0000000000',
            'missing': '2.0200000000', 'account_status': 'active'})

        quote = api.order_renewal(self.req, 'a/b')

        url, method, _kwargs = self._sent()
        self.assertEqual((BASE + '/orders/a%2Fb/renewal', 'GET'),
                         (url, method))
        for name, value in (('unit_price', '12.34'), ('price', '37.02'),
                            ('balance', '40'), ('credit_limit', '5'),
                            ('held', '10'), ('available', '35'),
                            ('missing', '2.02')):
            self.assertIsInstance(quote[name], decimal.Decimal, name)
            self.assertEqual(D(value), quote[name], name)
        self.assertEqual((3, '2027-03-01T00:00:00+00:00'),
                         (quote.count, quote.term_end))

    def test_numbers_in_json_become_decimal_not_float(self):
        self.http.return_value = response(200, {
            'total': 0.1, 'currency': 'EUR', 'lines': [
                {'amount': 0.1, 'unit_price': 0.1, 'qty': 1, 'count': 1,
                 'mode': 'monthly', 'service': 'instance',
                 'product_id': 'p'}]})

        quote = api.quote(self.req, [{'service': 'instance'}])

        self.assertEqual(D('0.1'), quote.total)
        self.assertEqual(D('0.1'), quote.lines[0].amount)
        self.assertEqual(1, quote.lines[0].count)

    def test_body_amounts_are_exact_strings(self):
        self.http.return_value = response(201, {
            'id': 1, 'kind': 'recharge', 'amount': '0.1000000000',
            'balance_after': '0.1000000000'})

        api.account_recharge(self.req, 'p1', D('0.10'), note='n',
                             idempotency_key='k')

        url, method, kwargs = self._sent()
        self.assertEqual((BASE + '/accounts/p1/recharge', 'POST'),
                         (url, method))
        self.assertEqual({'amount': '0.10', 'note': 'n',
                          'idempotency_key': 'k'}, kwargs['json'])

    def test_page_drops_empty_filters_and_reads_the_next_link(self):
        self.http.return_value = response(200, {
            'transactions': [{'id': 3, 'amount': '-1', 'balance_after': '2'}],
            'links': [{'rel': 'next', 'href': '...?marker=3'}]})

        entries, more = api.transaction_list(self.req, 'p1',
                                             kind='charge', limit=1)

        self.assertTrue(more)
        self.assertEqual(D('-1'), entries[0].amount)
        _url, _method, kwargs = self._sent()
        self.assertEqual({'kind': 'charge', 'limit': 1}, kwargs['params'])

    def test_all_follows_the_pages(self):
        self.http.side_effect = [
            response(200, {'accounts': [{'project_id': 'a'}],
                           'links': [{'rel': 'next', 'href': 'x'}]}),
            response(200, {'accounts': [{'project_id': 'b'}], 'links': []})]

        accounts = api.account_list_all(self.req)

        self.assertEqual(['a', 'b'], [a.project_id for a in accounts])
        self.assertEqual({'limit': api.MAX_PAGE},
                         self._sent(0)[2]['params'])
        self.assertEqual({'limit': api.MAX_PAGE, 'marker': 'a'},
                         self._sent(1)[2]['params'])

    def test_every_call_has_its_method_and_path(self):
        self.http.return_value = response(200, {'id': 'x'})
        calls = [
            (lambda: api.account_update(self.req, 'p', frozen=True),
             'PUT', '/accounts/p'),
            (lambda: api.statement_get(self.req, 'p', '2026-11'),
             'GET', '/accounts/p/statement'),
            (lambda: api.product_get(self.req, 'x'), 'GET',
             '/products/x'),
            (lambda: api.product_create(self.req, name='n'), 'POST',
             '/products'),
            (lambda: api.product_update(self.req, 'x', name='n'), 'PUT',
             '/products/x'),
            (lambda: api.product_delete(self.req, 'x'), 'DELETE',
             '/products/x'),
            (lambda: api.order_get(self.req, 'x'), 'GET', '/orders/x'),
            (lambda: api.order_create(self.req, 'vm', 'p', 'monthly', 1),
             'POST', '/orders'),
            (lambda: api.order_set_auto_renew(self.req, 'x', True), 'PUT',
             '/orders/x'),
            (lambda: api.order_cancel(self.req, 'x'), 'POST',
             '/orders/x/cancel'),
            (lambda: api.order_renew(self.req, 'x',
                                     '2026-12-01T00:00:00+00:00'), 'POST',
             '/orders/x/renew'),
            (lambda: api.order_renewal(self.req, 'x'), 'GET',
             '/orders/x/renewal'),
        ]
        for call, method, path in calls:
            call()
            url, sent_method, _kwargs = self._sent()
            self.assertEqual((BASE + path, method), (url, sent_method))
        self.assertEqual({'resource_id': 'vm', 'service': 'instance',
                          'product_id': 'p', 'mode': 'monthly', 'count': 1,
                          'auto_renew': False},
                         self.http.call_args_list[7][1]['json'])
        self.http.return_value = response(200, {'products': [], 'links': []})
        self.assertEqual(([], False), api.product_list(self.req))
        self.http.return_value = response(200, {'orders': [], 'links': []})
        self.assertEqual(([], False), api.order_list(self.req))
        self.http.return_value = response(204)
        self.assertIsNone(api.call(self.req, 'DELETE', '/products/x'))

    def test_order_writes_send_the_form_key_and_the_term_end(self):
        self.http.return_value = response(200, {'id': 'x'})
        api.order_create(self.req, 'vm', 'p', 'monthly', 1,
                         idempotency_key='horizon-k1')
        api.order_cancel(self.req, 'x', idempotency_key='horizon-k2')
        api.order_renew(self.req, 'x', '2026-12-01T00:00:00+00:00',
                        idempotency_key='horizon-k3')
        api.order_cancel(self.req, 'x')
        self.assertEqual([
            {'resource_id': 'vm', 'service': 'instance', 'product_id': 'p',
             'mode': 'monthly', 'count': 1, 'auto_renew': False,
             'idempotency_key': 'horizon-k1'},
            {'idempotency_key': 'horizon-k2'},
            {'term_end': '2026-12-01T00:00:00+00:00',
             'idempotency_key': 'horizon-k3'},
            {}], [c[1]['json'] for c in self.http.call_args_list])

    def test_payment_required_says_what_is_missing(self):
        self.http.return_value = response(402, {'error': {
            'code': 402, 'title': 'Payment Required',
            'message': 'insufficient funds', 'missing': '9.5000000000',
            'currency': 'EUR'}}, reason='Payment Required')

        with self.assertRaises(api_errors.BillingAPIError) as caught:
            api.order_renew(self.req, 'o1', '2026-12-01T00:00:00+00:00')

        error = caught.exception
        self.assertEqual((402, D('9.5000000000'), 'EUR'),
                         (error.status, error.missing, error.currency))
        self.assertEqual('The term was not bought. The account is 9.50 EUR '
                         'short: recharge it, or ask an administrator for a '
                         'higher credit limit.',
                         api_errors.describe(error, 'The term was not '
                                             'bought.'))

    def test_other_refusals(self):
        for status, body, field, message in (
                (400, {'error': {'message': 'bad  kind', 'field': 'kind'}},
                 'kind', 'bad kind'),
                (409, {'faultstring': 'module disabled'}, None,
                 'module disabled'),
                (500, 'not json', None, 'Internal Server Error')):
            self.http.return_value = response(status, body,
                                              reason='Internal Server Error')
            with self.assertRaises(api_errors.BillingAPIError) as caught:
                api.product_list(self.req)
            self.assertEqual((status, field, message),
                             (caught.exception.status, caught.exception.field,
                              caught.exception.message))

    def test_expired_token_signs_out(self):
        self.http.return_value = response(401, {'error': {}})
        with self.assertRaises(horizon_exceptions.NotAuthenticated):
            api.product_list(self.req)

    def test_unreachable_service(self):
        self.http.side_effect = ks_exc.ConnectFailure('refused')
        with self.assertRaises(api_errors.BillingAPIError) as caught:
            api.product_list(self.req)
        self.assertIsNone(caught.exception.status)
        self.assertEqual('The billing service could not be reached.',
                         api_errors.reason(caught.exception))

    def test_answer_that_is_not_json(self):
        answer = response(200)
        answer._content = b'<html>'
        self.http.return_value = answer
        with self.assertRaises(api_errors.BillingAPIError):
            api.product_list(self.req)


class CatalogTests(base.TestCase):

    def _setup_test_data(self):
        super()._setup_test_data()
        self.service_catalog[:] = [s for s in self.service_catalog
                                   if s['type'] != 'rating']

    def test_no_rating_service(self):
        self.req = self.factory.get('/')
        with self.assertRaises(api_errors.BillingAPIError) as caught:
            api.product_list(self.req)
        self.assertIn('not in the service catalog', str(caught.exception))


class InstancesTests(base.TestCase):

    @mock.patch.object(nova, 'flavor_list')
    @mock.patch.object(nova, 'server_list')
    def test_instances_with_flavor_names(self, server_list, flavor_list):
        self.req = self.factory.get('/')
        new = mock.Mock(id='vm-1', status='ACTIVE',
                        flavor={'original_name': 'm1.small'})
        new.name = 'web'
        old = mock.Mock(id='vm-2', status='SHUTOFF', flavor={'id': 'f2'})
        old.name = ''
        server_list.return_value = ([new, old], False)
        flavor_list.return_value = [mock.Mock(id='f2')]
        flavor_list.return_value[0].name = 'm1.large'

        instances = api.project_instances(self.req)

        self.assertEqual(
            [('vm-1', 'web', None, 'm1.small'),
             ('vm-2', 'vm-2', 'f2', 'm1.large')],
            [(i.id, i.name, i.flavor_id, i.flavor_name) for i in instances])
        flavor_list.assert_called_once_with(self.req)
