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
"""Options of uos-billing, listed for oslo-config-generator."""

import decimal

from oslo_config import cfg

from uos_billing.core import money

GROUP = 'billing'


billing_opts = [
    cfg.StrOpt('default_currency',
               default='EUR',
               help='ISO 4217 currency of the account opened for a project '
                    'the first time it is rated. Products must be priced in '
                    'the account\'s currency: a mismatch stops that '
                    'project\'s period instead of converting.'),
    cfg.StrOpt('default_credit_limit',
               default='0',
               help='Credit limit (a decimal amount, >= 0) of new accounts: '
                    'how far below zero the balance may go before the '
                    'account is owed and purchases are refused.'),
    cfg.StrOpt('default_low_balance_threshold',
               default=None,
               help='Balance under which a billing.balance.low notification '
                    'is sent, for new accounts. Unset: never.'),
    cfg.StrOpt('region',
               default='*',
               help='Region this CloudKitty rates. A point carrying a '
                    '"region" field is priced for that region; any other '
                    'point for this one. Products of region "*" price every '
                    'region.'),
    cfg.StrOpt('resource_key',
               default='id',
               help='Groupby or metadata field that identifies the '
                    'resource a point measures (orders and charge lines '
                    'are per resource).'),
    cfg.ListOpt('line_exclude_fields',
                default=['id', 'project_id', 'user_id', 'week_of_the_year',
                         'day_of_the_year', 'month', 'year'],
                help='Groupby fields left out of a charge line\'s key: '
                     'the other groupby fields (e.g. state, flavor_name) '
                     'tell apart several points of one resource in one '
                     'period.'),
    cfg.IntOpt('hold_ttl',
               default=300,
               min=1,
               help='Seconds a funds hold (POST .../holds, placed by the '
                    'admission filter before a prepaid server is created) '
                    'sets its price aside. A hold not confirmed into an '
                    'order within this time stops counting and shows as '
                    'expired.'),
    cfg.StrOpt('project_source',
               default='keystone',
               choices=[
                   ('keystone', 'look the project up in Keystone before an '
                                'API request opens or writes its account, '
                                'and key the account by the id Keystone '
                                'answers'),
                   ('none', 'take the project id as it is sent (tests, a '
                            'cloud without Keystone)')],
               help='Where the billing API checks the project of a '
                    'recharge, an account update, a purchase or a funds '
                    'hold (the requests that may open an account). With '
                    'keystone the lookup (GET /v3/projects/{id}) uses the '
                    'credentials of [billing_enforcement] (auth_type, '
                    'auth_url, username, password, project_name, '
                    'user_domain_name, project_domain_name; region_name '
                    'and valid_interfaces choose the identity endpoint of '
                    'the catalog), whether the enforcement is enabled or '
                    'not; the user needs the admin role. Without those '
                    'credentials, or with Keystone unreachable, such '
                    'requests are refused with 503 and nothing is written. '
                    'An unknown project is a 404; an id that cannot be a '
                    'Keystone id a 400. Rating never asks: CloudKitty\'s '
                    'fetcher gives it the projects to rate.'),
    cfg.StrOpt('resource_owner_source',
               default='gnocchi',
               choices=[
                   ('gnocchi', 'the resource must be a live Gnocchi '
                               'resource of the ordering project'),
                   ('none', 'no check (tests, a cloud without Gnocchi)')],
               help='Where POST .../orders checks that the resource_id of '
                    'a purchase exists and belongs to the ordering '
                    'project. With gnocchi the resource is searched in the '
                    'Gnocchi resource type of the order\'s service '
                    '(extra_args.resource_type of its metric in [collect] '
                    'metrics_conf), through CloudKitty\'s '
                    '[collector_gnocchi] options; its [collect] scope_key '
                    'attribute (project_id) must be the project, and it '
                    'must not have ended. Unknown or another project\'s: '
                    '404; ended: 409; Gnocchi unreachable or failing: 503. '
                    'Funds holds confirmed by the admission filter are not '
                    'checked: Gnocchi does not know a server Nova has just '
                    'created.'),
]


def register_opts(conf):
    conf.register_opts(billing_opts, group=GROUP)


def default_credit_limit(conf):
    return check_amount(conf.billing.default_credit_limit,
                        '[billing] default_credit_limit')


def default_low_balance_threshold(conf):
    value = conf.billing.default_low_balance_threshold
    if value is None:
        return None
    return check_amount(value, '[billing] default_low_balance_threshold',
                        allow_negative=True)


def check_amount(value, option, allow_negative=False):
    try:
        return money.parse(value, option, allow_negative=allow_negative)
    except (ValueError, decimal.InvalidOperation) as e:
        raise cfg.ConfigFileValueError(str(e))


def check(conf):
    """Refuse bad [billing] values, naming the option (cheap, no I/O)."""
    try:
        money.check_currency(conf.billing.default_currency,
                             '[billing] default_currency')
    except ValueError as e:
        raise cfg.ConfigFileValueError(str(e))
    default_credit_limit(conf)
    default_low_balance_threshold(conf)
    if not conf.billing.resource_key:
        raise cfg.ConfigFileValueError(
            '[billing] resource_key: must name a groupby or metadata field')


def list_opts():
    # Imported here: the admission filter's options pull in keystoneauth's
    # loading, which the rating module does not need.
    from uos_billing.conf import admission
    from uos_billing.conf import checker
    from uos_billing.conf import enforcement
    return ([(GROUP, billing_opts)] + admission.list_opts() +
            enforcement.list_opts() + checker.list_opts())


register_opts(cfg.CONF)
