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
"""Horizon's own settings for a server on loopback, as an operator runs it.

openstack_dashboard.settings reads the enabled files of
openstack_dashboard/local/enabled/, where the browser test copies ours
(the install step of etc/horizon/README.rst); this module then points
Horizon at the stack's Keystone and keeps everything in one process.
"""

import os

from openstack_dashboard.settings import *  # noqa: F401,F403,H303

OPENSTACK_KEYSTONE_URL = os.environ['UOS_BILLING_BROWSER_KEYSTONE_URL']
OPENSTACK_KEYSTONE_DEFAULT_DOMAIN = 'Default'
OPENSTACK_ENDPOINT_TYPE = 'publicURL'
DEBUG = True
ALLOWED_HOSTS = ['127.0.0.1', 'localhost']
SECRET_KEY = os.environ.get('UOS_BILLING_BROWSER_SECRET', 'loopback-only')
# A Keystone token with its catalog does not fit a cookie.
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {
    'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}
COMPRESS_ENABLED = False
COMPRESS_OFFLINE = False
STATIC_ROOT = os.environ['UOS_BILLING_BROWSER_STATIC_ROOT']
COMPRESS_ROOT = STATIC_ROOT
INSTALLED_APPS = list(INSTALLED_APPS) + [  # noqa: F405
    'uos_billing.horizon.test.browser']
