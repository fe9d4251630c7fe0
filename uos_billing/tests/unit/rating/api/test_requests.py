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
"""Requests refused before a handler runs (rating/api/guard.py).

Through CloudKitty's WSGI application, so that pecan's own routing and
its decoding of JSON bodies are what is tested: routes and methods, the
ids of the path, Content-Type, size and depth of bodies. Every answer is
the API's JSON error body.
"""

import re

import webob

from uos_billing.rating.api import base as api_base
from uos_billing.rating.api import guard
from uos_billing.rating.api import root
from uos_billing.tests.unit.rating.api import base
from uos_billing.tests.unit.rating.api import test_openapi

SQLITE_ONLY = [('sqlite', {'backend': 'sqlite'})]
METHODS = ('GET', 'POST', 'PUT', 'DELETE', 'PATCH')


class RequestTestCase(base.APITestCase):

    scenarios = SQLITE_ONLY

    def send(self, method, path, raw=None, content_type=None, headers=()):
        """A request exactly as given: no Content-Type unless told."""
        request = webob.Request.blank(base.PREFIX + path, method=method)
        if raw is not None:
            request.body = raw
        if content_type is not None:
            request.headers['Content-Type'] = content_type
        elif 'Content-Type' in request.headers:
            del request.headers['Content-Type']
        request.headers.update(dict(headers))
        return base.Answer(request.get_response(self.app))

    def assertError(self, code, answer, message=None, field=None):
        self.assertEqual(code, answer.status, answer.text)
        self.assertEqual('application/json',
                         answer.headers['Content-Type'].split(';')[0])
        self.assertIsNotNone(answer.json, answer.text)
        error = answer.json['error']
        self.assertEqual(code, error['code'])
        self.assertEqual(api_base.TITLES[code], error['title'])
        if message is not None:
            self.assertEqual(message, error['message'])
        if field is not None:
            self.assertEqual(field, error['field'])
        return error


class TestRoutes(RequestTestCase):
    """Wrong routes and methods: JSON 404 and 405, not pecan's pages."""

    def setUp(self):
        super().setUp()
        self.doc = test_openapi.load_description()

    def test_every_route_refuses_the_methods_it_does_not_serve(self):
        checked = 0
        for template, item in self.doc['paths'].items():
            path = re.sub(r'\{[^}]+\}', 'some-id', template)
            described = sorted(m.upper() for m in item
                               if m.upper() in METHODS)
            for method in METHODS:
                if method in described:
                    continue
                answer = self.send(method, path)
                self.assertError(
                    405, answer, 'method %s is not allowed on %s (allowed: '
                                 '%s)' % (method, path, ', '.join(described)))
                self.assertEqual(', '.join(described),
                                 answer.headers['Allow'])
                checked += 1
        self.assertEqual(58, checked)

    def test_unknown_paths_are_a_json_404(self):
        for method, path in (
                ('GET', '/nope'), ('GET', ''), ('POST', '/'),
                ('GET', '/products/some-id/extra'),
                ('DELETE', '/products/a/b/c'),
                ('GET', '/accounts/p1/nope'),
                ('GET', '/accounts/p1/transactions/extra'),
                ('POST', '/orders/some-id/cancel/extra'),
                ('GET', '/products//x'),
                # An action without its object: pecan called the handler
                # without its id (a 500).
                ('GET', '/accounts/statement'),
                ('GET', '/accounts/transactions'),
                ('POST', '/accounts/recharge'),
                ('GET', '/orders/renewal'), ('POST', '/orders/cancel'),
                ('POST', '/holds/confirm')):
            answer = self.send(method, path)
            self.assertError(404, answer, 'no billing API route /%s' % (
                path.strip('/')))

    def test_collection_without_its_id_was_a_500(self):
        # DELETE /products and PUT /orders reached delete() and put()
        # without an id: TypeError, "internal error".
        self.assertError(405, self.send('DELETE', '/products'))
        self.assertError(405, self.send('PUT', '/orders'))

    def test_a_trailing_slash_is_the_same_route(self):
        self.assertEqual(200, self.send('GET', '/products/').status)

    def test_method_override_is_refused(self):
        # Pecan routes POST ?_method=delete to delete().
        self.assertError(400, self.send('POST', '/products?_method=delete'),
                         field='_method')

    def test_any_accept_gets_json(self):
        for accept in ('text/html', 'text/xml', 'text/plain'):
            answer = self.send('GET', '/products',
                               headers={'Accept': accept})
            self.assertEqual((200, 'application/json'), (
                answer.status, answer.headers['Content-Type'].split(';')[0]))
            self.assertError(404, self.send('GET', '/nope',
                                            headers={'Accept': accept}))

    def test_cloudkitty_outside_the_billing_path_is_unchanged(self):
        for method, path in (('GET', '/v1/rating/module_config/nope'),
                             ('DELETE', '/v1/rating/modules'),
                             ('GET', '/v1/rating/module_config/billingx')):
            answer = self.call(method, path)
            self.assertEqual(405, answer.status)
            self.assertIn('405 Method Not Allowed', answer.text)

    def test_the_table_is_the_description(self):
        table = guard.route_table(root.BillingController)
        served = set()
        for name, shapes in table.items():
            served |= {(m, '/%s' % name) for m in shapes['collection']}
            served |= {(m, '/%s/{}' % name) for m in shapes['item']}
            for action, methods in shapes['actions'].items():
                served |= {(m, '/%s/{}/%s' % (name, action))
                           for m in methods}
        self.assertEqual(test_openapi.described_routes(self.doc), served)


class TestPathIds(RequestTestCase):
    """Ids of the path no object can have: 404, or 400 for a project."""

    def test_ids_longer_than_their_column(self):
        for path, kind in (('/orders/%s', 'order'),
                           ('/orders/%s/renewal', 'order'),
                           ('/products/%s', 'product'),
                           ('/holds/%s/release', 'hold')):
            method = 'POST' if path.endswith('release') else 'GET'
            answer = self.send(method, path % ('x' * 300))
            message = self.assertError(404, answer)['message']
            self.assertTrue(message.startswith(kind + ' xxx'), message)
            self.assertTrue(message.endswith('... not found'), message)

    def test_project_id_longer_than_its_column(self):
        # On SQLite the account was created with it; MariaDB refused the
        # row: a 500. What core.identifiers refuses: no account has it
        # (reads), a write says why (400).
        for method, path in (('GET', '/accounts/%s'),
                             ('GET', '/accounts/%s/transactions'),
                             ('GET', '/accounts/%s/statement?month=2026-01')):
            answer = self.send(method, path % ('p' * 65))
            self.assertError(404, answer, 'account %s not found' % ('p' * 65))
        for method, path in (('PUT', '/accounts/%s'),
                             ('POST', '/accounts/%s/recharge')):
            answer = self.send(method, path % ('p' * 65), b'{}',
                               'application/json')
            message = self.assertError(400, answer,
                                       field='project_id')['message']
            self.assertIn('project_id: not a Keystone project id: 1 to 64 '
                          'letters', message)
        self.assertEqual([], self.ok('GET', '/accounts')['accounts'])

    def test_control_characters_in_ids(self):
        # PostgreSQL refuses a NUL in a query parameter: a 500.
        self.assertError(404, self.send('GET', '/orders/%00'),
                         'order \x00 not found')
        self.assertError(404, self.send('GET', '/accounts/a%1Bb'),
                         'account a\x1bb not found')
        self.assertError(400, self.send('POST', '/accounts/a%1Bb/recharge',
                                        b'{"amount": "1"}',
                                        'application/json'),
                         field='project_id')


class TestContentType(RequestTestCase):
    """A body is JSON only with Content-Type: application/json."""

    BODY = b'{"amount": "10.00"}'

    def test_text_plain_or_none_is_refused(self):
        for content_type, sent in (('text/plain', 'text/plain'),
                                   ('application/x-www-form-urlencoded',
                                    'application/x-www-form-urlencoded'),
                                   ('application/json; charset=latin-1',
                                    'application/json; charset=latin-1')):
            answer = self.send('POST', '/accounts/p1/recharge', self.BODY,
                               content_type)
            self.assertError(415, answer, 'a request body must be JSON sent '
                             'with Content-Type: application/json (charset '
                             'utf-8, if any), got %s' % sent)
        answer = self.send('POST', '/accounts/p1/recharge', self.BODY)
        self.assertError(415, answer, 'a request body must be JSON sent with '
                         'Content-Type: application/json; none was given')
        # Nothing was written.
        self.assertEqual([], self.ok('GET', '/accounts')['accounts'])

    def test_every_write_with_a_body_is_checked(self):
        for method, path in (('POST', '/products'), ('PUT', '/products/x'),
                             ('PUT', '/accounts/p1'), ('POST', '/orders'),
                             ('PUT', '/orders/x'), ('POST', '/quotes'),
                             ('POST', '/holds'),
                             ('POST', '/holds/x/confirm')):
            self.assertError(415, self.send(method, path, b'{}',
                                            'text/plain'))

    def test_json_with_a_charset_is_taken(self):
        for content_type in ('application/json; charset=utf-8',
                             'Application/JSON; charset=UTF-8',
                             'application/json;charset="utf-8"'):
            answer = self.send('POST', '/quotes', b'{"items": []}',
                               content_type)
            self.assertError(400, answer, field='items')

    def test_an_action_without_a_body_needs_no_content_type(self):
        product = self.ok('POST', '/products', {
            'name': 'small', 'service': 'instance', 'on_demand_price': '1',
            'monthly_price': '30'}, status=201)
        self.ok('POST', '/accounts/p1/recharge', {'amount': '100'},
                status=201)
        order = self.ok('POST', '/orders', {
            'project_id': 'p1', 'resource_id': 'vm', 'service': 'instance',
            'product_id': product['id'], 'mode': 'monthly', 'count': 1},
            status=201)
        hold = self.ok('POST', '/holds', {
            'project_id': 'p1', 'service': 'instance', 'mode': 'monthly',
            'count': 1, 'product_id': product['id']}, status=201)
        cancelled = self.send('POST', '/orders/%s/cancel' % order['id'])
        self.assertEqual(200, cancelled.status, cancelled.text)
        released = self.send('POST', '/holds/%s/release' % hold['id'])
        self.assertEqual(200, released.status, released.text)


class TestBodies(RequestTestCase):
    """Bodies too large, too deep, not UTF-8 or not strict JSON."""

    def test_deep_arrays_answer_400(self):
        # RecursionError in pecan's decoding: no HTTP answer at all.
        for raw in (b'[' * 100000, b'[' * 100000 + b']' * 100000,
                    b'{"a":' * 40000, b'{"items": [' + b'{"a":' * 33):
            answer = self.send('POST', '/quotes', raw, 'application/json')
            self.assertError(400, answer, 'body: arrays and objects nested '
                             'more than 32 deep', 'body')

    def test_deep_and_large_answers_413(self):
        # 500,000 bytes: refused for its size before it is read.
        answer = self.send('POST', '/quotes', b'{"a":' * 100000,
                           'application/json')
        self.assertError(413, answer, 'the request body is 500000 bytes: at '
                                      'most 262144 are taken')

    def test_deep_body_on_a_wrong_route_is_a_404(self):
        answer = self.send('POST', '/nope', b'[' * 100000,
                           'application/json')
        self.assertError(404, answer)

    def test_at_the_depth_limit_the_body_is_read(self):
        fields = '{"f": %s}' % ('[' * 28 + ']' * 28)
        raw = ('{"items": [{"service": "instance", "qty": "1", "fields": '
               '%s}]}' % fields).encode()
        self.assertEqual(32, guard.nesting_depth(raw))
        answer = self.send('POST', '/quotes', raw, 'application/json')
        # Read, then refused by the schema, not by its depth.
        self.assertError(400, answer, field='items[0].fields')

    def test_brackets_in_strings_do_not_count(self):
        self.assertEqual(1, guard.nesting_depth(b'{"a": "[[[[{{{{\\"[["}'))
        self.assertEqual(2, guard.nesting_depth(b'[{"a": "]]]"}]'))

    def test_too_large_answers_413(self):
        raw = b'{"items": [], "x": "%s"}' % (b'a' * guard.MAX_BODY_BYTES)
        answer = self.send('POST', '/quotes', raw, 'application/json')
        self.assertError(413, answer, 'the request body is %d bytes: at most '
                         '262144 are taken' % len(raw))

    def test_largest_description_fits_even_escaped(self):
        # 65,535 bytes of UTF-8 (4-byte characters), each sent as JSON's
        # \uXXXX\uXXXX: the most a client can need for a description.
        raw = ('{"name": "n", "service": "s", "on_demand_price": "1", '
               '"description": "%s"}' % ('\\ud83d\\ude00' * 16383)).encode()
        self.assertLess(len(raw), guard.MAX_BODY_BYTES)

    def test_not_utf8(self):
        answer = self.send('POST', '/quotes', b'{"items": "\xc1\xf4"}',
                           'application/json')
        self.assertError(400, answer, 'body: not UTF-8 encoded JSON', 'body')

    def test_not_strict_json(self):
        for raw, message in (
                (b'{"amount": NaN}', 'body: not valid JSON: NaN is not JSON'),
                (b'{"amount": Infinity}',
                 'body: not valid JSON: Infinity is not JSON'),
                (b'{"amount": "1", "amount": "1000"}',
                 'amount: given more than once')):
            answer = self.send('POST', '/accounts/p1/recharge', raw,
                               'application/json')
            self.assertError(400, answer, message)
        self.assertEqual([], self.ok('GET', '/accounts')['accounts'])
