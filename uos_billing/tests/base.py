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
"""Test bases and fixtures shared by the unit and functional tests."""

import datetime
import logging

from cloudkitty import db as ck_db
from cloudkitty.db import api as ck_db_api
import fixtures
from oslo_config import cfg
from oslo_config import fixture as config_fixture
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import provision
from oslo_messaging import conffixture
from oslo_messaging.notify import _impl_test as notify_test_driver
from oslo_utils import uuidutils
from oslotest import base
import testscenarios

from uos_billing.conf import opts  # noqa: F401
from uos_billing.core import clock
from uos_billing.rating.db import api as db_api
from uos_billing.rating import notifier
from uos_billing.rating import owners
from uos_billing.rating import pricing
from uos_billing.rating import projects

UTC = clock.UTC
BACKENDS = ('sqlite', 'mysql', 'postgresql')


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


class Database(fixtures.Fixture):
    """A throw-away database on one backend with the billing tables.

    SQLite is in memory; MariaDB and PostgreSQL get a database of their own
    from oslo.db's provisioning, dropped at cleanup. The test is skipped
    only when the server is missing, with oslo.db's message naming it.
    """

    def __init__(self, conf, backend, core_tables=False, revision='head',
                 url=None):
        super().__init__()
        self.conf = conf
        self.backend = backend
        self.core_tables = core_tables
        # The billing migration the tables are upgraded to.
        self.revision = revision
        # A database of the caller's (a SQLite file) instead of one made.
        self.url = url

    def _setUp(self):
        if self.url is not None:
            pass
        elif self.backend == 'sqlite':
            self.url = 'sqlite://'
        else:
            server = provision.Backend.backend_for_database_type(
                self.backend)
            ident = 'uosb_%s' % uuidutils.generate_uuid(dashed=False)[:16]
            server.create_named_database(ident)
            self.addCleanup(server.drop_named_database, ident)
            url = server.provisioned_database_url(ident)
            if self.backend == 'mysql':
                # As the install guide says: 4-byte UTF-8 on the wire.
                url = url.update_query_dict({'charset': 'utf8mb4'})
            self.url = url.render_as_string(hide_password=False)
        self.conf.set_override('connection', self.url, 'database')
        # cloudkitty.db keeps one engine facade per process: give this test
        # its own, bound to its database, and close it afterwards.
        self.useFixture(fixtures.MonkeyPatch('cloudkitty.db._FACADE', None))
        self.addCleanup(self._dispose)
        if self.core_tables:
            ck_db_api.get_instance().get_migration().upgrade('head')
        db_api.get_instance().get_migration().upgrade(self.revision)
        # alembic's env.py runs logging.config.fileConfig(), which disables
        # every logger that existed: give the tests their logs back.
        for logger in logging.root.manager.loggerDict.values():
            if isinstance(logger, logging.Logger):
                logger.disabled = False
        pricing.PRICE_BOOKS.clear()
        self.addCleanup(pricing.PRICE_BOOKS.clear)
        pricing.ON_DEMAND_ORDERS.clear()
        self.addCleanup(pricing.ON_DEMAND_ORDERS.clear)

    @staticmethod
    def _dispose():
        if ck_db._FACADE is not None:
            with ck_db.session_for_write() as session:
                session.get_bind().dispose()


class TestCase(base.BaseTestCase):
    """Unit test base: a private configuration, notifications recorded."""

    def setUp(self):
        super().setUp()
        self.config_fixture = self.useFixture(config_fixture.Config(cfg.CONF))
        self.conf = self.config_fixture.conf
        messaging = self.useFixture(conffixture.ConfFixture(self.conf))
        messaging.transport_url = 'fake:/'
        # oslo.messaging's in-memory "test" notification driver records what
        # would have been sent.
        self.conf.set_override('driver', ['test'],
                               'oslo_messaging_notifications')
        notifier.reset()
        self.addCleanup(notifier.reset)
        notify_test_driver.reset()
        self.addCleanup(notify_test_driver.reset)
        # Made-up projects and resources: no Keystone or Gnocchi to ask.
        # The tests of those checks set them back (uos_billing.tests.unit.
        # rating.test_projects, test_owners).
        self.conf.set_override('project_source', 'none', 'billing')
        self.conf.set_override('resource_owner_source', 'none', 'billing')
        projects.reset()
        self.addCleanup(projects.reset)
        owners.reset()
        self.addCleanup(owners.reset)

    def notifications(self):
        return [(n[1]['event_type'], n[1]['payload'])
                for n in notify_test_driver.NOTIFICATIONS]


class DBTestCase(testscenarios.WithScenarios, TestCase):
    """Runs each test on SQLite, MariaDB and PostgreSQL."""

    scenarios = [(name, {'backend': name}) for name in BACKENDS]
    core_tables = False
    revision = 'head'

    def setUp(self):
        super().setUp()
        if self.backend != 'sqlite':
            try:
                provision.Backend.backend_for_database_type(self.backend)
            except db_exc.BackendNotAvailable as e:
                self.skipTest(str(e))
        self.database = self.useFixture(
            Database(self.conf, self.backend, self.core_tables,
                     self.revision))
        self.db = db_api.get_instance()
