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
"""Gabbi fixtures: CloudKitty's API with the billing tables, clock frozen.

CloudKitty's ConfigFixture builds its configuration with paths relative
to CloudKitty's source tree; outside it the paste file is taken from the
installed cloudkitty.tests.gabbi package instead.
"""

import datetime
import os

from cloudkitty.common import policy as ck_policy
import cloudkitty.tests.gabbi
from cloudkitty.tests.gabbi import fixtures as ck_fixtures
from oslo_utils import timeutils

from uos_billing.conf import opts  # noqa: F401
from uos_billing.rating.db import api as db_api
from uos_billing.rating import pricing

PASTE = os.path.join(os.path.dirname(cloudkitty.tests.gabbi.__file__),
                     'gabbi_paste.ini')
# The generated sample: every billing rule at its registered default.
POLICY = os.path.abspath(os.path.join(
    os.path.dirname(__file__), '..', '..', '..', '..', '..', '..', 'etc',
    'uos-billing-policy.yaml.sample'))
#: Every request of the gabbi tests happens at this instant.
NOW = datetime.datetime(2026, 1, 15, 12, 0, tzinfo=datetime.timezone.utc)
#: $ENVIRON['UOSB_GABBI_LONG_NOTE']: 70,000 characters, past a TEXT column.
LONG_TEXT = ('UOSB_GABBI_LONG_NOTE', 'n' * 70000)


class BillingConfigFixture(ck_fixtures.ConfigFixture):
    """noauth (every caller is admin), SQLite, billing migration run."""

    def start_fixture(self):
        super().start_fixture()
        self.conf.set_override('api_paste_config', PASTE)
        if os.path.exists(POLICY):
            self.conf.set_override('policy_file', POLICY,
                                   group='oslo_policy')
        ck_policy.reset()
        # Made-up projects and resources: no Keystone or Gnocchi to ask.
        self.conf.set_override('project_source', 'none', 'billing')
        self.conf.set_override('resource_owner_source', 'none', 'billing')
        db_api.get_instance().get_migration().upgrade('head')
        pricing.PRICE_BOOKS.clear()
        pricing.ON_DEMAND_ORDERS.clear()
        timeutils.set_time_override(NOW)
        os.environ[LONG_TEXT[0]] = LONG_TEXT[1]

    def stop_fixture(self):
        os.environ.pop(LONG_TEXT[0], None)
        timeutils.clear_time_override()
        pricing.PRICE_BOOKS.clear()
        pricing.ON_DEMAND_ORDERS.clear()
        ck_policy.reset()
        super().stop_fixture()
