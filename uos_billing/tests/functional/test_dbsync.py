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
"""cloudkitty-dbsync creates the billing tables on every backend.

Runs CloudKitty's real command, as an operator would, against a SQLite
file, MariaDB and PostgreSQL.
"""

import os
import subprocess
import sys

import fixtures
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import provision
from oslo_utils import uuidutils
import sqlalchemy as sa
import testscenarios

from uos_billing.rating.db.sqlalchemy import models
from uos_billing.tests import base

HEAD = 'f1c3a7d5b902'


class TestDbsync(testscenarios.WithScenarios, base.TestCase):

    scenarios = [(name, {'backend': name}) for name in base.BACKENDS]

    def database_url(self):
        if self.backend == 'sqlite':
            tmp = self.useFixture(fixtures.TempDir()).path
            return 'sqlite:///%s' % os.path.join(tmp, 'cloudkitty.sqlite')
        try:
            server = provision.Backend.backend_for_database_type(
                self.backend)
        except db_exc.BackendNotAvailable as e:
            self.skipTest(str(e))
        ident = 'uosb_%s' % uuidutils.generate_uuid(dashed=False)[:16]
        server.create_named_database(ident)
        self.addCleanup(server.drop_named_database, ident)
        return server.provisioned_database_url(ident).render_as_string(
            hide_password=False)

    def dbsync(self, config, *args):
        command = os.path.join(os.path.dirname(sys.executable),
                               'cloudkitty-dbsync')
        return subprocess.run([command, '--config-file', config] + list(args),
                              capture_output=True, text=True, timeout=120)

    def test_upgrade_module_billing(self):
        url = self.database_url()
        config = os.path.join(self.useFixture(fixtures.TempDir()).path,
                              'cloudkitty.conf')
        with open(config, 'w') as f:
            f.write('[database]\nconnection = %s\n' % url)
        for args in (('upgrade', '--module', 'cloudkitty'),
                     ('upgrade', '--module', 'billing')):
            done = self.dbsync(config, *args)
            self.assertEqual(0, done.returncode, done.stderr)
        done = self.dbsync(config, 'version', '--module', 'billing')
        self.assertEqual(0, done.returncode, done.stderr)
        self.assertIn(HEAD, done.stdout + done.stderr)

        engine = sa.create_engine(url)
        self.addCleanup(engine.dispose)
        inspector = sa.inspect(engine)
        tables = set(inspector.get_table_names())
        self.assertLessEqual(set(models.Base.metadata.tables) |
                             {'billing_alembic', 'modules_state'}, tables)
        with engine.connect() as connection:
            self.assertEqual(HEAD, connection.execute(sa.text(
                'SELECT version_num FROM billing_alembic')).scalar())
