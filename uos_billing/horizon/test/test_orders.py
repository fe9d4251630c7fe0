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
"""Project > Billing > Orders: list, buy (quote first), cancel, renew,
auto-renew, and the API's refusals as messages."""

import datetime
import decimal
from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers

from uos_billing.horizon import api
from uos_billing.horizon.test import base
from uos_billing.horizon.test import fixtures

INDEX_URL = reverse('horizon:project:billing_orders:index')
BUY_URL = reverse('horizon:project:billing_orders:buy')
NOW = datetime.datetime(2026, 11, 16, 0, 0, tzinfo=datetime.timezone.utc)


def cancel_url(order_id):
    return reverse('horizon:project:billing_orders:cancel', args=(order_id,))


def renew_url(order_id):
    return reverse('horizon:project:billing_orders:renew', args=(order_id,))


def instance(id, name, flavor_name='m1.small', flavor_id='f1'):
    return api.BillingObject({'id': id, 'name': name, 'status': 'ACTIVE',
                              'flavor_id': flavor_id,
                              'flavor_name': flavor_name})


class OrdersIndexTests(base.TestCase):

    @helpers.create_mocks({api: ['order_list', 'project_instances',
                                 'account_get']})
    def test_index_lists_orders_with_instance_names(self):
        project = self.tenant.id
        self.mock_order_list.return_value = (
            [fixtures.order('o1', project, 'vm-1', auto_renew=True),
             fixtures.order('o2', project, 'vm-gone', mode='yearly',
                            status='cancelled')], False)
        self.mock_project_instances.return_value = [instance('vm-1', 'web')]
        self.mock_account_get.return_value = fixtures.account(project)

        res = self.client.get(INDEX_URL)

        self.assertTemplateUsed(res, 'uos_billing/orders/index.html')
        for text in ('web', 'vm-gone', 'Monthly', 'Yearly', 'Cancelled',
                     '30.00 EUR', '2026-12-01 00:00 UTC', 'Yes',
                     'Buy a term'):
            self.assertContains(res, text)
        table = res.context['table']
        orders = {order.id: order for order in table.data}
        self.assertEqual(['cancel', 'renew', 'auto_renew_off'],
                         [a.name for a in
                          table.get_row_actions(orders['o1'])])
        self.assertEqual([], table.get_row_actions(orders['o2']))
        self.mock_order_list.assert_called_once_with(
            helpers.IsHttpRequest(), project_id=project, marker=None)

    @helpers.create_mocks({api: ['order_list']})
    def test_index_error_is_a_message(self):
        self.mock_order_list.side_effect = base.api_error(
            403, 'policy does not allow billing:order:get_all')

        res = self.client.get(INDEX_URL)

        self.assertEqual(200, res.status_code)
        self.assertMessage(res, 'error', 'The orders could not be listed. '
                           'You are not allowed to do this.')

    @helpers.create_mocks({api: ['order_list', 'project_instances',
                                 'account_get', 'order_set_auto_renew']})
    def test_turn_auto_renew_on(self):
        project = self.tenant.id
        self.mock_order_list.return_value = (
            [fixtures.order('o1', project, 'vm-1')], False)
        self.mock_project_instances.return_value = []
        self.mock_account_get.return_value = fixtures.account(project)
        self.mock_order_set_auto_renew.return_value = fixtures.order(
            'o1', project, 'vm-1', auto_renew=True)

        res = self.client.post(INDEX_URL,
                               {'action': 'orders__auto_renew_on__o1'})

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.mock_order_set_auto_renew.assert_called_once_with(
            helpers.IsHttpRequest(), 'o1', True)
        self.assertMessage(None, 'success', 'Order o1 will renew')

    @helpers.create_mocks({api: ['order_list', 'project_instances',
                                 'account_get', 'order_set_auto_renew']})
    def test_turn_auto_renew_off_refused(self):
        project = self.tenant.id
        self.mock_order_list.return_value = (
            [fixtures.order('o1', project, 'vm-1', auto_renew=True)], False)
        self.mock_project_instances.return_value = []
        self.mock_account_get.return_value = fixtures.account(project)
        self.mock_order_set_auto_renew.side_effect = base.api_error(
            409, 'order o1 is cancelled')

        res = self.client.post(INDEX_URL,
                               {'action': 'orders__auto_renew_off__o1'})

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertMessage(None, 'error', 'Auto-renew was not turned off. It '
                           'conflicts with the current state: order o1 is '
                           'cancelled.')


class BuyTermTests(base.TestCase):

    def _form(self, **extra):
        data = {'instance': 'vm-1', 'mode': 'monthly', 'count': '2',
                'auto_renew': 'on'}
        data.update(extra)
        return data

    @helpers.create_mocks({api: ['project_instances']})
    def test_form_lists_the_project_instances(self):
        self.mock_project_instances.return_value = [
            instance('vm-1', 'web'), instance('vm-2', 'db', 'm1.large')]

        res = self.client.get(BUY_URL)

        self.assertTemplateUsed(res, 'uos_billing/orders/buy.html')
        self.assertContains(res, 'web (m1.small)')
        self.assertContains(res, 'db (m1.large)')
        self.assertContains(res, 'Get a quote')
        # Drawn once for this form: the quote step and the purchase carry it.
        key = res.context['form'].initial['idempotency_key']
        self.assertTrue(key.startswith('horizon-'), key)
        self.assertContains(res, 'name="idempotency_key" value="%s"' % key)
        again = self.client.get(BUY_URL)
        self.assertNotEqual(key,
                            again.context['form'].initial['idempotency_key'])

    @helpers.create_mocks({api: ['project_instances', 'quote',
                                 'order_create']})
    def test_first_submit_shows_the_quote_and_buys_nothing(self):
        self.mock_project_instances.return_value = [instance('vm-1', 'web')]
        self.mock_quote.return_value = fixtures.quote(
            total='60.0000000000', count=2)

        res = self.client.post(BUY_URL, self._form(
            idempotency_key='horizon-b1'))

        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'name="idempotency_key" value="horizon-b1"')
        self.assertContains(res, 'id="billing-quote-total">60.00 EUR')
        self.assertContains(res, 'Confirm and pay')
        self.assertContains(res, 'name="quoted_total" value="60.0000000000"')
        self.assertContains(res, 'name="confirmed" value="True"')
        self.mock_quote.assert_called_once_with(helpers.IsHttpRequest(), [{
            'service': 'instance', 'qty': '1', 'mode': 'monthly',
            'count': 2, 'fields': {'state': 'running', 'flavor_id': 'f1',
                                   'flavor_name': 'm1.small'}}])
        self.mock_order_create.assert_not_called()

    @helpers.create_mocks({api: ['project_instances', 'quote',
                                 'order_create']})
    def test_confirmed_submit_buys_at_the_quoted_price(self):
        project = self.tenant.id
        self.mock_project_instances.return_value = [instance('vm-1', 'web')]
        self.mock_quote.return_value = fixtures.quote(
            total='60.0000000000', count=2)
        self.mock_order_create.return_value = fixtures.order(
            'o9', project, 'vm-1', count=2)

        res = self.client.post(BUY_URL, self._form(
            confirmed='True', quoted_total='60.0000000000',
            quoted_product='prod-1', idempotency_key='horizon-b1'))

        self.assertNoFormErrors(res)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.mock_order_create.assert_called_once_with(
            helpers.IsHttpRequest(), 'vm-1', 'prod-1', 'monthly', 2,
            auto_renew=True, idempotency_key='horizon-b1')
        self.assertMessage(None, 'success', 'Bought 2 monthly term(s) for '
                           'web: 60.00 EUR paid.')

    @helpers.create_mocks({api: ['project_instances', 'quote',
                                 'order_create']})
    def test_changed_price_is_quoted_again_not_bought(self):
        self.mock_project_instances.return_value = [instance('vm-1', 'web')]
        self.mock_quote.return_value = fixtures.quote(
            total='70.0000000000', count=2)

        res = self.client.post(BUY_URL, self._form(
            confirmed='True', quoted_total='60.0000000000',
            quoted_product='prod-1'))

        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'id="billing-quote-total">70.00 EUR')
        self.assertMessage(res, 'warning', 'The price changed')
        self.mock_order_create.assert_not_called()

    @helpers.create_mocks({api: ['project_instances', 'quote',
                                 'order_create']})
    def test_insufficient_funds_say_how_much_is_missing(self):
        self.mock_project_instances.return_value = [instance('vm-1', 'web')]
        self.mock_quote.return_value = fixtures.quote(
            total='60.0000000000', count=2)
        self.mock_order_create.side_effect = base.api_error(
            402, 'insufficient funds', missing=decimal.Decimal(
                '9.5000000000'), currency='EUR')

        res = self.client.post(BUY_URL, self._form(
            confirmed='True', quoted_total='60.0000000000',
            quoted_product='prod-1'))

        self.assertEqual(200, res.status_code)
        self.assertMessage(res, 'error', 'The term was not bought. The '
                           'account is 9.50 EUR short: recharge it, or ask '
                           'an administrator for a higher credit limit.')
        self.assertContains(res, 'Get a quote')
        self.assertNotContains(res, 'Traceback')

    @helpers.create_mocks({api: ['project_instances', 'quote',
                                 'order_create']})
    def test_conflict_and_forbidden_are_messages(self):
        self.mock_project_instances.return_value = [instance('vm-1', 'web')]
        self.mock_quote.return_value = fixtures.quote(
            total='60.0000000000', count=2)
        confirmed = self._form(confirmed='True',
                               quoted_total='60.0000000000',
                               quoted_product='prod-1')
        for error, text in (
                (base.api_error(409, 'vm-1 already has an active order'),
                 'It conflicts with the current state: vm-1 already has '
                 'an active order.'),
                (base.api_error(403, 'policy'),
                 'You are not allowed to do this.')):
            self.mock_order_create.side_effect = error
            res = self.client.post(BUY_URL, confirmed)
            self.assertMessage(res, 'error', 'The term was not bought. ' +
                               text)

    @helpers.create_mocks({api: ['project_instances', 'quote']})
    def test_no_price_for_the_instance(self):
        self.mock_project_instances.return_value = [instance('vm-1', 'web')]
        self.mock_quote.side_effect = base.api_error(
            400, 'no product prices instance with these fields',
            field='items.0.fields')

        res = self.client.post(BUY_URL, self._form())

        self.assertMessage(res, 'error', 'No price could be found for this '
                           'term. The value of "items.0.fields" was refused')

    @helpers.create_mocks({api: ['project_instances', 'quote']})
    def test_too_many_yearly_terms(self):
        self.mock_project_instances.return_value = [instance('vm-1', 'web')]

        res = self.client.post(BUY_URL, self._form(mode='yearly',
                                                   count='11'))

        self.assertFormErrors(res, 1, 'At most 10 yearly terms.')
        self.mock_quote.assert_not_called()


@mock.patch('uos_billing.horizon.display.utcnow', return_value=NOW)
class CancelAndRenewTests(base.TestCase):

    def _order(self):
        self.mock_order_get.return_value = fixtures.order(
            'o1', self.tenant.id, 'vm-1')
        self.mock_account_get.return_value = fixtures.account(self.tenant.id)

    @helpers.create_mocks({api: ['order_get', 'account_get',
                                 'transaction_list_all']})
    def test_cancel_shows_the_refund_first(self, _now):
        self._order()
        project = self.tenant.id
        self.mock_transaction_list_all.return_value = [
            fixtures.transaction(
                5, project, kind='order_payment', amount='-30.0000000000',
                order_id='o1', period_begin='2026-11-01T00:00:00+00:00',
                period_end='2026-12-01T00:00:00+00:00'),
            fixtures.transaction(
                6, project, kind='order_payment', amount='-99.0000000000',
                order_id='other', period_begin='2026-11-01T00:00:00+00:00',
                period_end='2026-12-01T00:00:00+00:00')]

        res = self.client.get(cancel_url('o1'))

        self.assertTemplateUsed(res, 'uos_billing/orders/cancel.html')
        # 15 of the 30 paid days are left: half of 30.
        self.assertContains(res, 'id="billing-refund-amount">15.00 EUR')
        key = res.context['form'].initial['idempotency_key']
        self.assertTrue(key.startswith('horizon-'), key)
        self.assertContains(res, 'name="idempotency_key" value="%s"' % key)
        self.mock_transaction_list_all.assert_called_once_with(
            helpers.IsHttpRequest(), project, kind='order_payment')

    @helpers.create_mocks({api: ['order_get', 'account_get',
                                 'transaction_list_all', 'order_cancel']})
    def test_cancel_confirmed(self, _now):
        self._order()
        self.mock_order_cancel.return_value = fixtures.order(
            'o1', self.tenant.id, 'vm-1', status='cancelled',
            refund=decimal.Decimal('14.9900000000'))

        res = self.client.post(cancel_url('o1'), {
            'order_id': 'o1', 'idempotency_key': 'horizon-c1'})

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.mock_order_cancel.assert_called_once_with(
            helpers.IsHttpRequest(), 'o1', idempotency_key='horizon-c1')
        self.assertMessage(None, 'success',
                           'Order o1 cancelled: 14.99 EUR refunded.')

    @helpers.create_mocks({api: ['order_get', 'account_get',
                                 'transaction_list_all', 'order_cancel']})
    def test_cancel_refused(self, _now):
        self._order()
        self.mock_transaction_list_all.return_value = []
        self.mock_order_cancel.side_effect = base.api_error(
            409, 'order o1 is not active')

        res = self.client.post(cancel_url('o1'), {'order_id': 'o1'})

        self.assertEqual(200, res.status_code)
        self.assertMessage(res, 'error', 'The order was not cancelled. It '
                           'conflicts with the current state: order o1 is '
                           'not active.')

    @helpers.create_mocks({api: ['order_get']})
    def test_unknown_order_goes_back_to_the_list(self, _now):
        self.mock_order_get.side_effect = base.api_error(404, 'no order x')

        res = self.client.get(cancel_url('x'))

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertMessage(None, 'error', 'The order could not be shown. It '
                           'does not exist (any more).')


RENEW_MOCKS = {api: ['order_get', 'account_get', 'order_renewal',
                     'order_renew']}


@mock.patch('uos_billing.horizon.display.utcnow', return_value=NOW)
class RenewTests(base.TestCase):
    """Renew now: the API's renewal quote shown, confirmed, re-checked."""

    def setUp(self):
        super().setUp()
        self.project = self.tenant.id

    def _order(self, **fields):
        self.mock_order_get.return_value = fixtures.order(
            'o1', self.project, 'vm-1', **fields)
        self.mock_account_get.return_value = fixtures.account(self.project)

    def _renewal(self, **fields):
        # After a price change: 3 x 37.00 from Dec 1, not 3 x 30.00.
        values = dict(price='111.0000000000', unit_price='37.0000000000',
                      count=3, product_id='prod-2',
                      term_end='2027-03-01T00:00:00+00:00')
        values.update(fields)
        return fixtures.renewal('o1', self.project, **values)

    def _confirm(self, **fields):
        data = {'order_id': 'o1', 'quoted_price': '111.0000000000',
                'quoted_product': 'prod-2',
                'quoted_term_start': '2026-12-01T00:00:00+00:00',
                'quoted_term_end': '2027-03-01T00:00:00+00:00',
                'idempotency_key': 'horizon-r1'}
        data.update(fields)
        return self.client.post(renew_url('o1'), data)

    @helpers.create_mocks(RENEW_MOCKS)
    def test_shows_the_quoted_price_not_unit_price_times_count(self, _now):
        self._order(count=3)
        self.mock_order_renewal.return_value = self._renewal()

        res = self.client.get(renew_url('o1'))

        self.assertTemplateUsed(res, 'uos_billing/orders/renew.html')
        self.assertContains(res, 'id="billing-renew-price">111.00 EUR')
        # 3 x the order's 30.00 is not what renewing charges.
        self.assertNotContains(res, '90.00 EUR')
        self.assertContains(res, 'id="billing-renew-unit-price">37.00 EUR')
        self.assertContains(res, 'the order was paid at 30.00 EUR, its '
                            'renewal costs 37.00 EUR per term')
        self.assertContains(res, 'from 2026-12-01 00:00 UTC to <span '
                            'id="billing-renew-term-end">2027-03-01 00:00 '
                            'UTC')
        self.assertContains(res, 'id="billing-renew-available">170.50 EUR')
        self.assertNotContains(res, 'billing-renew-missing')
        self.assertContains(res, 'name="quoted_price" '
                            'value="111.0000000000"')
        self.assertContains(res, 'name="quoted_product" value="prod-2"')
        self.assertContains(res, 'name="quoted_term_end" '
                            'value="2027-03-01T00:00:00+00:00"')
        # The current term's end, which the renewal states to the API.
        self.assertContains(res, 'name="quoted_term_start" '
                            'value="2026-12-01T00:00:00+00:00"')
        key = res.context['form'].initial['idempotency_key']
        self.assertContains(res, 'name="idempotency_key" value="%s"' % key)
        self.mock_order_renewal.assert_called_once_with(
            helpers.IsHttpRequest(), 'o1')
        self.mock_order_renew.assert_not_called()

    @helpers.create_mocks(RENEW_MOCKS)
    def test_unchanged_price_shows_no_change_note(self, _now):
        self._order()
        self.mock_order_renewal.return_value = fixtures.renewal(
            'o1', self.project)

        res = self.client.get(renew_url('o1'))

        self.assertContains(res, 'id="billing-renew-price">30.00 EUR')
        self.assertNotContains(res, 'billing-renew-price-changed')

    @helpers.create_mocks(RENEW_MOCKS)
    def test_missing_funds_are_shown_before_confirming(self, _now):
        self._order(count=3)
        self.mock_order_renewal.return_value = self._renewal(
            available='100.0000000000', missing='11.0000000000')

        res = self.client.get(renew_url('o1'))

        self.assertContains(res, 'The account is 11.00 EUR short')

    @helpers.create_mocks(RENEW_MOCKS)
    def test_a_renewal_the_api_refuses_goes_back_to_the_list(self, _now):
        # An on-demand order (reached by its URL: the row has no Renew
        # action) or a cancelled one: the quote is refused as renewing is.
        self._order(mode='on_demand', unit_price=None, count=None,
                    term_end=None)
        self.mock_order_renewal.side_effect = base.api_error(
            409, 'order o1 is on demand: there is no term to cancel or '
                 'renew')

        res = self.client.get(renew_url('o1'))

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertMessage(None, 'error', 'The order cannot be renewed. It '
                           'conflicts with the current state: order o1 is '
                           'on demand: there is no term to cancel or '
                           'renew.')

    @helpers.create_mocks(RENEW_MOCKS)
    def test_confirm_with_the_same_quote_renews(self, _now):
        self._order(count=3)
        self.mock_order_renewal.return_value = self._renewal()
        self.mock_order_renew.return_value = fixtures.order(
            'o1', self.project, 'vm-1', count=3, product_id='prod-2',
            unit_price=decimal.Decimal('37.0000000000'),
            term_end='2027-03-01T00:00:00+00:00')

        res = self._confirm()

        self.assertNoFormErrors(res)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.mock_order_renewal.assert_called_once_with(
            helpers.IsHttpRequest(), 'o1')
        self.mock_order_renew.assert_called_once_with(
            helpers.IsHttpRequest(), 'o1', '2026-12-01T00:00:00+00:00',
            idempotency_key='horizon-r1')
        self.assertMessage(None, 'success', 'Order o1 renewed for 111.00 '
                           'EUR: its term now ends 2027-03-01 00:00 UTC.')

    @helpers.create_mocks(RENEW_MOCKS)
    def test_confirm_after_a_price_change_does_not_renew(self, _now):
        self._order(count=3)
        # The page showed 111.00 (prod-2); the price changed again since.
        self.mock_order_renewal.return_value = self._renewal(
            price='120.0000000000', unit_price='40.0000000000',
            product_id='prod-3')

        res = self._confirm()

        self.assertEqual(200, res.status_code)
        self.mock_order_renew.assert_not_called()
        self.assertMessage(res, 'warning', 'The order was not renewed: the '
                           'price changed since it was shown. Renewing now '
                           'costs 120.00 EUR; check it and confirm again.')
        self.assertContains(res, 'id="billing-renew-price">120.00 EUR')
        # Confirming again is confirming the new price.
        self.assertContains(res, 'name="quoted_price" '
                            'value="120.0000000000"')
        self.assertContains(res, 'name="quoted_product" value="prod-3"')

    @helpers.create_mocks(RENEW_MOCKS)
    def test_confirm_after_a_new_product_at_the_same_price(self, _now):
        self._order(count=3)
        self.mock_order_renewal.return_value = self._renewal(
            product_id='prod-3')

        res = self._confirm()

        self.assertEqual(200, res.status_code)
        self.mock_order_renew.assert_not_called()
        self.assertMessage(res, 'warning', 'The order was not renewed: the '
                           'price list changed since the price was shown '
                           '(product prod-3 now prices the renewal, at '
                           '111.00 EUR)')
        self.assertContains(res, 'name="quoted_product" value="prod-3"')

    @helpers.create_mocks(RENEW_MOCKS)
    def test_confirm_without_a_quote_does_not_renew(self, _now):
        self._order(count=3)
        self.mock_order_renewal.return_value = self._renewal()

        res = self.client.post(renew_url('o1'), {'order_id': 'o1'})

        self.assertEqual(200, res.status_code)
        self.mock_order_renew.assert_not_called()
        self.assertMessage(res, 'warning', 'The order was not renewed: no '
                           'price was shown. Renewing now costs 111.00 EUR; '
                           'check it and confirm.')
        self.assertContains(res, 'id="billing-renew-price">111.00 EUR')
        self.assertContains(res, 'name="quoted_price" '
                            'value="111.0000000000"')

    @helpers.create_mocks(RENEW_MOCKS)
    def test_confirm_after_the_term_moved_does_not_renew_twice(self, _now):
        # Renewed meanwhile (another tab, a double click): the same price,
        # but the term it would pay is the one after.
        self._order(count=3)
        self.mock_order_renewal.return_value = self._renewal(
            term_start='2027-03-01T00:00:00+00:00',
            term_end='2027-06-01T00:00:00+00:00')

        res = self._confirm()

        self.assertEqual(200, res.status_code)
        self.mock_order_renew.assert_not_called()
        self.assertMessage(res, 'warning', 'The order was not renewed: its '
                           'term changed since the price was shown (was it '
                           'renewed meanwhile?). The next term now ends '
                           '2027-06-01 00:00 UTC and costs 111.00 EUR')

    @helpers.create_mocks(RENEW_MOCKS)
    def test_renew_without_money_says_how_much_is_missing(self, _now):
        self._order(count=3)
        self.mock_order_renewal.return_value = self._renewal()
        self.mock_order_renew.side_effect = base.api_error(
            402, 'insufficient funds', missing=decimal.Decimal('12'),
            currency='EUR')

        res = self._confirm()

        self.assertEqual(200, res.status_code)
        self.assertMessage(res, 'error', 'The order was not renewed. The '
                           'account is 12.00 EUR short: recharge it, or ask '
                           'an administrator for a higher credit limit.')
        self.assertContains(res, 'id="billing-renew-price">111.00 EUR')
        self.assertNotContains(res, 'Traceback')

    @helpers.create_mocks(RENEW_MOCKS)
    def test_renew_without_a_missing_amount(self, _now):
        self._order(count=3)
        self.mock_order_renewal.return_value = self._renewal()
        self.mock_order_renew.side_effect = base.api_error(
            402, 'insufficient funds')

        res = self._confirm()

        self.assertMessage(res, 'error', 'The order was not renewed. The '
                           'account does not have enough money')

    @helpers.create_mocks(RENEW_MOCKS)
    def test_conflict_and_forbidden_are_messages(self, _now):
        self._order(count=3)
        self.mock_order_renewal.return_value = self._renewal()
        for error, text in (
                (base.api_error(409, 'account of project p is frozen'),
                 'It conflicts with the current state: account of project '
                 'p is frozen.'),
                (base.api_error(403, 'policy does not allow '
                                     'billing:order:renew'),
                 'You are not allowed to do this.')):
            self.mock_order_renew.side_effect = error
            res = self._confirm()
            self.assertEqual(200, res.status_code)
            self.assertMessage(res, 'error', 'The order was not renewed. ' +
                               text)

    @helpers.create_mocks(RENEW_MOCKS)
    def test_a_refused_quote_on_confirm_renews_nothing(self, _now):
        self._order(count=3)
        self.mock_order_renewal.side_effect = base.api_error(
            409, 'order o1 is already cancelled')

        res = self._confirm()

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.mock_order_renew.assert_not_called()
        self.assertMessage(None, 'error', 'The order was not renewed. It '
                           'conflicts with the current state: order o1 is '
                           'already cancelled.')
