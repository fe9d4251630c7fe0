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
"""4-byte UTF-8 (emoji) through the API, on SQLite, MariaDB, PostgreSQL.

The MariaDB connection is the install guide's (``?charset=utf8mb4``, as
uos_billing.tests.base.Database makes it); with oslo.db's default
(``charset=utf8``) the billing module warns at start, naming the option.
"""

import logging
from urllib import parse

from cloudkitty import db as ck_db
import fixtures
import sqlalchemy as sa

from uos_billing.rating.db.sqlalchemy import charset
from uos_billing.tests import base as tests_base
from uos_billing.tests.unit.rating.api import base

NAME = 'm1.small \U0001F680'
DESCRIPTION = 'fast \U0001F600 and \U0001D11E, caf\u00e9'
NOTE = 'bank transfer \U0001F4B6 0042'
KEY = 'pay-\U0001F600-1'
VM = 'vm-\U0001F40D'


def quoted(text):
    return parse.quote(text, safe='')


class TestEmojiRoundTrip(base.APITestCase):

    def test_product_name_and_description(self):
        product = self.ok('POST', '/products', {
            'name': NAME, 'service': 'instance', 'on_demand_price': '0.02',
            'monthly_price': '10', 'description': DESCRIPTION,
            'effective_from': '2026-01-01T00:00:00Z'}, status=201)
        shown = self.ok('GET', '/products/%s' % product['id'])
        self.assertEqual((NAME, DESCRIPTION),
                         (shown['name'], shown['description']))
        renamed = self.ok('PUT', '/products/%s' % product['id'],
                          {'name': NAME + '\U0001F525'})
        self.assertEqual(NAME + '\U0001F525', renamed['name'])

    def test_recharge_note_and_idempotency_key(self):
        first = self.ok('POST', '/accounts/acme/recharge', {
            'amount': '10', 'note': NOTE, 'idempotency_key': KEY},
            status=201)
        self.assertEqual(NOTE, first['note'])
        replay = self.ok('POST', '/accounts/acme/recharge', {
            'amount': '10', 'note': NOTE, 'idempotency_key': KEY})
        self.assertEqual(first['id'], replay['id'])
        [entry] = self.ok('GET', '/accounts/acme/transactions')[
            'transactions']
        self.assertEqual(NOTE, entry['note'])
        self.assertEqual('10.0000000000',
                         self.ok('GET', '/accounts/acme')['balance'])

    def test_order_resource_and_path_segments(self):
        product = self.ok('POST', '/products', {
            'name': 'm1.small', 'service': 'instance',
            'on_demand_price': '0.02', 'monthly_price': '10',
            'effective_from': '2026-01-01T00:00:00Z'}, status=201)
        self.ok('POST', '/accounts/acme/recharge', {'amount': '20'},
                status=201)
        order = self.ok('POST', '/orders', {
            'project_id': 'acme', 'resource_id': VM, 'service': 'instance',
            'product_id': product['id'], 'mode': 'monthly', 'count': 1},
            status=201)
        self.assertEqual(VM, order['resource_id'])
        [listed] = self.ok('GET', '/orders?resource_id=%s' % quoted(VM))[
            'orders']
        self.assertEqual(order['id'], listed['id'])
        for path in ('/orders/%s' % quoted(VM),
                     '/products/%s' % quoted(VM),
                     '/accounts/%s' % quoted(VM),
                     '/accounts/%s/transactions' % quoted(VM)):
            answer = self.call('GET', path)
            self.assertEqual(404, answer.status, (path, answer.text))
        answer = self.call('POST', '/accounts/%s/recharge' % quoted(VM),
                           {'amount': '1'})
        self.assertEqual(400, answer.status, answer.text)
        self.assertEqual('project_id', answer.json['error']['field'])


class TestConnectionCharset(tests_base.DBTestCase):

    def setUp(self):
        super().setUp()
        charset.reset()
        self.addCleanup(charset.reset)
        self.log = self.useFixture(fixtures.FakeLogger(
            level=logging.WARNING,
            name='uos_billing.rating.db.sqlalchemy.charset'))

    def reconnect(self, url):
        """The test database again, through url."""
        if ck_db._FACADE is not None:
            with ck_db.session_for_write() as session:
                session.get_bind().dispose()
        self.conf.set_override(
            'connection', url.render_as_string(hide_password=False),
            'database')
        ck_db._FACADE = None

    def with_charset(self, value):
        url = sa.engine.make_url(self.database.url)
        if value is None:
            return url.difference_update_query(['charset'])
        return url.update_query_dict({'charset': value})

    def test_the_documented_connection_passes_quietly(self):
        self.assertIsNone(charset.check_once())
        self.assertEqual('', self.log.output)

    def test_oslo_dbs_default_charset_is_warned_about_once(self):
        if self.backend != 'mysql':
            self.skipTest('a MySQL connection option')
        # oslo.db makes it charset=utf8 when the URL has no charset.
        self.reconnect(self.with_charset(None))
        found = charset.check_once()
        self.assertEqual(
            "[database] connection: the MySQL connection's character set is "
            "utf8mb3, not utf8mb4: text with 4-byte UTF-8 characters (emoji)"
            " cannot be stored and such requests fail; add ?charset=utf8mb4 "
            "to the URL, e.g. mysql+pymysql://cloudkitty:PASSWORD@HOST/"
            "cloudkitty?charset=utf8mb4", found)
        self.assertEqual(found + '\n', self.log.output)
        self.assertIsNone(charset.check_once())
        self.assertEqual(found + '\n', self.log.output)

    def test_charset_utf8_is_warned_about(self):
        if self.backend != 'mysql':
            self.skipTest('a MySQL connection option')
        self.reconnect(self.with_charset('utf8'))
        self.assertIn('is utf8mb3, not utf8mb4', charset.check())
        self.assertIn('add ?charset=utf8mb4 to the URL', self.log.output)

    def test_the_module_checks_at_its_start(self):
        from uos_billing import rating
        if self.backend == 'mysql':
            self.reconnect(self.with_charset('utf8'))
        rating.BillingRating().config_controller
        if self.backend == 'mysql':
            self.assertIn('[database] connection', self.log.output)
        else:
            self.assertEqual('', self.log.output)
