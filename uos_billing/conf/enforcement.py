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
"""Options of the enforcement ladder (``[billing_enforcement]``).

Read by the CloudKitty processor (the ladder runs after each posted
period) and by the CloudKitty API (a recharge that restores an account
starts what billing stopped; with ``[billing] project_source =
keystone`` the API looks projects up in Keystone with these credentials,
whether the ladder is enabled or not), from cloudkitty.conf.

The credentials and the way to Nova are keystoneauth's usual options in
the same group (``auth_type``, ``auth_url``, ``username``...,
``timeout``, ``cafile``..., ``service_type``, ``valid_interfaces``,
``region_name``, ``endpoint_override``), loaded with
``keystoneauth1.loading`` as Nova loads those of its service clients. The
user needs the admin role: it lists, stops and starts other projects'
servers.
"""

from oslo_config import cfg

from uos_billing.conf import ksa

GROUP = 'billing_enforcement'

enforcement_opts = [
    cfg.BoolOpt('enabled',
                default=False,
                help='Run the enforcement ladder of owed accounts after '
                     'each posted period: warn (notification), then, once '
                     'grace_period is over, stop the project\'s running '
                     'servers (never those under a paid prepaid term, '
                     'never delete). A recharge that restores the account '
                     'starts again the servers billing stopped. New '
                     'resources are refused by the admission filter '
                     'whatever this says.'),
    cfg.IntOpt('grace_period',
               default=3 * 86400,
               min=0,
               help='Seconds an account may stay owed (from its '
                    'owed_since) before its running servers are stopped.'),
    cfg.BoolOpt('dry_run',
                default=False,
                help='Log and record (as dry-run) what the ladder would '
                     'do, without stopping or starting anything and '
                     'without notifications.'),
    cfg.StrOpt('actor',
               default='uos-billing-enforcement',
               help='Name recorded as the actor of the ladder\'s '
                    'actions.'),
]

KSA_DEFAULTS = {
    'timeout': 30.0,
    'service_type': 'compute',
    'valid_interfaces': ['internal', 'public'],
}


def register_opts(conf):
    conf.register_opts(enforcement_opts, group=GROUP)
    ksa.register_opts(conf, GROUP, KSA_DEFAULTS)


def list_opts():
    """The group's options for oslo-config-generator (password auth)."""
    return [(GROUP, enforcement_opts + ksa.list_opts(KSA_DEFAULTS))]


register_opts(cfg.CONF)
