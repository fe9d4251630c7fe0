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
"""openstack rating account list|show|set|recharge|statement and
openstack rating transaction list."""

import datetime
from unittest import mock

from osc_lib import exceptions

from uos_billing.cli import account
from uos_billing.cli import transaction
from uos_billing.tests.unit.cli import fakes

BASE = fakes.BASE
ACCOUNT = fakes.ACCOUNT
PROJECT = ACCOUNT['project_id']
TRANSACTION = fakes.TRANSACTION
response = fakes.response

STATEMENT = {
    'project_id': PROJECT,
    'month': '2026-11',
    'currency': 'EUR',
    'opening_balance': '0.00',
    'recharges': '100.00',
    'charges': {'instance': '2.40', 'volume.size': '0.10'},
    'charges_total': '2.50',
    'order_payments': '10.00',
    'refunds': '0.00',
    'adjustments': '0.00',
    'closing_balance': '87.50',
}


class TestListAccount(fakes.CommandTestCase):

    def test_list(self):
        owed = dict(ACCOUNT, project_id='p2', balance='-3.20',
                    status='owed', owed_since='2026-11-20T00:00:00+00:00')
        self.assertEqual([
            {'Project ID': PROJECT, 'Currency': 'EUR', 'Balance': '87.50',
             'Credit Limit': '0.00', 'Low Balance Threshold': '10.00',
             'Status': 'active', 'Owed Since': None},
            {'Project ID': 'p2', 'Currency': 'EUR', 'Balance': '-3.20',
             'Credit Limit': '0.00', 'Low Balance Threshold': '10.00',
             'Status': 'owed', 'Owed Since': '2026-11-20T00:00:00+00:00'},
        ], self.output_json(
            account.ListAccount, [],
            response(200, {'accounts': [ACCOUNT, owed], 'links': []})))
        self.assertCalls(('GET', BASE + '/accounts', None))

    def test_filters(self):
        self.take(account.ListAccount,
                  ['--status', 'owed', '--limit', '10', '--marker', 'p1'],
                  response(200, {'accounts': [], 'links': []}))
        self.assertCalls(
            ('GET', BASE + '/accounts?status=owed&marker=p1&limit=10', None))

    def test_bad_status(self):
        self.assertIn("argument --status: invalid choice: 'broke'",
                      self.parse_error(account.ListAccount,
                                       ['--status', 'broke']))


class TestShowAccount(fakes.CommandTestCase):

    def test_show_with_burn_rate(self):
        answer = dict(ACCOUNT, burn_rate='2.40', days_until_owed='36.5')
        self.assertEqual({
            'Project ID': PROJECT, 'Currency': 'EUR', 'Balance': '87.50',
            'Credit Limit': '0.00', 'Low Balance Threshold': '10.00',
            'Status': 'active', 'Owed Since': None, 'Burn Rate': '2.40',
            'Days Until Owed': '36.5',
            'Created At': '2026-11-01T00:00:00+00:00',
            'Updated At': '2026-11-15T08:00:00+00:00',
        }, self.output_json(account.ShowAccount, [PROJECT],
                            response(200, answer)))
        self.assertCalls(('GET', BASE + '/accounts/' + PROJECT, None))

    def test_value_of_one_field(self):
        self.assertEqual('87.50\n', self.output(
            account.ShowAccount, [PROJECT, '-f', 'value', '-c', 'Balance'],
            response(200, dict(ACCOUNT, burn_rate='0.00',
                               days_until_owed=None))))

    def test_project_is_required(self):
        self.assertIn('the following arguments are required: <project>',
                      self.parse_error(account.ShowAccount, []))


class TestSetAccount(fakes.CommandTestCase):

    def test_set_without_burn_rate_fields(self):
        columns, values = self.take(
            account.SetAccount,
            [PROJECT, '--credit-limit', '50.00', '--low-balance-threshold',
             '5', '--currency', 'USD', '--freeze'],
            response(200, dict(ACCOUNT, status='frozen')))
        self.assertCalls(('PUT', BASE + '/accounts/' + PROJECT, {
            'credit_limit': '50.00', 'low_balance_threshold': '5',
            'currency': 'USD', 'frozen': True}))
        self.assertNotIn('Burn Rate', columns)
        self.assertEqual('frozen', dict(zip(columns, values))['Status'])

    def test_unfreeze(self):
        self.take(account.SetAccount, [PROJECT, '--unfreeze'],
                  response(200, ACCOUNT))
        self.assertCalls(('PUT', BASE + '/accounts/' + PROJECT,
                          {'frozen': False}))

    def test_freeze_and_unfreeze_exclude_each_other(self):
        self.assertIn('not allowed with argument',
                      self.parse_error(account.SetAccount,
                                       [PROJECT, '--freeze', '--unfreeze']))

    def test_nothing_to_change(self):
        cmd, args = self.parse(account.SetAccount, [PROJECT])
        self.assertRaises(exceptions.CommandError, cmd.take_action, args)
        self.assertCalls()


class TestRecharge(fakes.CommandTestCase):

    def test_recharge(self):
        self.assertEqual({
            'ID': TRANSACTION['id'], 'Project ID': PROJECT, 'Kind': 'recharge',
            'Amount': '100.00', 'Balance After': '187.50', 'Order ID': None,
            'Period Begin': None, 'Period End': None,
            'Idempotency Key': 'pay-2026-11-0042',
            'Created At': '2026-11-15T09:30:00+00:00', 'Created By': 'admin',
            'Note': 'bank transfer 0042',
        }, self.output_json(
            account.RechargeAccount,
            [PROJECT, '--amount', '100.00', '--note', 'bank transfer 0042',
             '--idempotency-key', 'pay-2026-11-0042'],
            response(201, TRANSACTION)))
        self.assertCalls(('POST', BASE + '/accounts/%s/recharge' % PROJECT, {
            'amount': '100.00', 'note': 'bank transfer 0042',
            'idempotency_key': 'pay-2026-11-0042'}))

    def test_amount_only(self):
        self.take(account.RechargeAccount, [PROJECT, '--amount', '5'],
                  response(201, TRANSACTION))
        self.assertCalls(('POST', BASE + '/accounts/%s/recharge' % PROJECT,
                          {'amount': '5'}))

    def test_amount_required_and_decimal(self):
        self.assertIn('the following arguments are required: --amount',
                      self.parse_error(account.RechargeAccount, [PROJECT]))
        self.assertIn("argument --amount: '1,5' is not a decimal amount",
                      self.parse_error(account.RechargeAccount,
                                       [PROJECT, '--amount', '1,5']))
        self.assertIn("argument --amount: 'NaN' is not a decimal amount",
                      self.parse_error(account.RechargeAccount,
                                       [PROJECT, '--amount', 'NaN']))

    def test_amount_plain_ascii_decimal_only(self):
        # What Decimal() takes and the API refuses: refused before sending.
        for given in ('1e3', '1_000', '+5', '\u0661', '5.', '.5'):
            self.assertIn("argument --amount: %r is not a decimal amount" %
                          given, self.parse_error(account.RechargeAccount,
                                                  [PROJECT, '--amount',
                                                   given]))
        self.assertEqual([], self.http.calls)

    def test_amount_spaces_around_dropped(self):
        self.take(account.RechargeAccount, [PROJECT, '--amount', ' 5.50 '],
                  response(201, TRANSACTION))
        self.assertCalls(('POST', BASE + '/accounts/%s/recharge' % PROJECT,
                          {'amount': '5.50'}))

    def test_refused(self):
        self.http.queue(fakes.error(400, 'amount: must be greater than zero',
                                    field='amount'))
        cmd, args = self.parse(account.RechargeAccount,
                               [PROJECT, '--amount', '-5'])
        e = self.assertRaises(exceptions.CommandError, cmd.take_action, args)
        self.assertEqual('amount: must be greater than zero (HTTP 400)',
                         str(e))


class TestStatement(fakes.CommandTestCase):

    def test_statement(self):
        self.assertEqual({
            'Project ID': PROJECT, 'Month': '2026-11', 'Currency': 'EUR',
            'Opening Balance': '0.00', 'Recharges': '100.00',
            'Charges': {'instance': '2.40', 'volume.size': '0.10'},
            'Charges Total': '2.50', 'Order Payments': '10.00',
            'Refunds': '0.00', 'Adjustments': '0.00',
            'Closing Balance': '87.50',
        }, self.output_json(account.ShowStatement,
                            [PROJECT, '--month', '2026-11'],
                            response(200, STATEMENT)))
        self.assertCalls(('GET', BASE + '/accounts/%s/statement?month=2026-11'
                          % PROJECT, None))

    def test_charges_in_a_table(self):
        out = self.output(account.ShowStatement,
                          [PROJECT, '--month', '2026-11'],
                          response(200, STATEMENT))
        self.assertIn("| Charges         | instance='2.40', "
                      "volume.size='0.10' |", out)

    @mock.patch('oslo_utils.timeutils.utcnow')
    def test_default_month_is_the_current_one(self, utcnow):
        utcnow.return_value = datetime.datetime(2027, 2, 28, 23, 59)
        self.take(account.ShowStatement, [PROJECT], response(200, STATEMENT))
        self.assertCalls(('GET', BASE + '/accounts/%s/statement?month=2027-02'
                          % PROJECT, None))

    def test_bad_month(self):
        for month in ('2026-13', '11-2026', '2026-1'):
            self.assertIn("argument --month: '%s' is not a month written "
                          "YYYY-MM" % month,
                          self.parse_error(account.ShowStatement,
                                           [PROJECT, '--month', month]))


CHARGE_ID = '0b9c8d7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e'


class TestListTransaction(fakes.CommandTestCase):

    def test_pages_follow_the_uuid_markers(self):
        first, second = TRANSACTION, dict(TRANSACTION, id=CHARGE_ID)
        path = BASE + '/accounts/%s/transactions' % PROJECT
        columns, rows = self.take(
            transaction.ListTransaction,
            [PROJECT, '--marker', '0f0e0d0c-0b0a-4908-8706-050403020100'],
            response(200, {'transactions': [first], 'links': [{
                'rel': 'next', 'href': path + '?marker=' + first['id']}]}),
            response(200, {'transactions': [second], 'links': []}))
        self.assertCalls(
            ('GET', path + '?marker=0f0e0d0c-0b0a-4908-8706-050403020100',
             None),
            ('GET', path + '?marker=' + first['id'], None))
        self.assertEqual([first['id'], CHARGE_ID], [row[0] for row in rows])

    def test_list(self):
        charge = dict(TRANSACTION, id=CHARGE_ID, kind='charge',
                      amount='-2.40',
                      balance_after='185.10', idempotency_key=None,
                      period_begin='2026-11-15T09:00:00+00:00',
                      period_end='2026-11-15T10:00:00+00:00',
                      created_by=None, note=None)
        columns, rows = self.take(
            transaction.ListTransaction,
            [PROJECT, '--kind', 'charge', '--begin', '2026-11-01',
             '--end', '2026-12-01T00:00:00Z'],
            response(200, {'transactions': [charge], 'links': []}))
        self.assertCalls((
            'GET', BASE + '/accounts/%s/transactions?kind=charge'
            '&begin=2026-11-01T00%%3A00%%3A00%%2B00%%3A00'
            '&end=2026-12-01T00%%3A00%%3A00%%2B00%%3A00' % PROJECT, None))
        self.assertEqual(('ID', 'Kind', 'Amount', 'Balance After', 'Order ID',
                          'Period Begin', 'Period End', 'Created At', 'Note'),
                         columns)
        self.assertEqual([(CHARGE_ID, 'charge', '-2.40', '185.10', None,
                           '2026-11-15T09:00:00+00:00',
                           '2026-11-15T10:00:00+00:00',
                           '2026-11-15T09:30:00+00:00', None)], rows)

    def test_long(self):
        columns, rows = self.take(
            transaction.ListTransaction, [PROJECT, '--long'],
            response(200, {'transactions': [TRANSACTION], 'links': []}))
        self.assertEqual(12, len(columns))
        self.assertEqual('pay-2026-11-0042',
                         dict(zip(columns, rows[0]))['Idempotency Key'])

    def test_bad_kind(self):
        self.assertIn("argument --kind: invalid choice: 'gift'",
                      self.parse_error(transaction.ListTransaction,
                                       [PROJECT, '--kind', 'gift']))
