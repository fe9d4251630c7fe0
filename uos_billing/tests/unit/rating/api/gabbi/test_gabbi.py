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
"""The gabbi tests of the billing API (gabbits/*.yaml)."""

import os

from cloudkitty.tests.gabbi import fixtures as ck_fixtures
from cloudkitty.tests.gabbi import handlers as ck_handlers
from gabbi import driver

from uos_billing.tests.unit.rating.api.gabbi import fixtures

TESTS_DIR = 'gabbits'


def load_tests(loader, tests, pattern):
    test_dir = os.path.join(os.path.dirname(__file__), TESTS_DIR)
    return driver.build_tests(test_dir, loader, host=None,
                              intercept=ck_fixtures.setup_app,
                              fixture_module=fixtures,
                              test_loader_name=__name__,
                              response_handlers=[
                                  ck_handlers.EnvironStoreHandler])
