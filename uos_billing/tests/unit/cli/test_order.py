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
"""openstack rating order list|show|create|set|cancel|renew|renewal."""

import fixtures
from osc_lib import exceptions

from uos_billing.cli import order
from uos_billing.tests.unit.cli import fakes

BASE = fakes.BASE
ORDER = fakes.ORDER
OID = ORDER['id']
PID = fakes.PRODUCT['id']
PROJECT = ORDER['project_id']
response = fakes.response

# The key drawn for an invocation without --idempotency-key.
DRAWN = 'cli-8d1f0c62-3b4e-4f5a-9c6d-7e8f9a0b1c2d'


class OrderCommandTestCase(fakes.CommandTestCase):

    def setUp(self):
        super().setUp()
        self.drawn = self.useFixture(fixtures.MockPatch(
            'oslo_utils.uuidutils.generate_uuid',
            side_effect=lambda: DRAWN[len('cli-'):])).mock


SHOW = {
    'ID': OID, 'Project ID': PROJECT, 'Resource ID': 'vm-1',
    'Service': 'instance', 'Product ID': PID, 'Mode': 'monthly',
    'Status': 'active', 'Unit Price': '10.00',
    'Term Start': '2026-11-15T00:00:00+00:00',
    'Term End': '2026-12-15T00:00:00+00:00', 'Count': 1,
    'Auto Renew': False, 'Renewals': 0, 'Anchor Day': 15,
    'Created At': '2026-11-15T10:00:00+00:00', 'Closed At': None,
}


class TestListOrder(fakes.CommandTestCase):

    def test_list_with_filters(self):
        self.assertEqual([{
            'ID': OID, 'Project ID': PROJECT, 'Resource ID': 'vm-1',
            'Service': 'instance', 'Mode': 'monthly', 'Status': 'active',
            'Unit Price': '10.00', 'Term Start': '2026-11-15T00:00:00+00:00',
            'Term End': '2026-12-15T00:00:00+00:00', 'Count': 1,
            'Auto Renew': False,
        }], self.output_json(
            order.ListOrder,
            ['--project', PROJECT, '--status', 'active', '--mode', 'monthly',
             '--resource-id', 'vm-1'],
            response(200, {'orders': [ORDER], 'links': []})))
        self.assertCalls(('GET', BASE + '/orders?project_id=%s&status=active'
                          '&mode=monthly&resource_id=vm-1' % PROJECT, None))

    def test_long(self):
        columns, rows = self.take(
            order.ListOrder, ['--long', '--limit', '1'],
            response(200, {'orders': [ORDER],
                           'links': [{'rel': 'next', 'href': '/x?marker=y'}]}))
        self.assertEqual(tuple(SHOW), columns)
        self.assertCalls(('GET', BASE + '/orders?limit=1', None))

    def test_bad_mode(self):
        self.assertIn("argument --mode: invalid choice: 'weekly'",
                      self.parse_error(order.ListOrder, ['--mode', 'weekly']))


class TestShowOrder(fakes.CommandTestCase):

    def test_show(self):
        self.assertEqual(SHOW, self.output_json(order.ShowOrder, [OID],
                                                response(200, ORDER)))
        self.assertCalls(('GET', BASE + '/orders/' + OID, None))


class TestCreateOrder(OrderCommandTestCase):

    def test_create(self):
        values = dict(zip(*self.take(
            order.CreateOrder,
            ['--project', PROJECT, '--resource-id', 'vm-1', '--service',
             'instance', '--product', PID, '--mode', 'monthly', '--count',
             '3', '--auto-renew'],
            response(201, ORDER))))
        self.assertCalls(('POST', BASE + '/orders', {
            'project_id': PROJECT, 'resource_id': 'vm-1',
            'service': 'instance', 'product_id': PID, 'mode': 'monthly',
            'count': 3, 'auto_renew': True, 'idempotency_key': DRAWN}))
        self.assertEqual('10.00', values['Unit Price'])
        self.assertNotIn('Refund', values)

    def test_defaults_token_project_one_term_no_renewal(self):
        self.take(order.CreateOrder,
                  ['--resource-id', 'vm-1', '--service', 'instance',
                   '--product', PID, '--mode', 'yearly'],
                  response(201, ORDER))
        self.assertCalls(('POST', BASE + '/orders', {
            'resource_id': 'vm-1', 'service': 'instance', 'product_id': PID,
            'mode': 'yearly', 'count': 1, 'auto_renew': False,
            'idempotency_key': DRAWN}))

    def test_a_key_of_your_own(self):
        self.take(order.CreateOrder,
                  ['--resource-id', 'vm-1', '--service', 'instance',
                   '--product', PID, '--mode', 'monthly',
                   '--idempotency-key', 'buy-vm-1'],
                  response(200, ORDER))
        self.assertEqual('buy-vm-1',
                         self.http.calls[0][2]['idempotency_key'])
        self.drawn.assert_not_called()

    def test_each_invocation_draws_its_own_key(self):
        argv = ['--resource-id', 'vm-1', '--service', 'instance',
                '--product', PID, '--mode', 'monthly']
        self.drawn.side_effect = ['k-1', 'k-2']
        self.take(order.CreateOrder, argv, response(201, ORDER))
        self.take(order.CreateOrder, argv, response(201, ORDER))
        self.assertEqual(['cli-k-1', 'cli-k-2'],
                         [body['idempotency_key']
                          for _m, _u, body in self.http.calls])

    def test_bad_arguments(self):
        self.assertIn('the following arguments are required: --resource-id, '
                      '--service, --product, --mode',
                      self.parse_error(order.CreateOrder, []))
        self.assertIn(
            "argument --mode: invalid choice: 'on_demand'",
            self.parse_error(order.CreateOrder, [
                '--resource-id', 'vm-1', '--service', 'instance',
                '--product', PID, '--mode', 'on_demand']))
        self.assertIn(
            "argument --count: 'two' is not an integer",
            self.parse_error(order.CreateOrder, [
                '--resource-id', 'vm-1', '--service', 'instance',
                '--product', PID, '--mode', 'monthly', '--count', 'two']))

    def test_insufficient_funds(self):
        self.http.queue(fakes.error(
            402, 'insufficient funds: 2.50 EUR missing to pay 10.00 EUR',
            missing='2.50', currency='EUR'))
        cmd, args = self.parse(order.CreateOrder, [
            '--resource-id', 'vm-1', '--service', 'instance',
            '--product', PID, '--mode', 'monthly'])
        e = self.assertRaises(exceptions.CommandError, cmd.take_action, args)
        self.assertEqual('insufficient funds: 2.50 EUR missing to pay 10.00 '
                         'EUR (HTTP 402)', str(e))


class TestSetOrder(OrderCommandTestCase):

    def test_auto_renew_on_and_off(self):
        self.take(order.SetOrder, [OID, '--auto-renew'],
                  response(200, dict(ORDER, auto_renew=True)))
        self.take(order.SetOrder, [OID, '--no-auto-renew'],
                  response(200, ORDER))
        self.assertCalls(
            ('PUT', BASE + '/orders/' + OID,
             {'auto_renew': True, 'idempotency_key': DRAWN}),
            ('PUT', BASE + '/orders/' + OID,
             {'auto_renew': False, 'idempotency_key': DRAWN}))

    def test_a_key_of_your_own(self):
        self.take(order.SetOrder, [OID, '--auto-renew', '--idempotency-key',
                                   'auto-1'],
                  response(200, dict(ORDER, auto_renew=True)))
        self.assertCalls(('PUT', BASE + '/orders/' + OID,
                          {'auto_renew': True, 'idempotency_key': 'auto-1'}))

    def test_one_of_them_is_required(self):
        self.assertIn('one of the arguments --auto-renew --no-auto-renew is '
                      'required', self.parse_error(order.SetOrder, [OID]))


class TestCancelRenewOrder(OrderCommandTestCase):

    def test_cancel_shows_the_refund(self):
        cancelled = dict(ORDER, status='cancelled', refund='6.67',
                         closed_at='2026-11-25T00:00:00+00:00')
        shown = self.output_json(order.CancelOrder, [OID],
                                 response(200, cancelled))
        self.assertCalls(('POST', BASE + '/orders/%s/cancel' % OID,
                          {'idempotency_key': DRAWN}))
        self.assertEqual('6.67', shown['Refund'])
        self.assertEqual('cancelled', shown['Status'])

    def test_cancel_twice(self):
        self.http.queue(fakes.error(409, 'order %s is cancelled' % OID))
        cmd, args = self.parse(order.CancelOrder, [OID])
        e = self.assertRaises(exceptions.CommandError, cmd.take_action, args)
        self.assertEqual('order %s is cancelled (HTTP 409)' % OID, str(e))

    def test_cancel_with_a_key_of_your_own(self):
        self.take(order.CancelOrder, [OID, '--idempotency-key', 'c-1'],
                  response(200, dict(ORDER, status='cancelled')))
        self.assertCalls(('POST', BASE + '/orders/%s/cancel' % OID,
                          {'idempotency_key': 'c-1'}))

    def test_renew_states_the_current_term_end_read_once(self):
        renewed = dict(ORDER, renewals=1,
                       term_end='2027-01-15T00:00:00+00:00')
        shown = self.output_json(order.RenewOrder, [OID],
                                 response(200, ORDER),
                                 response(200, renewed))
        self.assertCalls(
            ('GET', BASE + '/orders/' + OID, None),
            ('POST', BASE + '/orders/%s/renew' % OID,
             {'idempotency_key': DRAWN,
              'term_end': '2026-12-15T00:00:00+00:00'}))
        self.assertEqual(('2027-01-15T00:00:00+00:00', 1),
                         (shown['Term End'], shown['Renewals']))
        self.assertNotIn('Refund', shown)

    def test_renew_a_stated_term_end_with_a_key(self):
        self.take(order.RenewOrder,
                  [OID, '--term-end', '2026-12-15T01:00:00+01:00',
                   '--idempotency-key', 'r-1'],
                  response(200, ORDER))
        self.assertCalls(
            ('POST', BASE + '/orders/%s/renew' % OID,
             {'idempotency_key': 'r-1',
              'term_end': '2026-12-15T00:00:00+00:00'}))

    def test_renew_a_term_that_ended_meanwhile(self):
        message = ('order %s: term_end 2026-12-15T00:00:00+00:00 is not the '
                   'end of its current term, which ends at '
                   '2027-01-15T00:00:00+00:00 (was it renewed meanwhile?); '
                   'renew with term_end 2027-01-15T00:00:00+00:00 to extend '
                   'it' % OID)
        self.http.queue(fakes.error(409, message))
        cmd, args = self.parse(order.RenewOrder,
                               [OID, '--term-end', '2026-12-15'])
        e = self.assertRaises(exceptions.CommandError, cmd.take_action, args)
        self.assertEqual(message + ' (HTTP 409)', str(e))

    def test_an_on_demand_order_has_no_term_to_renew(self):
        self.http.queue(response(200, dict(ORDER, mode='on_demand',
                                           term_end=None)))
        cmd, args = self.parse(order.RenewOrder, [OID])
        e = self.assertRaises(exceptions.CommandError, cmd.take_action, args)
        self.assertEqual('order %s has no term to renew (mode on_demand)' %
                         OID, str(e))
        self.assertEqual(1, len(self.http.calls))

    def test_bad_term_end(self):
        self.assertIn("argument --term-end: 'soon' is not an ISO 8601 date",
                      self.parse_error(order.RenewOrder,
                                       [OID, '--term-end', 'soon']))


RENEWAL = {
    'order_id': OID, 'project_id': PROJECT, 'resource_id': 'vm-1',
    'service': 'instance', 'product_id': 'prod-2', 'mode': 'monthly',
    'count': 1, 'unit_price': '12.3400000000', 'price': '12.3400000000',
    'currency': 'EUR', 'term_start': '2026-12-15T00:00:00+00:00',
    'term_end': '2027-01-15T00:00:00+00:00', 'balance': '10.0000000000',
    'credit_limit': '0.0000000000', 'held': '0.0000000000',
    'available': '10.0000000000', 'missing': '2.3400000000',
    'account_status': 'active',
}


class TestShowOrderRenewal(fakes.CommandTestCase):

    def test_shows_the_quote_money_as_strings(self):
        shown = self.output_json(order.ShowOrderRenewal, [OID],
                                 response(200, RENEWAL))
        self.assertCalls(('GET', BASE + '/orders/%s/renewal' % OID, None))
        self.assertEqual({
            'Order ID': OID, 'Project ID': PROJECT, 'Resource ID': 'vm-1',
            'Service': 'instance', 'Product ID': 'prod-2', 'Mode': 'monthly',
            'Count': 1, 'Unit Price': '12.3400000000',
            'Price': '12.3400000000', 'Currency': 'EUR',
            'Term Start': '2026-12-15T00:00:00+00:00',
            'Term End': '2027-01-15T00:00:00+00:00',
            'Balance': '10.0000000000', 'Credit Limit': '0.0000000000',
            'Held': '0.0000000000', 'Available': '10.0000000000',
            'Missing': '2.3400000000', 'Account Status': 'active'}, shown)

    def test_value_of_one_column(self):
        self.assertEqual('12.3400000000\n', self.output(
            order.ShowOrderRenewal, [OID, '-f', 'value', '-c', 'Price'],
            response(200, RENEWAL)))

    def test_the_order_id_is_quoted_into_the_path(self):
        self.take(order.ShowOrderRenewal, ['a/b'], response(200, RENEWAL))
        self.assertCalls(('GET', BASE + '/orders/a%2Fb/renewal', None))

    def test_refusals(self):
        for code, message in (
                (404, 'order nope not found'),
                (409, 'order %s is already cancelled' % OID),
                (409, 'no product is in effect for the renewal of order '
                      '%s' % OID)):
            self.http.queue(fakes.error(code, message))
            cmd, args = self.parse(order.ShowOrderRenewal, [OID])
            e = self.assertRaises(exceptions.CommandError, cmd.take_action,
                                  args)
            self.assertEqual('%s (HTTP %d)' % (message, code), str(e))

    def test_the_order_is_required(self):
        self.assertIn('the following arguments are required: <order>',
                      self.parse_error(order.ShowOrderRenewal, []))
