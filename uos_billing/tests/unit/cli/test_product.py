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
"""openstack rating product list|show|create|set|delete."""

from osc_lib import exceptions

from uos_billing.cli import product
from uos_billing.tests.unit.cli import fakes

BASE = fakes.BASE
PRODUCT = fakes.PRODUCT
PID = PRODUCT['id']
response = fakes.response

LIST_COLUMNS = ('ID', 'Name', 'Service', 'Region', 'Match', 'Unit',
                'On Demand Price', 'Monthly Price', 'Yearly Price',
                'Currency', 'Effective From', 'Effective To')
SHOW = {
    'ID': PID,
    'Name': 'm1.small',
    'Service': 'instance',
    'Region': '*',
    'Match': {'flavor_name': 'm1.small'},
    'Unit': 'hour',
    'On Demand Price': '0.0200',
    'Monthly Price': '10.00',
    'Yearly Price': None,
    'Currency': 'EUR',
    'Effective From': '2026-11-01T00:00:00+00:00',
    'Effective To': None,
    'Description': 'Small instance',
    'Created At': '2026-10-30T09:00:00+00:00',
    'Created By': 'admin',
    'Updated At': None,
}


def products(*items, href=None):
    links = [{'rel': 'next', 'href': href}] if href else []
    return response(200, {'products': list(items), 'links': links})


class TestListProduct(fakes.CommandTestCase):

    def test_list_all_pages_with_filters(self):
        other = dict(PRODUCT, id='p2', name='m1.large',
                     match={'flavor_name': 'm1.large'},
                     on_demand_price='0.0800', monthly_price=None)
        columns, rows = self.take(
            product.ListProduct,
            ['--service', 'instance', '--region', 'RegionOne',
             '--active-at', '2026-11-15'],
            products(PRODUCT, href=BASE + '/products?limit=1&marker=' + PID
                     + '&region=RegionOne&service=instance'),
            products(other))
        self.assertEqual(LIST_COLUMNS, columns)
        self.assertEqual([PID, 'p2'], [r[0] for r in rows])
        self.assertEqual(('0.0200', '10.00', None), rows[0][6:9])
        self.assertEqual(('0.0800', None, None), rows[1][6:9])
        self.assertEqual({'flavor_name': 'm1.large'},
                         rows[1][4].machine_readable())
        self.assertCalls(
            ('GET', BASE + '/products?service=instance&region=RegionOne'
             '&active_at=2026-11-15T00%3A00%3A00%2B00%3A00', None),
            ('GET', BASE + '/products?service=instance&region=RegionOne'
             '&active_at=2026-11-15T00%3A00%3A00%2B00%3A00&limit=1'
             '&marker=' + PID, None))

    def test_list_limit_marker(self):
        self.take(product.ListProduct, ['--limit', '5', '--marker', 'p0'],
                  products(PRODUCT))
        self.assertCalls(('GET', BASE + '/products?marker=p0&limit=5', None))

    def test_list_long_has_every_field(self):
        columns, rows = self.take(product.ListProduct, ['--long'],
                                  products(PRODUCT))
        self.assertEqual(tuple(SHOW), columns)

    def test_list_json(self):
        self.assertEqual(
            [{k: SHOW[k] for k in LIST_COLUMNS}],
            self.output_json(product.ListProduct, [], products(PRODUCT)))

    def test_list_value_prints_money_as_given(self):
        out = self.output(product.ListProduct,
                          ['-f', 'value', '-c', 'Name', '-c',
                           'On Demand Price', '-c', 'Monthly Price'],
                          products(PRODUCT))
        self.assertEqual('m1.small 0.0200 10.00\n', out)

    def test_bad_arguments(self):
        self.assertIn("argument --active-at: 'yesterday' is not an ISO 8601",
                      self.parse_error(product.ListProduct,
                                       ['--active-at', 'yesterday']))
        self.assertIn('argument --limit: must be 1 or more, not 0',
                      self.parse_error(product.ListProduct,
                                       ['--limit', '0']))


class TestShowProduct(fakes.CommandTestCase):

    def test_show(self):
        self.assertEqual(SHOW, self.output_json(
            product.ShowProduct, [PID], response(200, PRODUCT)))
        self.assertCalls(('GET', BASE + '/products/' + PID, None))

    def test_table(self):
        out = self.output(product.ShowProduct, [PID], response(200, PRODUCT))
        self.assertIn("| Match           | flavor_name='m1.small'", out)
        self.assertIn('| On Demand Price | 0.02 ', out)

    def test_id_is_quoted(self):
        self.take(product.ShowProduct, ['a/b c'], response(200, PRODUCT))
        self.assertCalls(('GET', BASE + '/products/a%2Fb%20c', None))

    def test_not_found(self):
        self.http.queue(fakes.error(404, 'product nope not found'))
        cmd, args = self.parse(product.ShowProduct, ['nope'])
        e = self.assertRaises(exceptions.CommandError, cmd.take_action, args)
        self.assertEqual('product nope not found (HTTP 404)', str(e))


class TestCreateProduct(fakes.CommandTestCase):

    def test_create_every_option(self):
        columns, values = self.take(
            product.CreateProduct,
            ['m1.small', '--service', 'instance', '--region', 'RegionOne',
             '--match', 'flavor_name=m1.small', '--match', 'state=shutoff',
             '--unit', 'hour', '--on-demand-price', '0.0200',
             '--monthly-price', '10.00', '--yearly-price', '100',
             '--currency', 'EUR', '--effective-from', '2026-11-01',
             '--effective-to', '2027-01-01T12:00:00+01:00',
             '--description', 'Small instance'],
            response(201, PRODUCT))
        self.assertCalls(('POST', BASE + '/products', {
            'name': 'm1.small', 'service': 'instance', 'region': 'RegionOne',
            'match': {'flavor_name': 'm1.small', 'state': 'shutoff'},
            'unit': 'hour', 'on_demand_price': '0.0200',
            'monthly_price': '10.00', 'yearly_price': '100',
            'currency': 'EUR',
            'effective_from': '2026-11-01T00:00:00+00:00',
            'effective_to': '2027-01-01T11:00:00+00:00',
            'description': 'Small instance'}))
        self.assertEqual(tuple(SHOW), columns)
        self.assertEqual('0.0200', values[6])

    def test_create_minimal(self):
        self.take(product.CreateProduct,
                  ['disk', '--service', 'volume.size',
                   '--on-demand-price', '0.0001'],
                  response(201, PRODUCT))
        self.assertCalls(('POST', BASE + '/products', {
            'name': 'disk', 'service': 'volume.size', 'match': {},
            'on_demand_price': '0.0001'}))

    def test_required_and_bad_arguments(self):
        self.assertIn('the following arguments are required: --service, '
                      '--on-demand-price',
                      self.parse_error(product.CreateProduct, ['x']))
        self.assertIn(
            "argument --on-demand-price: 'cheap' is not a decimal amount",
            self.parse_error(product.CreateProduct, [
                'x', '--service', 'instance', '--on-demand-price', 'cheap']))
        self.assertIn(
            "argument --match: expected key=value, got 'flavor'",
            self.parse_error(product.CreateProduct, [
                'x', '--service', 'instance', '--on-demand-price', '1',
                '--match', 'flavor']))

    def test_match_key_twice(self):
        cmd, args = self.parse(product.CreateProduct, [
            'x', '--service', 'instance', '--on-demand-price', '1',
            '--match', 'a=1', '--match', 'a=2'])
        e = self.assertRaises(exceptions.CommandError, cmd.take_action, args)
        self.assertEqual('--match a is given twice', str(e))
        self.assertCalls()

    def test_overlap_conflict(self):
        self.http.queue(fakes.error(
            409, 'product overlaps m1.small from 2026-11-01T00:00:00+00:00'))
        cmd, args = self.parse(product.CreateProduct, [
            'm1.small', '--service', 'instance', '--on-demand-price', '1'])
        e = self.assertRaises(exceptions.CommandError, cmd.take_action, args)
        self.assertEqual('product overlaps m1.small from '
                         '2026-11-01T00:00:00+00:00 (HTTP 409)', str(e))


class TestSetProduct(fakes.CommandTestCase):

    def test_rename_in_place(self):
        self.take(product.SetProduct,
                  [PID, '--name', 'small', '--description', 'd',
                   '--effective-to', '2027-01-01'],
                  response(200, PRODUCT))
        self.assertCalls(('PUT', BASE + '/products/' + PID, {
            'name': 'small', 'description': 'd',
            'effective_to': '2027-01-01T00:00:00+00:00'}))

    def test_new_price_shows_the_successor(self):
        successor = dict(PRODUCT, id='p2', on_demand_price='0.0250',
                         effective_from='2026-12-01T00:00:00+00:00')
        values = dict(zip(*self.take(
            product.SetProduct,
            [PID, '--on-demand-price', '0.0250',
             '--effective-from', '2026-12-01'],
            response(200, successor))))
        self.assertCalls(('PUT', BASE + '/products/' + PID, {
            'on_demand_price': '0.0250',
            'effective_from': '2026-12-01T00:00:00+00:00'}))
        self.assertEqual('p2', values['ID'])
        self.assertEqual('0.0250', values['On Demand Price'])

    def test_nothing_to_change(self):
        cmd, args = self.parse(product.SetProduct, [PID])
        e = self.assertRaises(exceptions.CommandError, cmd.take_action, args)
        self.assertIn('nothing to change', str(e))
        self.assertCalls()

    def test_effective_from_needs_a_price(self):
        cmd, args = self.parse(product.SetProduct,
                               [PID, '--effective-from', '2026-12-01'])
        e = self.assertRaises(exceptions.CommandError, cmd.take_action, args)
        self.assertEqual('--effective-from dates a new price: give '
                         '--on-demand-price, --monthly-price or '
                         '--yearly-price with it', str(e))
        self.assertCalls()


class TestDeleteProduct(fakes.CommandTestCase):

    def test_delete_several(self):
        self.take(product.DeleteProduct, ['p1', 'p2'],
                  response(204), response(204))
        self.assertCalls(('DELETE', BASE + '/products/p1', None),
                         ('DELETE', BASE + '/products/p2', None))

    def test_delete_goes_on_and_reports_failures(self):
        self.http.queue(fakes.error(409, 'product p1 is used by order o1'),
                        response(204))
        cmd, args = self.parse(product.DeleteProduct, ['p1', 'p2'])
        e = self.assertRaises(exceptions.CommandError, cmd.take_action, args)
        self.assertEqual('failed to delete 1 of 2 products: p1: product p1 '
                         'is used by order o1 (HTTP 409)', str(e))
        self.assertEqual(2, len(self.http.calls))
