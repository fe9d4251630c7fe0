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
"""Body fields and query parameters: limits, characters, dates, numbers.

TestLimits runs on SQLite, MariaDB and PostgreSQL: each text field at its
documented limit is stored and read back whole, one past it is a 400 that
states the limit (SQLite kept any length; MariaDB answered 500 "Data too
long").
"""

from urllib import parse

from uos_billing.tests.unit.rating.api import base

SQLITE_ONLY = [('sqlite', {'backend': 'sqlite'})]
# A character of 3 bytes in UTF-8 (MariaDB's utf8 holds it).
WIDE = '\u96f2'


def product(**fields):
    body = {'name': 'small', 'service': 'instance', 'on_demand_price': '1',
            'monthly_price': '30'}
    body.update(fields)
    return body


class InputTestCase(base.APITestCase):

    def refused(self, method, path, body, field, message=None, status=400):
        answer = self.call(method, path, body)
        self.assertEqual(status, answer.status, '%s %s: %s' % (
            method, path, answer.text))
        error = answer.json['error']
        self.assertEqual(field, error.get('field'), answer.text)
        if message is not None:
            self.assertEqual('%s: %s' % (field, message), error['message'])
        return error


class TestLimits(InputTestCase):

    def test_every_text_field_at_its_limit_is_kept_whole(self):
        project = 'p' * 64
        fields = {'name': WIDE * 255, 'service': WIDE * 64,
                  'region': WIDE * 255, 'unit': WIDE * 64,
                  # 65,535 bytes of UTF-8: MariaDB's TEXT, full.
                  'description': WIDE * 21845,
                  'match': {'k' * 255: WIDE * 255}}
        made = self.ok('POST', '/products', product(**fields), status=201)
        shown = self.ok('GET', '/products/' + made['id'])
        self.assertEqual(fields, {k: shown[k] for k in fields})
        entry = self.ok('POST', '/accounts/%s/recharge' % project, {
            'amount': '100', 'note': 'n\n' * 32767 + 'n',
            'idempotency_key': 'k' * 181}, status=201)
        self.assertEqual(('n\n' * 32767 + 'n',
                          'recharge:%s:%s' % (project, 'k' * 181)),
                         (entry['note'], entry['idempotency_key']))
        order = self.ok('POST', '/orders', {
            'project_id': project, 'resource_id': WIDE * 255,
            'service': WIDE * 64, 'product_id': made['id'],
            'mode': 'monthly', 'count': 1}, status=201)
        self.assertEqual(WIDE * 255, self.ok(
            'GET', '/orders/' + order['id'])['resource_id'])

    def test_one_past_each_limit_is_refused_with_the_limit(self):
        cases = [
            ('POST', '/products', product(name='n' * 256), 'name',
             'at most 255 characters (got 256)'),
            # "at most 255" was said where the column holds 64.
            ('POST', '/products', product(service='s' * 300), 'service',
             'at most 64 characters (got 300)'),
            ('POST', '/products', product(region='r' * 256), 'region',
             'at most 255 characters (got 256)'),
            ('POST', '/products', product(unit='u' * 65), 'unit',
             'at most 64 characters (got 65)'),
            ('POST', '/products', product(description='d' * 70000),
             'description', 'at most 65535 bytes of UTF-8 (got 70000)'),
            ('POST', '/products', product(description=WIDE * 21846),
             'description', 'at most 65535 bytes of UTF-8 (got 65538)'),
            ('POST', '/products', product(match={'k' * 256: 'v'}), 'match',
             'a field name: at most 255 characters (got 256)'),
            ('POST', '/products', product(match={'k': 'v' * 256}), 'match',
             'the value of k: at most 255 characters (got 256)'),
            ('PUT', '/products/x', {'description': 'd' * 70000},
             'description', 'at most 65535 bytes of UTF-8 (got 70000)'),
            # A 10 kB note said "not a valid value".
            ('POST', '/accounts/p1/recharge', {
                'amount': '1', 'note': 'n' * 65536}, 'note',
             'at most 65535 bytes of UTF-8 (got 65536)'),
            # recharge:<64 characters>:<key> must fit the ledger's 255.
            ('POST', '/accounts/p1/recharge', {
                'amount': '1', 'idempotency_key': 'k' * 182},
             'idempotency_key', 'at most 181 characters (got 182)'),
            ('POST', '/orders', {
                'project_id': 'p' * 65, 'resource_id': 'vm',
                'service': 'instance', 'product_id': 'x', 'mode': 'monthly',
                'count': 1}, 'project_id', 'not a Keystone project id: 1 to '
             '64 letters, digits, "-", "_" or "." expected, got %r' % (
                 'p' * 65)),
            ('POST', '/orders', {
                'resource_id': 'r' * 256, 'service': 'instance',
                'product_id': 'x', 'mode': 'monthly', 'count': 1},
             'resource_id', 'at most 255 characters (got 256)'),
            ('POST', '/orders', {
                'resource_id': 'r', 'service': 's' * 65,
                'product_id': 'x', 'mode': 'monthly', 'count': 1},
             'service', 'at most 64 characters (got 65)'),
            ('POST', '/orders', {
                'resource_id': 'r', 'service': 'instance',
                'product_id': 'x' * 37, 'mode': 'monthly', 'count': 1},
             'product_id', 'at most 36 characters (got 37)'),
            ('POST', '/holds', {
                'service': 'instance', 'mode': 'monthly', 'count': 1,
                'product_id': 'x' * 37}, 'product_id',
             'at most 36 characters (got 37)'),
            ('POST', '/holds/x/confirm', {'resource_id': 'r' * 256},
             'resource_id', 'at most 255 characters (got 256)'),
            ('POST', '/quotes', {'items': [
                {'service': 's' * 65, 'qty': '1'}]}, 'items[0].service',
             'at most 64 characters (got 65)'),
            ('GET', '/orders?resource_id=' + 'r' * 256, None, 'resource_id',
             'at most 255 characters (got 256)'),
            ('GET', '/products?marker=' + 'm' * 256, None, 'marker',
             'at most 255 characters (got 256)'),
        ]
        for method, path, body, field, message in cases:
            self.refused(method, path, body, field, message)
        self.assertEqual([], self.ok('GET', '/products')['products'])
        self.assertEqual([], self.ok('GET', '/accounts')['accounts'])


class TestControlCharacters(InputTestCase):
    """Names and other lines hold none; free text keeps tabs and breaks."""

    def test_lines_refuse_control_characters(self):
        line = ('contains the control character U+%04X: control characters '
                '(tab and newline too) are not allowed here (at character %d)')
        cases = [
            (product(name='small\x00'), 'name', line % (0, 6)),
            (product(name='\x1b[31mred\x1b[0m'), 'name', line % (0x1b, 1)),
            (product(name='two\nlines'), 'name', line % (0x0a, 4)),
            (product(name='tab\there'), 'name', line % (0x09, 4)),
            (product(name='del\x7f'), 'name', line % (0x7f, 4)),
            (product(name='csi\x9b31m'), 'name', line % (0x9b, 4)),
            (product(service='inst\x00'), 'service', line % (0, 5)),
            (product(region='r\x07'), 'region', line % (7, 2)),
            (product(unit='hour\x85'), 'unit', line % (0x85, 5)),
        ]
        for body, field, message in cases:
            self.refused('POST', '/products', body, field, message)
        self.refused('POST', '/products', product(match={'a\x1b': 'b'}),
                     'match', 'a field name: ' + line % (0x1b, 2))
        self.refused('POST', '/products', product(match={'a': 'b\x00'}),
                     'match', 'the value of a: ' + line % (0, 2))
        self.refused('POST', '/accounts/p1/recharge', {
            'amount': '1', 'idempotency_key': 'key\n'}, 'idempotency_key',
            line % (0x0a, 4))
        self.refused('POST', '/orders', {
            'resource_id': 'vm\x00', 'service': 'instance',
            'product_id': 'x', 'mode': 'monthly', 'count': 1},
            'resource_id', line % (0, 3))
        self.refused('POST', '/quotes', {'items': [
            {'service': 'instance', 'qty': '1',
             'fields': {'flavor_name': '\x1b[2J'}}]}, 'items[0].fields',
            'the value of flavor_name: ' + line % (0x1b, 1))
        self.refused('GET', '/orders?resource_id=vm%00', None, 'resource_id',
                     line % (0, 3))
        self.refused('GET', '/products?service=a%1Bb', None, 'service',
                     line % (0x1b, 2))
        self.assertEqual([], self.ok('GET', '/products')['products'])

    def test_free_text_keeps_tabs_and_line_breaks_only(self):
        text = 'line one\n\tindented\r\nline three'
        made = self.ok('POST', '/products', product(description=text),
                       status=201)
        self.assertEqual(text, made['description'])
        entry = self.ok('POST', '/accounts/p1/recharge',
                        {'amount': '1', 'note': text}, status=201)
        self.assertEqual(text, entry['note'])
        free = ('contains the control character U+%04X: only tab and line '
                'breaks are allowed (at character %d)')
        self.refused('PUT', '/products/' + made['id'],
                     {'description': 'bell\x07'}, 'description',
                     free % (7, 5))
        self.refused('POST', '/accounts/p1/recharge',
                     {'amount': '1', 'note': 'ok\r100.00'}, 'note',
                     free % (0x0d, 3))
        self.refused('POST', '/accounts/p1/recharge',
                     {'amount': '1', 'note': '\x1b[31m'}, 'note',
                     free % (0x1b, 1))

    def test_lone_surrogates_are_refused(self):
        # JSON's "\ud800" decodes to text no database stores.
        answer = self.call('POST', '/products', raw=(
            b'{"name": "a\\ud800", "service": "s", "on_demand_price": "1"}'))
        self.assertEqual((400, 'name'), (answer.status,
                                         answer.json['error']['field']))
        self.assertIn('lone surrogate U+D800', answer.json['error']['message'])


class TestDates(InputTestCase):
    """Instants at datetime's edges: a 400 naming the field, never a 500."""

    scenarios = SQLITE_ONLY
    RANGE = ('must be from 1970-01-01T00:00:00+00:00 to before '
             '9999-01-01T00:00:00+00:00, got ')

    def test_statement_months(self):
        self.ok('POST', '/accounts/p1/recharge', {'amount': '1'}, status=201)
        # "year 10000 is out of range": a 500.
        for month in ('9999-12', '9999-01', '1969-12', '0001-01'):
            self.refused('GET', '/accounts/p1/statement?month=' + month,
                         None, 'month', 'must be from 1970-01 to 9998-12, '
                                        'got %r' % month)
        for month in ('9998-12', '1970-01'):
            self.ok('GET', '/accounts/p1/statement?month=' + month)

    def test_instants(self):
        self.ok('POST', '/accounts/p1/recharge', {'amount': '1'}, status=201)
        late = '9999-12-31T23:59:59-05:00'
        early = '0001-01-01T00:00:00+05:00'
        for field, path in (('active_at', '/products?active_at=%s'),
                            ('begin', '/accounts/p1/transactions?begin=%s'),
                            ('end', '/accounts/p1/transactions?end=%s')):
            for at in (late, early, '9999-06-01T00:00:00Z',
                       '1969-12-31T23:59:59Z'):
                self.refused('GET', path % at.replace('+', '%2B'), None,
                             field)
        for field in ('effective_from', 'effective_to'):
            for at in (late, early, '9999-12-31T23:59:59Z'):
                error = self.refused('POST', '/products',
                                     product(**{field: at}), field)
                self.assertIn(self.RANGE, error['message'])
        self.refused('PUT', '/products/x', {'effective_to': late},
                     'effective_to')
        made = self.ok('POST', '/products', product(
            effective_from='1970-01-01T00:00:00Z',
            effective_to='9998-12-31T23:59:59+00:00'), status=201)
        self.assertEqual('9998-12-31T23:59:59+00:00', made['effective_to'])


class TestNumbers(InputTestCase):
    """Only plain ASCII decimals; money at its currency's places."""

    scenarios = SQLITE_ONLY

    def test_loose_numbers_are_refused(self):
        # "\u0661" (Arabic-Indic one) credited 1.00; "1_000" was 1000.
        for amount in ('\u0661', '\u0661\u0662', '1_000', ' 5', '5 ',
                       '1e2', '+5', '.5'):
            self.refused('POST', '/accounts/p1/recharge', {'amount': amount},
                         'amount')
        for limit in ('\u0661', '1_0', '+5', ' 5', '\u0663'):
            self.refused('GET', '/products?' + parse.urlencode(
                {'limit': limit}), None, 'limit')
        self.refused('POST', '/quotes', {'items': [
            {'service': 'instance', 'qty': '1_000'}]}, 'items[0].qty')
        self.refused('POST', '/products', product(on_demand_price='\uff11'),
                     'on_demand_price')
        self.refused('PUT', '/accounts/p1', {'credit_limit': '1e3'},
                     'credit_limit')
        self.assertEqual([], self.ok('GET', '/accounts')['accounts'])

    def test_transaction_marker(self):
        self.ok('POST', '/accounts/p1/recharge', {'amount': '1'}, status=201)
        # Past a BIGINT: the database refused it, a 500.
        self.refused('GET', '/accounts/p1/transactions?marker=' + '9' * 26,
                     None, 'marker')
        self.refused('GET', '/accounts/p1/transactions?marker=%D9%A1', None,
                     'marker')

    def test_money_follows_the_currency_places(self):
        # A JPY monthly price of 333.33 was accepted and charged.
        jpy = product(currency='JPY', on_demand_price='0.125',
                      monthly_price='3000', yearly_price='30000',
                      effective_from='2020-01-01T00:00:00Z')
        for field in ('monthly_price', 'yearly_price'):
            self.refused('POST', '/products', dict(jpy, **{field: '333.33'}),
                         field, '333.33 has more decimal places than JPY '
                                'allows (0)')
        # on_demand_price is a rate: finer than the currency's unit.
        made = self.ok('POST', '/products', jpy, status=201)
        self.assertEqual('0.1250000000', made['on_demand_price'])
        self.refused('PUT', '/products/' + made['id'],
                     {'monthly_price': '2999.5'}, 'monthly_price',
                     '2999.5 has more decimal places than JPY allows (0)')
        self.ok('PUT', '/accounts/p1', {'currency': 'JPY'})
        self.refused('POST', '/accounts/p1/recharge', {'amount': '1.5'},
                     'amount', '1.5 has more decimal places than JPY allows '
                               '(0)')
        for field in ('credit_limit', 'low_balance_threshold'):
            self.refused('PUT', '/accounts/p1', {field: '10.5'}, field,
                         '10.5 has more decimal places than JPY allows (0)')

    def test_a_new_currency_must_fit_the_limits_kept(self):
        self.ok('PUT', '/accounts/p2', {'credit_limit': '10.50'})
        self.refused('PUT', '/accounts/p2', {'currency': 'JPY'},
                     'credit_limit', '10.5000000000 has more decimal places '
                                     'than JPY allows (0)')
        self.ok('PUT', '/accounts/p2', {'currency': 'JPY',
                                        'credit_limit': '10'})
