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
"""The served API against its OpenAPI description (doc/api/billing.yaml).

TestDescription checks that the description and the controllers list the
same routes, that every described route reaches a billing handler, that a
representative answer of each validates against its schema and that the
text limits described are the ones enforced. test_fuzz drives the API
with requests generated from the description.
"""

import inspect
import os
import re

from cloudkitty import db as ck_db
import jsonschema_rs
from pecan import rest
import sqlalchemy as sa
import yaml

from uos_billing.rating.api import root
from uos_billing.rating.api import schemas
from uos_billing.tests.unit.rating.api import base

HERE = os.path.dirname(os.path.abspath(__file__))
DESCRIPTION = os.path.normpath(os.path.join(
    HERE, '..', '..', '..', '..', '..', 'doc', 'api', 'billing.yaml'))
METHODS = ('get', 'put', 'post', 'delete', 'patch')
TABLES = ('billing_product', 'billing_account', 'billing_ledger',
          'billing_order', 'billing_hold', 'billing_request')


def load_description():
    with open(DESCRIPTION) as f:
        return yaml.safe_load(f)


def described_routes(doc):
    """{(METHOD, path with {} for parameters)} of the description."""
    return {(method.upper(), re.sub(r'\{[^}]+\}', '{}', path))
            for path, item in doc['paths'].items()
            for method in item if method in METHODS}


def controller_routes():
    """{(METHOD, path)} that the pecan controllers expose."""
    verbs = {'get_all': ('GET', ''), 'get_one': ('GET', '/{}'),
             'post': ('POST', ''), 'put': ('PUT', '/{}'),
             'delete': ('DELETE', '/{}')}
    routes = set()
    for name, controller in vars(root.BillingController).items():
        if not isinstance(controller, rest.RestController):
            continue
        for attr, (method, suffix) in verbs.items():
            if inspect.ismethod(getattr(controller, attr, None)):
                routes.add((method, '/%s%s' % (name, suffix)))
        for action, methods in getattr(controller, '_custom_actions',
                                       {}).items():
            for method in methods:
                routes.add((method.upper(), '/%s/{}/%s' % (name, action)))
    return routes


def _resolve(node, doc, in_properties=False):
    """An OpenAPI 3.0 schema as plain JSON Schema: refs in, nullable out."""
    if isinstance(node, list):
        return [_resolve(item, doc) for item in node]
    if not isinstance(node, dict):
        return node
    if in_properties:
        # Keys here are property names, not keywords.
        return {key: _resolve(value, doc) for key, value in node.items()}
    if '$ref' in node:
        target = doc
        for part in node['$ref'].lstrip('#/').split('/'):
            target = target[part]
        return _resolve(target, doc)
    out = {key: _resolve(value, doc, key == 'properties')
           for key, value in node.items()
           if key not in ('nullable', 'example', 'description', 'default')}
    if node.get('nullable'):
        if 'type' in out:
            out['type'] = [out['type'], 'null']
        if 'enum' in out and None not in out['enum']:
            out['enum'] = out['enum'] + [None]
    return out


def response_validator(doc, path, method, status):
    """A validator of the JSON body of one described answer."""
    responses = doc['paths'][path][method.lower()]['responses']
    answer = responses[str(status)]
    answer = _resolve(answer, doc)
    schema = answer['content']['application/json']['schema']
    return jsonschema_rs.Draft4Validator(schema, validate_formats=True)


class TestDescription(base.APITestCase):
    """The description and the served API describe the same thing."""

    def setUp(self):
        super().setUp()
        self.doc = load_description()
        self.seen = set()

    def test_description_paths_equal_controller_routes(self):
        self.assertEqual(controller_routes(), described_routes(self.doc))

    def test_description_statuses_are_the_ones_the_api_answers(self):
        for path, item in self.doc['paths'].items():
            for method, operation in item.items():
                if method not in METHODS:
                    continue
                for status in operation['responses']:
                    self.assertIn(int(status),
                                  (200, 201, 204, 400, 402, 403, 404, 409,
                                   413, 415, 503),
                                  '%s %s' % (method, path))

    def test_text_limits_are_the_schemas(self):
        # Every maxLength of a request field is the limit its voluptuous
        # schema enforces (read from the column the field lands in).
        bodies = {'ProductCreate': schemas.PRODUCT_CREATE,
                  'ProductUpdate': schemas.PRODUCT_UPDATE,
                  'Recharge': schemas.RECHARGE,
                  'OrderCreate': schemas.ORDER_CREATE,
                  'OrderUpdate': schemas.ORDER_UPDATE,
                  'OrderCancel': schemas.ORDER_CANCEL,
                  'OrderRenew': schemas.ORDER_RENEW,
                  'HoldCreate': schemas.HOLD_CREATE,
                  'HoldConfirm': schemas.HOLD_CONFIRM,
                  'QuoteItem': schemas.QUOTE_ITEM}
        compared = []
        for name, schema in bodies.items():
            fields = {str(k): v for k, v in getattr(schema, 'schema',
                                                    schema).items()}
            described = self.doc['components']['schemas'][name]
            for field, prop in described['properties'].items():
                resolved = _resolve(prop, self.doc)
                limits = [resolved.get('maxLength')] + [
                    part.get('maxLength') for key in ('allOf', 'oneOf')
                    for part in resolved.get(key, [])]
                limit = next((v for v in limits if v is not None), None)
                validator = fields[field]
                enforced = getattr(validator, 'max_chars',
                                   getattr(validator, 'max_bytes', None))
                self.assertEqual(enforced, limit, '%s.%s' % (name, field))
                if limit is not None:
                    compared.append('%s.%s=%d' % (name, field, limit))
        self.assertEqual(23, len(compared), compared)

    def check(self, method, template, path=None, body=None, status=200):
        """Call a described route, check its answer against the schema."""
        path = path or template
        answer = self.call(method, path, body)
        self.assertEqual(status, answer.status, '%s %s: %s' % (
            method, path, answer.text))
        self.seen.add((method, template))
        operation = self.doc['paths'][template][method.lower()]
        self.assertIn(str(status), operation['responses'])
        if status == 204:
            return None
        # A JSON answer: a billing handler answered, not pecan's own
        # 404/405 pages (text/html or plain).
        self.assertEqual('application/json',
                         answer.headers['Content-Type'].split(';')[0])
        validator = response_validator(self.doc, template, method, status)
        errors = [str(e) for e in validator.iter_errors(answer.json)]
        self.assertEqual([], errors, '%s %s answered %s' % (
            method, path, answer.text))
        return answer.json

    def test_every_route_answers_as_described(self):
        c = self.check
        product = c('POST', '/products', body={
            'name': 'small', 'service': 'instance', 'region': 'RegionOne',
            'match': {'flavor_name': 'm1.small'}, 'unit': 'hour',
            'on_demand_price': '0.02', 'monthly_price': '10.00',
            'yearly_price': 100, 'currency': 'EUR',
            'effective_from': '2020-01-01T00:00:00Z',
            'description': 'a small flavor'}, status=201)
        pid = product['id']
        spare = c('POST', '/products', body={
            'name': 'spare', 'service': 'volume', 'on_demand_price': '1'},
            status=201)
        c('GET', '/products', '/products?service=instance&limit=1')
        c('GET', '/products/{product_id}', '/products/' + pid)
        c('PUT', '/products/{product_id}', '/products/' + pid,
          {'name': 'small flavor', 'description': None})
        c('DELETE', '/products/{product_id}', '/products/' + spare['id'],
          status=204)
        c('GET', '/products/{product_id}', '/products/' + spare['id'],
          status=404)

        entry = c('POST', '/accounts/{project_id}/recharge',
                  '/accounts/p1/recharge',
                  {'amount': '100.00', 'idempotency_key': 'k1',
                   'note': 'wire'}, status=201)
        replay = c('POST', '/accounts/{project_id}/recharge',
                   '/accounts/p1/recharge',
                   {'amount': '100.00', 'idempotency_key': 'k1',
                    'note': 'wire'}, status=200)
        self.assertEqual(entry, replay)
        c('POST', '/accounts/{project_id}/recharge',
          '/accounts/p1/recharge', {'amount': '-1'}, status=400)
        c('PUT', '/accounts/{project_id}', '/accounts/p1',
          {'credit_limit': '5.00', 'low_balance_threshold': '1'})
        c('PUT', '/accounts/{project_id}', '/accounts/p1',
          {'currency': 'USD'}, status=409)
        c('GET', '/accounts', '/accounts?status=active&limit=1')
        c('GET', '/accounts/{project_id}', '/accounts/p1')
        c('GET', '/accounts/{project_id}', '/accounts/nobody', status=404)

        buy = {'project_id': 'p1', 'resource_id': 'vm-1',
               'service': 'instance', 'product_id': pid, 'mode': 'monthly',
               'count': 1, 'auto_renew': False, 'idempotency_key': 'b1'}
        order = c('POST', '/orders', body=buy, status=201)
        self.assertEqual(order, c('POST', '/orders', body=buy, status=200))
        c('POST', '/orders', body={
            'project_id': 'p1', 'resource_id': 'vm-2', 'service': 'instance',
            'product_id': pid, 'mode': 'yearly', 'count': 2}, status=402)
        oid = order['id']
        c('GET', '/orders', '/orders?project_id=p1&mode=monthly')
        c('GET', '/orders/{order_id}', '/orders/' + oid)
        c('GET', '/orders/{order_id}', '/orders/nope', status=404)
        c('PUT', '/orders/{order_id}', '/orders/' + oid,
          {'auto_renew': True})
        c('GET', '/orders/{order_id}/renewal', '/orders/%s/renewal' % oid)
        c('POST', '/orders/{order_id}/renew', '/orders/%s/renew' % oid,
          {'term_end': order['term_end'], 'idempotency_key': 'r1'})
        c('POST', '/orders/{order_id}/renew', '/orders/%s/renew' % oid,
          {'term_end': order['term_end']}, status=409)
        c('GET', '/orders/{order_id}/renewal', '/orders/nope/renewal',
          status=404)
        c('POST', '/orders/{order_id}/cancel', '/orders/%s/cancel' % oid,
          {'idempotency_key': 'c1'})
        c('POST', '/orders/{order_id}/cancel', '/orders/%s/cancel' % oid,
          status=409)
        c('GET', '/orders/{order_id}/renewal', '/orders/%s/renewal' % oid,
          status=409)
        c('DELETE', '/products/{product_id}', '/products/' + pid,
          status=409)

        hold = c('POST', '/holds', body={
            'project_id': 'p1', 'service': 'instance', 'mode': 'monthly',
            'count': 1, 'auto_renew': False, 'product_id': pid,
            'fields': {'flavor_id': '1', 'flavor_name': 'm1.small'}},
            status=201)
        c('POST', '/holds', body={
            'project_id': 'p1', 'service': 'instance', 'mode': 'yearly',
            'count': 10, 'product_id': pid}, status=402)
        c('POST', '/holds', body={
            'project_id': 'p1', 'service': 'instance', 'mode': 'monthly',
            'count': 1, 'fields': {'flavor_name': 'm1.huge'}}, status=400)
        hid = hold['id']
        c('POST', '/holds/{hold_id}/confirm', '/holds/%s/confirm' % hid,
          {'resource_id': 'vm-3'}, status=201)
        c('POST', '/holds/{hold_id}/confirm', '/holds/%s/confirm' % hid,
          {'resource_id': 'vm-3'})
        c('POST', '/holds/{hold_id}/release', '/holds/%s/release' % hid,
          status=409)
        spare_hold = c('POST', '/holds', body={
            'project_id': 'p1', 'service': 'instance', 'mode': 'monthly',
            'count': 1, 'product_id': pid}, status=201)
        c('POST', '/holds/{hold_id}/release',
          '/holds/%s/release' % spare_hold['id'])
        c('POST', '/holds/{hold_id}/confirm',
          '/holds/%s/confirm' % spare_hold['id'], {'resource_id': 'vm-4'},
          status=409)
        c('POST', '/holds/{hold_id}/release', '/holds/nope/release',
          status=404)

        c('GET', '/accounts/{project_id}/transactions',
          '/accounts/p1/transactions?kind=recharge&limit=1')
        c('GET', '/accounts/{project_id}/statement',
          '/accounts/p1/statement?month=2026-01')
        c('GET', '/accounts/{project_id}/statement',
          '/accounts/p1/statement?month=2026-13', status=400)
        c('POST', '/quotes', body={'items': [
            {'service': 'instance', 'qty': '3', 'region': 'RegionOne',
             'fields': {'flavor_name': 'm1.small'}},
            {'service': 'instance', 'qty': 1, 'mode': 'yearly', 'count': 1,
             'region': 'RegionOne', 'fields': {'flavor_name': 'm1.small'}},
            {'service': 'unpriced', 'qty': '1'}]})
        c('POST', '/quotes', body={'items': []}, status=400)

        described = {(method.upper(), path)
                     for path, item in self.doc['paths'].items()
                     for method in item if method in METHODS}
        self.assertEqual(described, self.seen)


def snapshot():
    """Every row of the billing tables a refused request must not touch."""
    with ck_db.session_for_read() as session:
        return {table: sorted(tuple(row) for row in session.execute(
                sa.text('SELECT * FROM %s' % table)))
                for table in TABLES}
