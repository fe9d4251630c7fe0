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
"""Default policies of the billing API, ``billing:<resource>:<action>``.

They are registered into CloudKitty's own enforcer (its policy file, its
``context_is_admin`` and ``project_*_or_admin`` rules), so an operator
overrides them in CloudKitty's policy file like any other rating rule.
Owner checks compare the token's project with the ``project_id`` of the
target (the account, the order or the ledger it belongs to).
"""

import itertools

from oslo_policy import policy

ANY_USER = ''
ADMIN = 'rule:context_is_admin'
READER_OR_ADMIN = 'rule:project_reader_or_admin'
MEMBER_OR_ADMIN = 'rule:project_member_or_admin'

BASE = '/v1/rating/module_config/billing'


def _rule(name, check_str, description, method, path):
    return policy.DocumentedRuleDefault(
        name='billing:' + name, check_str=check_str,
        description=description,
        operations=[{'path': BASE + path, 'method': method}],
        scope_types=['project'])


product_rules = [
    _rule('product:get_all', ANY_USER, 'List the price book.',
          'GET', '/products'),
    _rule('product:get', ANY_USER, 'Show one product.',
          'GET', '/products/{product_id}'),
    _rule('product:create', ADMIN, 'Add a product to the price book.',
          'POST', '/products'),
    _rule('product:update', ADMIN, 'Rename or end a product, or change its '
          'prices from an instant on (a new product row).',
          'PUT', '/products/{product_id}'),
    _rule('product:delete', ADMIN, 'Delete a product no order or charge '
          'uses.', 'DELETE', '/products/{product_id}'),
]

account_rules = [
    _rule('account:get_all', READER_OR_ADMIN, 'List accounts: an admin sees '
          'all of them, a project its own.', 'GET', '/accounts'),
    _rule('account:get', READER_OR_ADMIN, 'Show an account with its burn '
          'rate and the days until it is owed.',
          'GET', '/accounts/{project_id}'),
    _rule('account:update', ADMIN, 'Set credit limit, currency, low balance '
          'threshold or frozen.', 'PUT', '/accounts/{project_id}'),
    _rule('account:recharge', ADMIN, 'Add money to an account.',
          'POST', '/accounts/{project_id}/recharge'),
    _rule('account:statement', READER_OR_ADMIN, 'Monthly statement of an '
          'account.', 'GET', '/accounts/{project_id}/statement'),
    _rule('transaction:get_all', READER_OR_ADMIN, 'List the ledger entries '
          'of an account.', 'GET', '/accounts/{project_id}/transactions'),
]

order_rules = [
    _rule('order:get_all', READER_OR_ADMIN, 'List orders: an admin sees all '
          'of them, a project its own.', 'GET', '/orders'),
    _rule('order:create', MEMBER_OR_ADMIN, 'Buy a prepaid term for a '
          'resource.', 'POST', '/orders'),
    _rule('order:get', READER_OR_ADMIN, 'Show an order.',
          'GET', '/orders/{order_id}'),
    _rule('order:update', MEMBER_OR_ADMIN, 'Turn auto-renew on or off.',
          'PUT', '/orders/{order_id}'),
    _rule('order:cancel', MEMBER_OR_ADMIN, 'Cancel a prepaid order and '
          'refund its unused seconds.', 'POST', '/orders/{order_id}/cancel'),
    _rule('order:renew', MEMBER_OR_ADMIN, 'Pay the next term of a prepaid '
          'order now.', 'POST', '/orders/{order_id}/renew'),
    _rule('order:renewal', READER_OR_ADMIN, 'Show what renewing a prepaid '
          'order now would charge and its next term, writing nothing.',
          'GET', '/orders/{order_id}/renewal'),
]

hold_rules = [
    _rule('hold:create', ADMIN, 'Set the price of a prepaid term aside '
          'before its resource exists (the admission filter\'s service '
          'user).', 'POST', '/holds'),
    _rule('hold:confirm', ADMIN, 'Buy the held term for the resource that '
          'was created.', 'POST', '/holds/{hold_id}/confirm'),
    _rule('hold:release', ADMIN, 'Give the held funds back.',
          'POST', '/holds/{hold_id}/release'),
]

quote_rules = [
    _rule('quote', ANY_USER, 'Price resources through the rating code, '
          'writing nothing.', 'POST', '/quotes'),
]


def list_rules():
    return itertools.chain(product_rules, account_rules, order_rules,
                           hold_rules, quote_rules)
