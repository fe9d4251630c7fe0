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
"""Project > Billing > Balance: account, ledger, chart, statements, CSV."""

import datetime
from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers

from uos_billing.horizon import api
from uos_billing.horizon.test import base
from uos_billing.horizon.test import fixtures

INDEX_URL = reverse('horizon:project:billing_balance:index')
STATEMENT_URL = reverse('horizon:project:billing_balance:statement')
CSV_URL = reverse('horizon:project:billing_balance:statement_csv')
NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.timezone.utc)
CHART_BEGIN = '2026-10-24T00:00:00+00:00'


@mock.patch('uos_billing.horizon.display.utcnow', return_value=NOW)
class BalanceIndexTests(base.TestCase):

    def _account(self):
        self.mock_account_get.return_value = fixtures.account(self.tenant.id)

    @helpers.create_mocks({api: ['account_get', 'transaction_list',
                                 'transaction_list_all']})
    def test_index_shows_account_ledger_and_chart(self, _now):
        project = self.tenant.id
        self._account()
        self.mock_transaction_list.return_value = (
            [fixtures.transaction(1, project, kind='recharge',
                                  amount='100.0000000000'),
             fixtures.transaction(2, project)], True)
        self.mock_transaction_list_all.return_value = [
            fixtures.transaction(2, project, amount='-2.5000000000'),
            fixtures.transaction(3, project, amount='-0.0012345000')]

        res = self.client.get(INDEX_URL)

        self.assertTemplateUsed(res, 'uos_billing/balance/index.html')
        for text in ('120.50 EUR', '50.00 EUR',
                     '3.25 EUR per day (mean of the last 7 days)', '52.4',
                     'Active', '-1.25 EUR', '100.00 EUR', 'Recharge',
                     'Usage charge', '<svg', '2026-11-20: 2.5012345 EUR'):
            self.assertContains(res, text)
        self.assertEqual(2, len(res.context['table'].data))
        self.mock_account_get.assert_called_once_with(
            helpers.IsHttpRequest(), project)
        self.mock_transaction_list.assert_called_once_with(
            helpers.IsHttpRequest(), project, marker=None,
            begin='2026-11-01T00:00:00+00:00')
        self.assertContains(res, 'begin=2026-11-01&amp;marker=2')
        self.mock_transaction_list_all.assert_called_once_with(
            helpers.IsHttpRequest(), project, kind='charge',
            begin=CHART_BEGIN)

    @helpers.create_mocks({api: ['account_get', 'transaction_list',
                                 'transaction_list_all']})
    def test_ledger_filters_and_next_page_keep_them(self, _now):
        # The API's transaction ids are uuids: the marker of the next page
        # is the last entry's.
        project = self.tenant.id
        last, shown = ('5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f',
                       '7e6d5c4b-3a29-4187-9f6e-5d4c3b2a1908')
        self._account()
        self.mock_transaction_list.return_value = (
            [fixtures.transaction(shown, project, kind='refund',
                                  amount='4.0000000000')], True)
        self.mock_transaction_list_all.return_value = []

        res = self.client.get(INDEX_URL, {
            'kind': 'refund', 'begin': '2026-11-01', 'end': '2026-11-15',
            'marker': last})

        self.mock_transaction_list.assert_called_once_with(
            helpers.IsHttpRequest(), project, marker=last, kind='refund',
            begin='2026-11-01T00:00:00+00:00',
            end='2026-11-16T00:00:00+00:00')
        self.assertContains(
            res, 'kind=refund&amp;begin=2026-11-01&amp;end=2026-11-15&amp;'
            'marker=' + shown)

    @helpers.create_mocks({api: ['account_get', 'transaction_list',
                                 'transaction_list_all']})
    def test_no_charges_draw_no_chart(self, _now):
        self._account()
        self.mock_transaction_list.return_value = ([], False)
        self.mock_transaction_list_all.return_value = []

        res = self.client.get(INDEX_URL)

        self.assertNotContains(res, '<svg')
        self.assertContains(res, 'Nothing was charged in the last 30 days.')

    @helpers.create_mocks({api: ['account_get', 'transaction_list',
                                 'transaction_list_all']})
    def test_ledger_filter_with_end_before_begin_is_refused(self, _now):
        self._account()
        self.mock_transaction_list.return_value = ([], False)
        self.mock_transaction_list_all.return_value = []

        res = self.client.get(INDEX_URL, {'begin': '2026-11-15',
                                          'end': '2026-11-01'})

        self.assertContains(res, 'The end date is before the begin date.')
        self.mock_transaction_list.assert_called_once_with(
            helpers.IsHttpRequest(), self.tenant.id, marker=None)

    @helpers.create_mocks({api: ['account_get', 'transaction_list',
                                 'transaction_list_all']})
    def test_cleared_filters_show_the_whole_ledger(self, _now):
        self._account()
        self.mock_transaction_list.return_value = ([], False)
        self.mock_transaction_list_all.return_value = []

        self.client.get(INDEX_URL, {'kind': '', 'begin': '', 'end': ''})

        self.mock_transaction_list.assert_called_once_with(
            helpers.IsHttpRequest(), self.tenant.id, marker=None)

    @helpers.create_mocks({api: ['account_get', 'transaction_list']})
    def test_project_without_account(self, _now):
        self.mock_account_get.side_effect = base.api_error(404)

        res = self.client.get(INDEX_URL)

        self.assertEqual(200, res.status_code)
        self.assertMessage(res, 'info', 'has no billing account yet')
        self.mock_transaction_list.assert_not_called()

    @helpers.create_mocks({api: ['account_get', 'transaction_list']})
    def test_account_refused_is_a_message(self, _now):
        self.mock_account_get.side_effect = base.api_error(
            403, 'policy does not allow billing:account:get')

        res = self.client.get(INDEX_URL)

        self.assertEqual(200, res.status_code)
        self.assertMessage(res, 'error', 'The account could not be shown. '
                           'You are not allowed to do this.')
        self.assertNotContains(res, 'Traceback')

    @helpers.create_mocks({api: ['account_get', 'transaction_list',
                                 'transaction_list_all']})
    def test_ledger_and_chart_errors_are_messages(self, _now):
        self._account()
        self.mock_transaction_list.side_effect = base.api_error(
            400, 'unknown kind', field='kind')
        self.mock_transaction_list_all.side_effect = base.api_error(
            503, 'down')

        res = self.client.get(INDEX_URL)

        self.assertEqual(200, res.status_code)
        self.assertMessage(res, 'error', 'The ledger could not be shown. '
                           'The value of "kind" was refused: unknown kind.')
        self.assertMessage(res, 'error', 'The billing service failed '
                           '(HTTP 503)')
        self.assertNotContains(res, '<svg')


@mock.patch('uos_billing.horizon.display.utcnow', return_value=NOW)
class StatementTests(base.TestCase):

    @helpers.create_mocks({api: ['statement_get']})
    def test_statement_of_this_month_by_default(self, _now):
        self.mock_statement_get.return_value = fixtures.statement(
            self.tenant.id)

        res = self.client.get(STATEMENT_URL)

        self.assertTemplateUsed(res, 'uos_billing/balance/statement.html')
        self.mock_statement_get.assert_called_once_with(
            helpers.IsHttpRequest(), self.tenant.id, '2026-11')
        for text in ('Opening balance', '10.00 EUR', 'Charges: instance',
                     '7.25 EUR', 'Charges: volume', 'Charges in all',
                     '8.75 EUR', 'Prepaid term payments', '20.00 EUR',
                     'Refunds', 'Closing balance', '86.25 EUR',
                     '<option value="2024-12">', 'Download CSV',
                     'statement/csv/?month=2026-11'):
            self.assertContains(res, text)
        self.assertEqual(9, len(res.context['table'].data))

    @helpers.create_mocks({api: ['statement_get']})
    def test_month_picker(self, _now):
        self.mock_statement_get.return_value = fixtures.statement(
            self.tenant.id, month='2026-09')

        res = self.client.get(STATEMENT_URL, {'month': '2026-09'})

        self.mock_statement_get.assert_called_once_with(
            helpers.IsHttpRequest(), self.tenant.id, '2026-09')
        self.assertContains(res, '<option value="2026-09" selected>')

    @helpers.create_mocks({api: ['statement_get']})
    def test_month_outside_the_picker_falls_back_to_this_month(self, _now):
        self.mock_statement_get.return_value = fixtures.statement(
            self.tenant.id)

        self.client.get(STATEMENT_URL, {'month': '1999-13'})

        self.mock_statement_get.assert_called_once_with(
            helpers.IsHttpRequest(), self.tenant.id, '2026-11')

    @helpers.create_mocks({api: ['statement_get']})
    def test_statement_error_is_a_message(self, _now):
        self.mock_statement_get.side_effect = base.api_error(404)

        res = self.client.get(STATEMENT_URL)

        self.assertEqual(200, res.status_code)
        self.assertMessage(res, 'error',
                           'The statement of 2026-11 could not be shown.')
        self.assertNotContains(res, 'Download CSV')

    @helpers.create_mocks({api: ['statement_get']})
    def test_csv_download(self, _now):
        self.mock_statement_get.return_value = fixtures.statement(
            self.tenant.id, month='2026-10')

        res = self.client.get(CSV_URL, {'month': '2026-10'})

        self.assertEqual('text/csv; charset=utf-8', res['Content-Type'])
        self.assertEqual(
            'attachment; filename="statement-%s-2026-10.csv"' %
            self.tenant.id, res['Content-Disposition'])
        lines = res.content.decode().splitlines()
        self.assertEqual('project_id,month,item,label,amount,currency',
                         lines[0])
        self.assertIn('%s,2026-10,charges:instance,Charges: instance,7.25,'
                      'EUR' % self.tenant.id, lines)
        self.assertIn('%s,2026-10,closing_balance,Closing balance,86.25,EUR'
                      % self.tenant.id, lines)
        self.assertEqual(10, len(lines))

    @helpers.create_mocks({api: ['statement_get']})
    def test_csv_error_goes_back_to_the_statement(self, _now):
        self.mock_statement_get.side_effect = base.api_error(403)

        res = self.client.get(CSV_URL, {'month': '2026-10'})

        self.assertRedirectsNoFollow(res, STATEMENT_URL + '?month=2026-10')
        self.assertMessage(None, 'error', 'could not be downloaded. You are '
                           'not allowed to do this.')
