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
"""The enabled files and who sees which panel."""

import os
import pkgutil
import unittest

from django.apps import apps
from django.conf import settings
from django.urls import reverse
import horizon

from uos_billing.horizon import enabled
from uos_billing.horizon.test import base


class EnabledFilesTests(base.TestCase):

    def test_panels_are_registered_in_their_groups(self):
        project = horizon.get_dashboard('project')
        admin = horizon.get_dashboard('admin')

        def slugs(dashboard):
            return [getattr(p, 'slug', p)
                    for p in dashboard.get_panel_group('billing').panels]

        self.assertEqual(['billing_balance', 'billing_orders'],
                         slugs(project))
        self.assertEqual(['billing_products', 'billing_accounts'],
                         slugs(admin))
        self.assertEqual('Billing', str(project.get_panel_group(
            'billing').name))

    def test_application_is_installed_once_under_its_own_label(self):
        self.assertEqual(1, settings.INSTALLED_APPS.count(
            'uos_billing.horizon'))
        self.assertEqual('uos_billing.horizon',
                         apps.get_app_config('uos_billing_horizon').name)

    def test_enabled_files_sort_after_horizon_own(self):
        names = sorted(m.name for m in pkgutil.iter_modules(
            enabled.__path__))
        self.assertEqual(['_32100_uos_billing',
                          '_32110_project_billing_panel_group',
                          '_32111_project_billing_balance_panel',
                          '_32112_project_billing_orders_panel',
                          '_32120_admin_billing_panel_group',
                          '_32121_admin_billing_products_panel',
                          '_32122_admin_billing_accounts_panel'], names)

    def test_operator_copies_in_etc_are_the_same(self):
        package_dir = os.path.dirname(enabled.__file__)
        etc_dir = os.path.join(package_dir, '..', '..', '..', 'etc',
                               'horizon', 'enabled')
        if not os.path.isdir(etc_dir):
            raise unittest.SkipTest('not run from a source tree')
        names = sorted(n for n in os.listdir(package_dir)
                       if n.startswith('_32'))
        self.assertEqual(names, sorted(os.listdir(etc_dir)))
        for name in names:
            with open(os.path.join(package_dir, name)) as packaged, \
                    open(os.path.join(etc_dir, name)) as copy:
                self.assertEqual(packaged.read(), copy.read(), name)

    def test_member_does_not_reach_the_admin_panels(self):
        for url in ('horizon:admin:billing_products:index',
                    'horizon:admin:billing_accounts:index'):
            res = self.client.get(reverse(url))
            self.assertNotEqual(200, res.status_code)


class NoRatingServiceTests(base.TestCase):

    def _setup_test_data(self):
        super()._setup_test_data()
        self.service_catalog[:] = [s for s in self.service_catalog
                                   if s['type'] != 'rating']

    def test_panels_hidden_without_rating_in_the_catalog(self):
        res = self.client.get(reverse('horizon:project:billing_balance:'
                                      'index'))
        self.assertNotEqual(200, res.status_code)
