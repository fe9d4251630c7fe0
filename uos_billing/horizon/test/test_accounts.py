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
"""Admin > Billing > Accounts: list, recharge, credit limit, freeze."""

import decimal
from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers

from uos_billing.horizon import api
from uos_billing.horizon.test import base
from uos_billing.horizon.test import fixtures

INDEX_URL = reverse('horizon:admin:billing_accounts:index')
D = decimal.Decimal


def recharge_url(project_id):
    return reverse('horizon:admin:billing_accounts:recharge',
                   args=(project_id,))


def credit_limit_url(project_id):
    return reverse('horizon:admin:billing_accounts:credit_limit',
                   args=(project_id,))


class AccountsIndexTests(base.AdminTestCase):

    @helpers.create_mocks({api: ['account_list_all', 'project_names']})
    def test_every_project_with_its_account(self):
        self.mock_account_list_all.return_value = [
            fixtures.account('p-a', balance=D('-3.5000000000'),
                             status='owed',
                             owed_since='2026-11-20T00:00:00+00:00'),
            fixtures.account('p-gone', currency='JPY', balance=D('1200'),
                             status='frozen')]
        self.mock_project_names.return_value = {'p-a': 'alpha',
                                                'p-b': 'beta'}

        res = self.client.get(INDEX_URL)

        self.assertTemplateUsed(res, 'uos_billing/accounts/index.html')
        table = res.context['table']
        self.assertEqual(['alpha', 'beta', 'p-gone'],
                         [row.project_name for row in table.data])
        for text in ('-3.50 EUR', 'Owed', '2026-11-20 00:00 UTC',
                     'No account yet', '1,200 JPY', 'Frozen'):
            self.assertContains(res, text)
        rows = {row.project_id: row for row in table.data}
        self.assertEqual(['recharge', 'credit_limit', 'freeze'],
                         [a.name for a in table.get_row_actions(
                             rows['p-a'])])
        self.assertEqual(['recharge', 'credit_limit', 'unfreeze'],
                         [a.name for a in table.get_row_actions(
                             rows['p-gone'])])

    @helpers.create_mocks({api: ['account_list_all']})
    def test_list_refused(self):
        self.mock_account_list_all.side_effect = base.api_error(403)

        res = self.client.get(INDEX_URL)

        self.assertEqual(200, res.status_code)
        self.assertMessage(res, 'error', 'The accounts could not be listed. '
                           'You are not allowed to do this.')

    @helpers.create_mocks({api: ['account_list_all', 'project_names',
                                 'account_update']})
    def test_freeze_and_unfreeze(self):
        self.mock_account_list_all.return_value = [
            fixtures.account('p-a'),
            fixtures.account('p-b', status='frozen')]
        self.mock_project_names.return_value = {'p-a': 'alpha',
                                                'p-b': 'beta'}
        self.mock_account_update.return_value = fixtures.account('p-a')

        res = self.client.post(INDEX_URL,
                               {'action': 'accounts__freeze__p-a'})
        self.assertRedirectsNoFollow(res, INDEX_URL)
        res = self.client.post(INDEX_URL,
                               {'action': 'accounts__unfreeze__p-b'})
        self.assertRedirectsNoFollow(res, INDEX_URL)

        self.assertEqual(
            [mock.call(helpers.IsHttpRequest(), 'p-a', frozen=True),
             mock.call(helpers.IsHttpRequest(), 'p-b', frozen=False)],
            self.mock_account_update.call_args_list)

    @helpers.create_mocks({api: ['account_list_all', 'project_names',
                                 'account_update']})
    def test_freeze_refused(self):
        self.mock_account_list_all.return_value = [fixtures.account('p-a')]
        self.mock_project_names.return_value = {'p-a': 'alpha'}
        self.mock_account_update.side_effect = base.api_error(403)

        res = self.client.post(INDEX_URL,
                               {'action': 'accounts__freeze__p-a'})

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertMessage(None, 'error', 'Project p-a was not frozen. You '
                           'are not allowed to do this.')


class RechargeTests(base.AdminTestCase):

    @helpers.create_mocks({api: ['account_get', 'project_name']})
    def test_form_shows_the_account_and_a_fresh_key(self):
        self.mock_account_get.return_value = fixtures.account('p-a')
        self.mock_project_name.return_value = 'alpha'

        res = self.client.get(recharge_url('p-a'))

        self.assertTemplateUsed(res, 'uos_billing/accounts/recharge.html')
        self.assertContains(res, 'id="billing-account-balance">120.50 EUR')
        self.assertContains(res, 'Project alpha (p-a)')
        key = res.context['form'].initial['idempotency_key']
        self.assertTrue(key.startswith('horizon-'))
        self.assertContains(res, 'value="%s"' % key)

    @helpers.create_mocks({api: ['account_get', 'project_name',
                                 'account_recharge']})
    def test_recharge(self):
        self.mock_account_get.return_value = fixtures.account('p-a')
        self.mock_project_name.return_value = 'alpha'
        self.mock_account_recharge.return_value = fixtures.transaction(
            9, 'p-a', kind='recharge', amount='25.0000000000',
            balance_after='145.5000000000')

        res = self.client.post(recharge_url('p-a'), {
            'project_id': 'p-a', 'amount': '25.00', 'note': 'invoice 7',
            'idempotency_key': 'horizon-k1'})

        self.assertNoFormErrors(res)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.mock_account_recharge.assert_called_once_with(
            helpers.IsHttpRequest(), 'p-a', D('25.00'), note='invoice 7',
            idempotency_key='horizon-k1')
        self.assertMessage(None, 'success', 'Recharged 25.00 EUR to project '
                           'alpha: the balance is now 145.50 EUR.')

    @helpers.create_mocks({api: ['account_get', 'project_name',
                                 'account_recharge']})
    def test_first_recharge_opens_the_account(self):
        self.mock_account_get.side_effect = [
            base.api_error(404), base.api_error(404),
            fixtures.account('p-b', currency='USD')]
        self.mock_project_name.return_value = 'beta'
        self.mock_account_recharge.return_value = fixtures.transaction(
            1, 'p-b', kind='recharge', amount='10.0000000000',
            balance_after='10.0000000000')

        res = self.client.get(recharge_url('p-b'))
        self.assertContains(res, 'has no account yet')
        res = self.client.post(recharge_url('p-b'), {
            'project_id': 'p-b', 'amount': '10', 'idempotency_key': 'k'})

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertMessage(None, 'success', 'Recharged 10.00 USD to project '
                           'beta: the balance is now 10.00 USD.')

    @helpers.create_mocks({api: ['account_get', 'project_name',
                                 'account_recharge']})
    def test_zero_and_bad_amounts_are_form_errors(self):
        self.mock_account_get.return_value = fixtures.account('p-a')
        self.mock_project_name.return_value = 'alpha'
        for amount, message in (('0', 'A recharge is more than zero.'),
                                ('abc', 'Enter a number.')):
            res = self.client.post(recharge_url('p-a'), {
                'project_id': 'p-a', 'amount': amount,
                'idempotency_key': 'k'})
            self.assertFormErrors(res, 1, message)
        self.mock_account_recharge.assert_not_called()

    @helpers.create_mocks({api: ['account_get', 'project_name',
                                 'account_recharge']})
    def test_too_many_places_refused_by_the_api(self):
        self.mock_account_get.return_value = fixtures.account('p-a')
        self.mock_project_name.return_value = 'alpha'
        self.mock_account_recharge.side_effect = base.api_error(
            400, 'EUR has 2 decimal places', field='amount')

        res = self.client.post(recharge_url('p-a'), {
            'project_id': 'p-a', 'amount': '1.005', 'idempotency_key': 'k'})

        self.assertFormErrors(res, 1, 'The value of "amount" was refused: '
                              'EUR has 2 decimal places.')

    @helpers.create_mocks({api: ['account_get', 'project_name',
                                 'account_recharge']})
    def test_replayed_key_with_another_amount(self):
        self.mock_account_get.return_value = fixtures.account('p-a')
        self.mock_project_name.return_value = 'alpha'
        self.mock_account_recharge.side_effect = base.api_error(
            409, 'idempotency key k was used for another recharge')

        res = self.client.post(recharge_url('p-a'), {
            'project_id': 'p-a', 'amount': '5', 'idempotency_key': 'k'})

        self.assertMessage(res, 'error', 'The account was not recharged. It '
                           'conflicts with the current state: idempotency '
                           'key k was used for another recharge.')

    @helpers.create_mocks({api: ['account_get']})
    def test_account_refused(self):
        self.mock_account_get.side_effect = base.api_error(403)

        res = self.client.get(recharge_url('p-a'))

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertMessage(None, 'error', 'The account could not be shown. '
                           'You are not allowed to do this.')


class CreditLimitTests(base.AdminTestCase):

    @helpers.create_mocks({api: ['account_get', 'project_name']})
    def test_form_starts_from_the_current_limit(self):
        self.mock_account_get.return_value = fixtures.account('p-a')
        self.mock_project_name.return_value = 'alpha'

        res = self.client.get(credit_limit_url('p-a'))

        self.assertTemplateUsed(res, 'uos_billing/accounts/credit_limit.html')
        self.assertContains(res, 'value="50.0000000000"')

    @helpers.create_mocks({api: ['account_get', 'project_name',
                                 'account_update']})
    def test_set(self):
        self.mock_account_get.return_value = fixtures.account('p-a')
        self.mock_project_name.return_value = 'alpha'
        self.mock_account_update.return_value = fixtures.account(
            'p-a', credit_limit=D('75.0000000000'))

        res = self.client.post(credit_limit_url('p-a'), {
            'project_id': 'p-a', 'credit_limit': '75'})

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.mock_account_update.assert_called_once_with(
            helpers.IsHttpRequest(), 'p-a', credit_limit=D('75'))
        self.assertMessage(None, 'success', 'The credit limit of project '
                           'alpha is now 75.00 EUR.')

    @helpers.create_mocks({api: ['account_get', 'project_name',
                                 'account_update']})
    def test_negative_and_refused(self):
        self.mock_account_get.return_value = fixtures.account('p-a')
        self.mock_project_name.return_value = 'alpha'
        res = self.client.post(credit_limit_url('p-a'), {
            'project_id': 'p-a', 'credit_limit': '-1'})
        self.assertFormErrors(res, 1)
        self.mock_account_update.assert_not_called()

        self.mock_account_update.side_effect = base.api_error(403)
        res = self.client.post(credit_limit_url('p-a'), {
            'project_id': 'p-a', 'credit_limit': '10'})
        self.assertMessage(res, 'error', 'The credit limit was not set. You '
                           'are not allowed to do this.')
