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
"""Options of the admission middleware (group ``[billing_admission]``).

The filter reads them from the configuration of the service it runs in
(nova.conf, cinder.conf, neutron.conf), or from a file of its own named
in its paste section (``oslo_config_file``); the admission options below
may also be set in the paste section itself, which wins.

The service credentials and the way to the billing API are keystoneauth's
usual options in the same group (``auth_type``, ``auth_url``,
``username``..., ``timeout``, ``cafile``..., ``service_type``,
``valid_interfaces``, ``region_name``, ``endpoint_override``), loaded with
``keystoneauth1.loading`` like keystonemiddleware and Nova's clients do.
"""

from oslo_config import cfg

from uos_billing.conf import ksa

GROUP = 'billing_admission'

FAIL_OPEN = 'fail_open'
FAIL_CLOSED = 'fail_closed'

# Request classes (see uos_billing.middleware.classify) the filter checks
# by default; the others it knows (port.create, router.create) pass unless
# listed in check_classes.
DEFAULT_CLASSES = [
    'server.create', 'server.start', 'server.resize', 'server.snapshot',
    'server.backup', 'volume.create', 'volume.extend', 'volume.retype',
    'volume.upload_image', 'volume.manage', 'snapshot.create',
    'snapshot.manage',
    'backup.create', 'backup.restore', 'floatingip.create',
]

admission_opts = [
    cfg.BoolOpt('enabled',
                default=True,
                help='Check billable requests against the project\'s '
                     'billing account. False: the filter passes every '
                     'request untouched.'),
    cfg.StrOpt('failure_policy',
               default=FAIL_OPEN,
               choices=[(FAIL_OPEN, 'let the request go on (logged)'),
                        (FAIL_CLOSED, 'refuse it with 503 (logged)')],
               help='What to do with a billable request when the billing '
                    'API cannot answer (unreachable, timed out, 5xx, '
                    'unusable answer). A prepaid creation (billing:mode '
                    'metadata) is always refused with 503 then: it cannot '
                    'be bought without the billing API.'),
    cfg.IntOpt('cache_ttl',
               default=5,
               min=0,
               help='Seconds an account lookup (found, or not found) is '
                    'reused for the same project in this process. 0: '
                    'every billable request asks the billing API. '
                    'Failed lookups are never cached.'),
    cfg.IntOpt('cache_size',
               default=10000,
               min=1,
               help='Most projects kept in the lookup cache; expired '
                    'entries are dropped first, then the oldest.'),
    cfg.ListOpt('check_classes',
                default=DEFAULT_CLASSES,
                help='Request classes checked against the account; every '
                     'other request passes. Known classes are listed in '
                     'etc/api-paste/README.rst (port.create and '
                     'router.create are known but not checked by '
                     'default).'),
    cfg.StrOpt('api_path',
               default='/v1/rating/module_config/billing',
               help='Path of the billing API under the rating (CloudKitty) '
                    'endpoint.'),
    cfg.BoolOpt('prepaid',
                default=True,
                help='Honour billing:mode / billing:count metadata on '
                     'server creation: hold the term\'s price before the '
                     'server is created, buy the term once Nova accepted '
                     'it, release the hold if it did not.'),
    cfg.BoolOpt('auto_renew',
                default=False,
                help='auto_renew of terms bought at creation when the '
                     'server\'s metadata has no billing:auto_renew.'),
]

# keystoneauth's defaults changed for this use: a short deadline on every
# connection and read, and the rating service of the catalog.
KSA_DEFAULTS = {
    'timeout': 3.0,
    'service_type': 'rating',
    'valid_interfaces': ['internal', 'public'],
}


def register_opts(conf):
    conf.register_opts(admission_opts, group=GROUP)
    ksa.register_opts(conf, GROUP, KSA_DEFAULTS)


def list_opts():
    """The group's options for oslo-config-generator (password auth)."""
    return [(GROUP, admission_opts + ksa.list_opts(KSA_DEFAULTS))]
