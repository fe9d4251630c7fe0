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
"""Who may do what, behind the real keystonemiddleware auth_token.

Tokens of an admin, a member of project A and a member of project B: B
can neither read nor change A's orders, account, ledger or statement; a
member cannot recharge, change credit limits or manage products.
"""

from uos_billing.tests.unit.rating.api import base

MEMBER = ['member', 'reader']


class TestAuthorization(base.KeystoneAPITestCase):

    def setUp(self):
        super().setUp()
        self.admin = self.as_(self.token('admin-project', ['admin',
                                                           'member']))
        self.a = self.as_(self.token('project-a', MEMBER))
        self.b = self.as_(self.token('project-b', MEMBER))
        product = self.ok('POST', '/products', {
            'name': 'small', 'service': 'instance', 'on_demand_price': '1',
            'monthly_price': '30'}, status=201, headers=self.admin)
        self.product_id = product['id']
        self.ok('POST', '/accounts/project-a/recharge', {'amount': '100'},
                status=201, headers=self.admin)
        self.order = self.ok('POST', '/orders', {
            'resource_id': 'vm-a', 'service': 'instance',
            'product_id': self.product_id, 'mode': 'monthly', 'count': 1},
            status=201, headers=self.a)

    def test_no_token_is_401(self):
        self.assertEqual(401, self.call('GET', '/products').status)

    def test_member_buys_for_its_own_project(self):
        self.assertEqual('project-a', self.order['project_id'])
        account = self.ok('GET', '/accounts/project-a', headers=self.a)
        self.assertEqual('70.0000000000', account['balance'])

    def test_other_project_cannot_read_a(self):
        for path in ('/accounts/project-a',
                     '/accounts/project-a/transactions',
                     '/accounts/project-a/statement?month=2026-11'):
            self.assertEqual(403, self.call('GET', path,
                                            headers=self.b).status, path)
        # Another project's order is not found, rather than forbidden.
        self.assertEqual(404, self.call(
            'GET', '/orders/%s' % self.order['id'], headers=self.b).status)
        self.assertEqual(404, self.call(
            'GET', '/orders/%s/renewal' % self.order['id'],
            headers=self.b).status)
        self.assertEqual([], self.ok('GET', '/orders',
                                     headers=self.b)['orders'])
        self.assertEqual(403, self.call('GET', '/orders?project_id=project-a',
                                        headers=self.b).status)
        self.assertEqual([], self.ok('GET', '/accounts',
                                     headers=self.b)['accounts'])

    def test_other_project_cannot_change_a(self):
        order_path = '/orders/%s' % self.order['id']
        before = self.ok('GET', '/accounts/project-a/transactions',
                         headers=self.admin)
        answers = [
            self.call('POST', order_path + '/cancel', headers=self.b),
            self.call('POST', order_path + '/renew', headers=self.b),
            self.call('PUT', order_path, {'auto_renew': True},
                      headers=self.b),
            self.call('POST', '/orders', {
                'project_id': 'project-a', 'resource_id': 'vm-x',
                'service': 'instance', 'product_id': self.product_id,
                'mode': 'monthly', 'count': 1}, headers=self.b),
        ]
        self.assertEqual([404, 404, 404, 403], [a.status for a in answers])
        self.assertEqual(before, self.ok(
            'GET', '/accounts/project-a/transactions', headers=self.admin))
        self.assertFalse(self.ok('GET', order_path,
                                 headers=self.admin)['auto_renew'])

    def test_member_cannot_do_admin_work(self):
        answers = [
            self.call('POST', '/accounts/project-a/recharge',
                      {'amount': '5'}, headers=self.a),
            self.call('PUT', '/accounts/project-a', {'credit_limit': '50'},
                      headers=self.a),
            self.call('POST', '/products', {
                'name': 'x', 'service': 'volume', 'on_demand_price': '1'},
                headers=self.a),
            self.call('PUT', '/products/%s' % self.product_id,
                      {'name': 'y'}, headers=self.a),
            self.call('DELETE', '/products/%s' % self.product_id,
                      headers=self.a),
        ]
        self.assertEqual([403] * 5, [a.status for a in answers])
        self.assertIn('billing:account:recharge',
                      answers[0].json['error']['message'])
        account = self.ok('GET', '/accounts/project-a', headers=self.a)
        self.assertEqual(('70.0000000000', '0.0000000000'),
                         (account['balance'], account['credit_limit']))

    def test_member_reads_and_manages_its_own(self):
        self.assertEqual(1, len(self.ok('GET', '/products',
                                        headers=self.a)['products']))
        self.assertEqual(['project-a'], [
            a['project_id'] for a in self.ok('GET', '/accounts',
                                             headers=self.a)['accounts']])
        self.assertEqual([self.order['id']], [
            o['id'] for o in self.ok('GET', '/orders',
                                     headers=self.a)['orders']])
        kinds = [t['kind'] for t in self.ok(
            'GET', '/accounts/project-a/transactions',
            headers=self.a)['transactions']]
        self.assertEqual(['recharge', 'order_payment'], kinds)
        quote = self.ok('GET', '/orders/%s/renewal' % self.order['id'],
                        headers=self.a)
        self.assertEqual(('30.0000000000', '70.0000000000'),
                         (quote['price'], quote['available']))
        self.assertTrue(self.ok('PUT', '/orders/%s' % self.order['id'],
                                {'auto_renew': True},
                                headers=self.a)['auto_renew'])
        cancelled = self.ok('POST', '/orders/%s/cancel' % self.order['id'],
                            headers=self.a)
        self.assertEqual('cancelled', cancelled['status'])

    def test_a_reader_may_quote_a_renewal_but_not_renew(self):
        reader = self.as_(self.token('project-a', ['reader'],
                                     user_id='reader-a'))
        order_path = '/orders/%s' % self.order['id']
        self.assertEqual('30.0000000000', self.ok(
            'GET', order_path + '/renewal', headers=reader)['price'])
        # billing:order:renew needs a member; the reader sees the order,
        # so it is forbidden (it was "not found").
        answer = self.call('POST', order_path + '/renew', headers=reader)
        self.assertEqual(403, answer.status, answer.text)
        self.assertIn('billing:order:renew', answer.json['error']['message'])
        self.assertEqual(0, self.ok('GET', order_path,
                                    headers=self.admin)['renewals'])

    def test_a_reader_is_forbidden_every_action_on_a_visible_order(self):
        reader = self.as_(self.token('project-a', ['reader'],
                                     user_id='reader-a'))
        order_path = '/orders/%s' % self.order['id']
        answers = {
            'billing:order:cancel': self.call(
                'POST', order_path + '/cancel', headers=reader),
            'billing:order:renew': self.call(
                'POST', order_path + '/renew', headers=reader),
            'billing:order:update': self.call(
                'PUT', order_path, {'auto_renew': True}, headers=reader),
        }
        for rule, answer in answers.items():
            self.assertEqual(403, answer.status, answer.text)
            self.assertIn(rule, answer.json['error']['message'])
        order = self.ok('GET', order_path, headers=self.admin)
        self.assertEqual(('active', False, 0), (
            order['status'], order['auto_renew'], order['renewals']))
        # Another project's reader still finds nothing.
        other = self.as_(self.token('project-b', ['reader'],
                                    user_id='reader-b'))
        self.assertEqual(404, self.call('POST', order_path + '/cancel',
                                        headers=other).status)

    def test_a_member_acting_on_a_hold_it_cannot_see_finds_nothing(self):
        hold = self.ok('POST', '/holds', {
            'project_id': 'project-a', 'service': 'instance',
            'mode': 'monthly', 'count': 1, 'product_id': self.product_id},
            status=201, headers=self.admin)
        # No billing:hold:get: a hold is not visible to members, so its
        # actions stay a 404.
        self.assertEqual(404, self.call(
            'POST', '/holds/%s/release' % hold['id'], headers=self.a).status)

    def test_admin_sees_everything(self):
        self.ok('POST', '/accounts/project-b/recharge', {'amount': '1'},
                status=201, headers=self.admin)
        self.assertEqual(['project-a', 'project-b'], [
            a['project_id'] for a in self.ok('GET', '/accounts',
                                             headers=self.admin)['accounts']])
        self.assertEqual('project-a', self.ok(
            'GET', '/orders/%s' % self.order['id'],
            headers=self.admin)['project_id'])
