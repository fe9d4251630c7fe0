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
"""Horizon's test settings with the uos-billing enabled files added.

Horizon's own test settings already applied openstack_dashboard's enabled
files; they are applied again here together with ours, from the same
starting point, as openstack_dashboard.settings does with local/enabled.
"""

from openstack_dashboard import enabled
from openstack_dashboard.test.settings import *  # noqa: F401,F403,H303
from openstack_dashboard.test import settings as horizon_test_settings
from openstack_dashboard.utils import settings as settings_utils

from uos_billing.horizon import enabled as billing_enabled

_BASE_APPS = [
    'django.contrib.contenttypes',
    'django.contrib.auth',
    'django.contrib.sessions',
    'django.contrib.staticfiles',
    'django.contrib.messages',
    'django.contrib.humanize',
    'openstack_auth',
    'compressor',
    'horizon',
    'openstack_dashboard',
]
_LISTS = ('angular_modules', 'js_files', 'js_spec_files', 'scss_files',
          'xstatic_modules', 'plugins', 'external_templates')

HORIZON_CONFIG = dict(horizon_test_settings.HORIZON_CONFIG)
for _key in _LISTS:
    HORIZON_CONFIG[_key] = []
# Set again from the enabled files (a leftover would be read as the
# deprecated explicit list of dashboards).
HORIZON_CONFIG.pop('dashboards', None)
HORIZON_CONFIG.pop('default_dashboard', None)
INSTALLED_APPS = list(_BASE_APPS)
settings_utils.update_dashboards([enabled, billing_enabled], HORIZON_CONFIG,
                                 INSTALLED_APPS)
settings_utils.find_static_files(
    HORIZON_CONFIG, horizon_test_settings.AVAILABLE_THEMES,
    horizon_test_settings.THEME_COLLECTION_DIR,
    horizon_test_settings.ROOT_PATH)
