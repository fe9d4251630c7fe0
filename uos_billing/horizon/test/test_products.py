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
"""Admin > Billing > Products: list, create, edit (new prices), end, delete."""

import datetime
import decimal
from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers

from uos_billing.horizon import api
from uos_billing.horizon.test import base
from uos_billing.horizon.test import fixtures

INDEX_URL = reverse('horizon:admin:billing_products:index')
CREATE_URL = reverse('horizon:admin:billing_products:create')
NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.timezone.utc)
D = decimal.Decimal


def edit_url(product_id):
    return reverse('horizon:admin:billing_products:edit', args=(product_id,))


def end_url(product_id):
    return reverse('horizon:admin:billing_products:end', args=(product_id,))


@mock.patch('uos_billing.horizon.display.utcnow', return_value=NOW)
class ProductsIndexTests(base.AdminTestCase):

    @helpers.create_mocks({api: ['product_list']})
    def test_index_lists_the_price_book(self, _now):
        self.mock_product_list.return_value = (
            [fixtures.product('p1'),
             fixtures.product('p2', name='old', currency='JPY',
                              on_demand_price=D('5.0000000000'),
                              monthly_price=None, yearly_price=None,
                              effective_to='2026-06-01T00:00:00+00:00')],
            True)

        res = self.client.get(INDEX_URL)

        self.assertTemplateUsed(res, 'uos_billing/products/index.html')
        for text in ('m1.small running', 'flavor_name=m1.small',
                     '0.05 EUR', '30.00 EUR', '300.00 EUR', '5 JPY',
                     '2026-06-01 00:00 UTC', 'marker=p2', 'Create product'):
            self.assertContains(res, text)
        table = res.context['table']
        products = {p.id: p for p in table.data}
        self.assertEqual(['edit', 'end', 'delete'],
                         [a.name for a in table.get_row_actions(
                             products['p1'])])
        self.assertEqual(['delete'], [a.name for a in table.get_row_actions(
            products['p2'])])
        self.mock_product_list.assert_called_once_with(
            helpers.IsHttpRequest(), marker=None)

    @helpers.create_mocks({api: ['product_list']})
    def test_member_is_refused_as_a_message(self, _now):
        self.mock_product_list.side_effect = base.api_error(403)

        res = self.client.get(INDEX_URL)

        self.assertEqual(200, res.status_code)
        self.assertMessage(res, 'error', 'The price book could not be '
                           'listed. You are not allowed to do this.')

    @helpers.create_mocks({api: ['product_list', 'product_delete']})
    def test_delete(self, _now):
        self.mock_product_list.return_value = ([fixtures.product('p1')],
                                               False)
        self.mock_product_delete.return_value = None

        res = self.client.post(INDEX_URL, {'action': 'products__delete__p1'})

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.mock_product_delete.assert_called_once_with(
            helpers.IsHttpRequest(), 'p1')

    @helpers.create_mocks({api: ['product_list', 'product_delete']})
    def test_delete_of_a_used_product_says_why(self, _now):
        self.mock_product_list.return_value = ([fixtures.product('p1')],
                                               False)
        self.mock_product_delete.side_effect = base.api_error(
            409, 'product p1 is used by orders; end it instead')

        res = self.client.post(INDEX_URL, {'action': 'products__delete__p1'})

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertMessage(None, 'error', 'Product p1 was not deleted. It '
                           'conflicts with the current state: product p1 is '
                           'used by orders; end it instead.')


class CreateProductTests(base.AdminTestCase):

    def _form(self, **extra):
        data = {'name': 'm1.large running', 'service': 'instance',
                'region': '*', 'match': 'flavor_name=m1.large, '
                'state=running', 'unit': 'hour', 'on_demand_price': '0.08',
                'monthly_price': '40.00', 'yearly_price': '',
                'currency': 'eur', 'effective_from': '2026-12-01 00:00',
                'effective_to': '', 'description': ''}
        data.update(extra)
        return data

    def test_form(self):
        res = self.client.get(CREATE_URL)
        self.assertTemplateUsed(res, 'uos_billing/products/create.html')
        self.assertContains(res, 'name="on_demand_price"')

    @helpers.create_mocks({api: ['product_create']})
    def test_create(self):
        self.mock_product_create.return_value = fixtures.product(
            'p9', name='m1.large running')

        res = self.client.post(CREATE_URL, self._form())

        self.assertNoFormErrors(res)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.mock_product_create.assert_called_once_with(
            helpers.IsHttpRequest(), name='m1.large running',
            service='instance', region='*',
            match={'flavor_name': 'm1.large', 'state': 'running'},
            unit='hour', on_demand_price=D('0.08'), monthly_price=D('40.00'),
            currency='EUR', effective_from='2026-12-01T00:00:00+00:00')
        price = self.mock_product_create.call_args.kwargs['on_demand_price']
        self.assertIsInstance(price, decimal.Decimal)
        self.assertMessage(None, 'success', 'Product "m1.large running" '
                           'created (p9).')

    @helpers.create_mocks({api: ['product_create']})
    def test_bad_match_is_a_form_error(self):
        res = self.client.post(CREATE_URL, self._form(match='flavor_name'))

        self.assertFormErrors(res, 1, '"flavor_name" is not key=value.')
        self.mock_product_create.assert_not_called()

    @helpers.create_mocks({api: ['product_create']})
    def test_refused_field_is_shown_under_it(self):
        self.mock_product_create.side_effect = base.api_error(
            400, 'unknown currency', field='currency')

        res = self.client.post(CREATE_URL, self._form(currency='XXZ'))

        self.assertFormErrors(res, 1, 'The value of "currency" was refused: '
                              'unknown currency.')

    @helpers.create_mocks({api: ['product_create']})
    def test_overlapping_product_is_a_message(self):
        self.mock_product_create.side_effect = base.api_error(
            409, 'overlaps product p1')

        res = self.client.post(CREATE_URL, self._form())

        self.assertMessage(res, 'error', 'The product was not created. It '
                           'conflicts with the current state: overlaps '
                           'product p1.')


@mock.patch('uos_billing.horizon.display.utcnow', return_value=NOW)
class EditAndEndProductTests(base.AdminTestCase):

    def _form(self, **extra):
        data = {'product_id': 'p1', 'name': 'm1.small running',
                'description': '', 'on_demand_price': '0.05',
                'monthly_price': '30', 'yearly_price': '300',
                'effective_from': ''}
        data.update(extra)
        return data

    @helpers.create_mocks({api: ['product_get']})
    def test_edit_form_shows_the_product(self, _now):
        self.mock_product_get.return_value = fixtures.product('p1')

        res = self.client.get(edit_url('p1'))

        self.assertTemplateUsed(res, 'uos_billing/products/edit.html')
        self.assertContains(res, 'value="m1.small running"')
        self.assertContains(res, 'value="30.0000000000"')

    @helpers.create_mocks({api: ['product_get', 'product_update']})
    def test_new_prices_make_a_successor(self, _now):
        self.mock_product_get.return_value = fixtures.product('p1')
        self.mock_product_update.return_value = fixtures.product(
            'p2', monthly_price=D('35'),
            effective_from='2027-01-01T00:00:00+00:00')

        res = self.client.post(edit_url('p1'), self._form(
            monthly_price='35.00', effective_from='2027-01-01 00:00'))

        self.assertNoFormErrors(res)
        self.mock_product_update.assert_called_once_with(
            helpers.IsHttpRequest(), 'p1', monthly_price=D('35.00'),
            effective_from='2027-01-01T00:00:00+00:00')
        self.assertMessage(None, 'success', 'New prices take effect '
                           '2027-01-01 00:00 UTC as product p2; product p1 '
                           'ends then.')

    @helpers.create_mocks({api: ['product_get', 'product_update']})
    def test_rename_only_changes_in_place(self, _now):
        self.mock_product_get.return_value = fixtures.product('p1')
        self.mock_product_update.return_value = fixtures.product(
            'p1', name='small')

        res = self.client.post(edit_url('p1'), self._form(name='small'))

        self.assertNoFormErrors(res)
        self.mock_product_update.assert_called_once_with(
            helpers.IsHttpRequest(), 'p1', name='small')
        self.assertMessage(None, 'success', 'Product p1 changed.')

    @helpers.create_mocks({api: ['product_get', 'product_update']})
    def test_nothing_changed(self, _now):
        self.mock_product_get.return_value = fixtures.product('p1')

        res = self.client.post(edit_url('p1'), self._form())

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.mock_product_update.assert_not_called()

    @helpers.create_mocks({api: ['product_get', 'product_update']})
    def test_edit_refused(self, _now):
        self.mock_product_get.return_value = fixtures.product('p1')
        self.mock_product_update.side_effect = base.api_error(
            409, 'the new prices overlap product p3')

        res = self.client.post(edit_url('p1'), self._form(
            on_demand_price='0.06'))

        self.assertEqual(200, res.status_code)
        self.assertMessage(res, 'error', 'The product was not changed. It '
                           'conflicts with the current state: the new prices '
                           'overlap product p3.')

    @helpers.create_mocks({api: ['product_get']})
    def test_unknown_product(self, _now):
        self.mock_product_get.side_effect = base.api_error(404)

        res = self.client.get(edit_url('nope'))

        self.assertRedirectsNoFollow(res, INDEX_URL)

    @helpers.create_mocks({api: ['product_get', 'product_update']})
    def test_end_now(self, _now):
        self.mock_product_get.return_value = fixtures.product('p1')
        self.mock_product_update.return_value = fixtures.product(
            'p1', effective_to='2026-11-22T12:00:00+00:00')

        res = self.client.post(end_url('p1'), {'product_id': 'p1',
                                               'effective_to': ''})

        self.assertNoFormErrors(res)
        self.mock_product_update.assert_called_once_with(
            helpers.IsHttpRequest(), 'p1',
            effective_to='2026-11-22T12:00:00+00:00')
        self.assertMessage(None, 'success', 'Product p1 ends 2026-11-22 '
                           '12:00 UTC.')

    @helpers.create_mocks({api: ['product_get', 'product_update']})
    def test_end_refused(self, _now):
        self.mock_product_get.return_value = fixtures.product('p1')
        self.mock_product_update.side_effect = base.api_error(
            400, 'ends before it starts', field='effective_to')

        res = self.client.post(end_url('p1'), {
            'product_id': 'p1', 'effective_to': '2020-01-01 00:00'})

        self.assertFormErrors(res, 1, 'The value of "effective_to" was '
                              'refused: ends before it starts.')
