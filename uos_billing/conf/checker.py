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
"""Options of uos-billing-checker (``[billing_checker]``).

The checker reads CloudKitty's configuration file: the database
(``[database]``), the period (``[collect] period``) and the way to
Gnocchi (``[collector_gnocchi]``, as CloudKitty's collector uses it) come
from there.
"""

from oslo_config import cfg

GROUP = 'billing_checker'

checker_opts = [
    cfg.StrOpt('coordination_url',
               default=None,
               help='Tooz backend the checkers share the projects through '
                    '(e.g. redis://127.0.0.1:6379). Unset: [orchestrator] '
                    'coordination_url, as CloudKitty\'s processors use it.'),
    cfg.StrOpt('group',
               default='uos-billing-checker',
               help='Tooz partitioned group of the checkers: each project '
                    'is checked by exactly one of its members.'),
    cfg.DictOpt('resource_types',
                default={'instance': 'instance'},
                help='Gnocchi resource type: billing service (the '
                     'CloudKitty metric its orders are for). Live '
                     'resources of these types must have an active order; '
                     'active orders of these services must have a live '
                     'resource.'),
    cfg.IntOpt('renewal_notice_days',
               default=7,
               min=0,
               help='Auto-renewed prepaid terms ending within this many '
                    'days whose renewal the account cannot pay get one '
                    'billing.order.renewal_at_risk notification per term.'),
    cfg.IntOpt('lookback',
               default=7 * 86400,
               min=1,
               help='Seconds back from the last period CloudKitty '
                    'processed in which every period of a project with '
                    'orders must have a charge entry.'),
    cfg.StrOpt('actor',
               default='uos-billing-checker',
               help='Name recorded as the actor of the checker\'s heals.'),
]

cli_opts = [
    cfg.IntOpt('interval',
               default=0,
               min=0,
               help='Check again every this many seconds; 0: check once '
                    'and exit.'),
    cfg.BoolOpt('dry-run',
                default=False,
                help='Report drift, heal nothing and write nothing.'),
]


def register_opts(conf):
    conf.register_opts(checker_opts, group=GROUP)


def list_opts():
    return [(GROUP, checker_opts)]


register_opts(cfg.CONF)
