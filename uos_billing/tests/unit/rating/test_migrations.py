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
"""The alembic migrations create exactly the tables the models declare."""

from cloudkitty import db as ck_db
from oslo_db.sqlalchemy import test_migrations

from uos_billing.rating.db.sqlalchemy import models
from uos_billing.tests import base


class TestModelsMatchMigrations(test_migrations.ModelsMigrationsSync,
                                base.DBTestCase):
    """Compares the migrated schema with the models, on every backend.

    DBTestCase has already run the migrations (db_sync does nothing more).
    """

    def db_sync(self, engine):
        pass

    def get_engine(self):
        with ck_db.session_for_read() as session:
            return session.get_bind()

    def get_metadata(self):
        return models.Base.metadata

    def include_object(self, object_, name, type_, reflected, compare_to):
        if type_ == 'table':
            return name.startswith('billing_') and name != 'billing_alembic'
        return True

    def compare_type(self, context, inspected_column, metadata_column,
                     inspected_type, metadata_type):
        # Money columns are ExactDecimal: NUMERIC everywhere, the text of
        # the number on SQLite (which has no decimal type).
        impl = getattr(metadata_type, 'impl', None)
        if impl is not None:
            metadata_type = metadata_type.load_dialect_impl(
                context.dialect)
        return super().compare_type(context, inspected_column,
                                    metadata_column, inspected_type,
                                    metadata_type)
