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
"""What the commands print per format: money, nulls, control characters."""

import json

from osc_lib import exceptions

from uos_billing.cli import account
from uos_billing.cli import order
from uos_billing.cli import product
from uos_billing.cli import text
from uos_billing.cli import transaction
from uos_billing.tests.unit.cli import fakes

BASE = fakes.BASE
PROJECT = fakes.ACCOUNT['project_id']
response = fakes.response
# What the API sends: stored money, 10 places.
ACCOUNT = dict(fakes.ACCOUNT, balance='100.0000000000',
               credit_limit='0E-10', low_balance_threshold='10.0000000000')
ENTRY = dict(fakes.TRANSACTION, kind='charge', amount='-0.0634000000',
             balance_after='99.9366000000')
# A name stored before the API refused control characters.
EVIL = 'web\x1b[2J\x1b[31mred\x00\u202eoof'
EVIL_SHOWN = 'web\\x1b[2J\\x1b[31mred\\x00\\u202eoof'
RAW = ('\x1b', '\x00', '\u202e')


def table_row(out, heading):
    """The value of a ShowOne table's row (stripped)."""
    for line in out.splitlines():
        cells = [c.strip() for c in line.split('|')]
        if len(cells) == 4 and cells[1] == heading:
            return cells[2]
    raise AssertionError('no row %r in:\n%s' % (heading, out))


class TestMoneyInTables(fakes.CommandTestCase):

    def test_table_at_the_currency_places_json_and_value_exact(self):
        out = self.output(account.ShowAccount, [PROJECT],
                          response(200, ACCOUNT))
        self.assertEqual('100.00', table_row(out, 'Balance'))
        self.assertEqual('0.00', table_row(out, 'Credit Limit'))
        self.assertEqual('10.00', table_row(out, 'Low Balance Threshold'))
        shown = self.output_json(account.ShowAccount, [PROJECT],
                                 response(200, ACCOUNT))
        self.assertEqual('100.0000000000', shown['Balance'])
        self.assertEqual('0E-10', shown['Credit Limit'])
        self.assertEqual('100.0000000000\n', self.output(
            account.ShowAccount, [PROJECT, '-f', 'value', '-c', 'Balance'],
            response(200, ACCOUNT)))
        # Rows that have their currency: no other request.
        self.assertEqual(3, len(self.http.calls))

    def test_rounded_half_even_and_zero_places(self):
        yen = dict(ACCOUNT, currency='JPY', balance='1500.5000000000',
                   credit_limit='2.5000000000')
        out = self.output(account.ShowAccount, [PROJECT], response(200, yen))
        self.assertEqual('1500', table_row(out, 'Balance'))
        self.assertEqual('2', table_row(out, 'Credit Limit'))

    def test_unit_prices_keep_their_places(self):
        out = self.output(product.ShowProduct, ['p'], response(200, dict(
            fakes.PRODUCT, on_demand_price='0.0125000000',
            monthly_price='10.0000000000')))
        self.assertEqual('0.0125', table_row(out, 'On Demand Price'))
        self.assertEqual('10.00', table_row(out, 'Monthly Price'))

    def test_ledger_amounts_take_the_account_currency(self):
        out = self.output(
            transaction.ListTransaction, [PROJECT],
            response(200, {'transactions': [ENTRY], 'links': []}),
            response(200, ACCOUNT))
        self.assertIn('| -0.06  | 99.94         |', out)
        self.assertNotIn('0.0634', out)
        self.assertEqual(('GET', BASE + '/accounts/' + PROJECT, None),
                         self.http.calls[-1])
        # json and value: exact, and no request for the currency.
        shown = self.output_json(
            transaction.ListTransaction, [PROJECT],
            response(200, {'transactions': [ENTRY], 'links': []}))
        self.assertEqual('-0.0634000000', shown[0]['Amount'])
        self.assertEqual(3, len(self.http.calls))

    def test_orders_of_several_projects_one_accounts_listing(self):
        orders = [dict(fakes.ORDER, unit_price='10.0000000000'),
                  dict(fakes.ORDER, id='o2', project_id='p-yen',
                       unit_price='1000.0000000000')]
        out = self.output(
            order.ListOrder, [],
            response(200, {'orders': orders, 'links': []}),
            response(200, {'accounts': [
                ACCOUNT, dict(ACCOUNT, project_id='p-yen', currency='JPY')],
                'links': []}))
        self.assertIn('| 10.00      |', out)
        self.assertIn('| 1000       |', out)
        self.assertEqual(('GET', BASE + '/accounts', None),
                         self.http.calls[-1])

    def test_account_not_readable_amounts_exact(self):
        out = self.output(
            transaction.ListTransaction, [PROJECT],
            response(200, {'transactions': [ENTRY], 'links': []}),
            fakes.error(403, 'not allowed'))
        self.assertIn('| -0.0634000000 | 99.9366000000 |', out)

    def test_sorted_by_amount_not_by_text(self):
        accounts = [dict(ACCOUNT, project_id=p, balance=b) for p, b in (
            ('p1', '100.0000000000'), ('p2', '-3.2000000000'),
            ('p3', '9.5000000000'))]
        out = self.output(
            account.ListAccount, ['--sort-column', 'Balance', '-f', 'value',
                                  '-c', 'Project ID'],
            response(200, {'accounts': accounts, 'links': []}))
        self.assertEqual('p2\np3\np1\n', out)

    def test_nulls_sorted_last(self):
        products = [dict(fakes.PRODUCT, id=i, yearly_price=y) for i, y in (
            ('a', None), ('b', '100.0000000000'), ('c', '20.0000000000'))]
        for direction, expected in (('--sort-ascending', 'c\nb\na\n'),
                                    ('--sort-descending', 'a\nb\nc\n')):
            self.assertEqual(expected, self.output(
                product.ListProduct, ['--sort-column', 'Yearly Price',
                                      direction, '-f', 'value', '-c', 'ID'],
                response(200, {'products': products, 'links': []})))


class TestNulls(fakes.CommandTestCase):

    def test_empty_in_tables_and_values_null_in_json(self):
        out = self.output(account.ShowAccount, [PROJECT],
                          response(200, ACCOUNT))
        self.assertNotIn('None', out)
        self.assertEqual('', table_row(out, 'Owed Since'))
        self.assertEqual('\n', self.output(
            account.ShowAccount, [PROJECT, '-f', 'value', '-c', 'Owed Since'],
            response(200, ACCOUNT)))
        self.assertEqual('owed_since=""\n', self.output(
            account.ShowAccount, [PROJECT, '-f', 'shell', '-c', 'Owed Since'],
            response(200, ACCOUNT)))
        self.assertIsNone(self.output_json(
            account.ShowAccount, [PROJECT],
            response(200, ACCOUNT))['Owed Since'])

    def test_list_table(self):
        out = self.output(
            product.ListProduct, [],
            response(200, {'products': [fakes.PRODUCT], 'links': []}))
        self.assertNotIn('None', out)


class TestControlCharacters(fakes.CommandTestCase):

    PRODUCT = dict(fakes.PRODUCT, name=EVIL,
                   match={'flavor_name': 'm1\x1b]0;owned\x07'},
                   description='two\nlines\tand a tab')

    def assertNoRaw(self, out):
        for char in RAW + ('\x07', '\t'):
            self.assertNotIn(char, out)

    def test_table(self):
        out = self.output(product.ShowProduct, ['p'],
                          response(200, self.PRODUCT))
        self.assertNoRaw(out)
        self.assertEqual(EVIL_SHOWN, table_row(out, 'Name'))
        self.assertEqual("flavor_name='m1\\x1b]0;owned\\x07'",
                         table_row(out, 'Match'))
        self.assertEqual('two\\nlines\\tand a tab',
                         table_row(out, 'Description'))

    def test_list_table_value_csv(self):
        page = {'products': [self.PRODUCT], 'links': []}
        for argv in ([], ['-f', 'value'], ['-f', 'csv']):
            out = self.output(product.ListProduct, argv, response(200, page))
            self.assertNoRaw(out)
            # csv doubles the backslashes of the escapes.
            self.assertIn(EVIL_SHOWN.replace('\\', '\\\\')
                          if argv[1:] == ['csv'] else EVIL_SHOWN, out)

    def test_value_and_shell(self):
        for argv, expected in (
                (['-f', 'value', '-c', 'Name'], EVIL_SHOWN + '\n'),
                (['-f', 'shell', '-c', 'Name'], 'name="%s"\n' % EVIL_SHOWN)):
            out = self.output(product.ShowProduct, ['p'] + argv,
                              response(200, self.PRODUCT))
            self.assertEqual(expected, out)
        out = self.output(product.ShowProduct, ['p', '-f', 'value', '-c',
                                                'Match'],
                          response(200, self.PRODUCT))
        self.assertNoRaw(out)

    def test_json_and_yaml_carry_the_data(self):
        out = self.output(product.ShowProduct, ['p', '-f', 'json'],
                          response(200, self.PRODUCT))
        self.assertNoRaw(out)
        self.assertEqual(EVIL, json.loads(out)['Name'])
        out = self.output(product.ShowProduct, ['p', '-f', 'yaml'],
                          response(200, self.PRODUCT))
        self.assertNoRaw(out)

    def test_error_message(self):
        self.http.queue(fakes.error(409, 'product %s overlaps' % EVIL))
        cmd, args = self.parse(product.ShowProduct, ['p'])
        e = self.assertRaises(exceptions.CommandError, cmd.take_action, args)
        self.assertEqual('product %s overlaps (HTTP 409)' % EVIL_SHOWN,
                         str(e))

    def test_escape(self):
        self.assertEqual('a\\x7fb\\x9bc\\u2066d\\u2028', text.escape(
            'a\x7fb\x9bc\u2066d\u2028'))
        self.assertEqual('plain: é ü 😀 \\ "', text.escape(
            'plain: é ü 😀 \\ "'))
