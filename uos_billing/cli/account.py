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
"""``openstack rating account list|show|set|recharge|statement``."""

from osc_lib import exceptions

from uos_billing.cli import client
from uos_billing.cli import common
from uos_billing.cli import output

STATUSES = ('active', 'owed', 'frozen')


class ListAccount(output.Lister):
    """List the accounts (admin: every project's; member: the project's)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--status', metavar='<status>', choices=STATUSES,
            help='Only the accounts in this status: %s' % ', '.join(STATUSES))
        common.add_paging_arguments(
            parser, 'accounts',
            marker_help='Start after the account of this project ID (the '
                        'last one of a previous listing)')
        return parser

    def take_action(self, parsed_args):
        accounts = client.get_client(self).list(
            '/accounts', 'accounts', {'status': parsed_args.status},
            limit=parsed_args.limit, marker=parsed_args.marker)
        return common.ACCOUNT.list(accounts, common.ACCOUNT_LIST)


class _AccountCommand(output.ShowOne):
    """A command on one project's account."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        common.add_project_argument(parser)
        return parser


class ShowAccount(_AccountCommand):
    """Show a project's account.

    Balance, status, credit limit, burn rate (mean daily charges over the
    last 7 days) and the days until the account is owed.
    """

    def take_action(self, parsed_args):
        account = client.get_client(self).get(
            common.path('accounts', parsed_args.project))
        return common.ACCOUNT.show(account)


class SetAccount(_AccountCommand):
    """Change a project's account (admin)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--credit-limit', metavar='<amount>', type=common.money,
            help='How far below zero the balance may go before the account '
                 'is owed (decimal, e.g. 50.00)')
        parser.add_argument(
            '--low-balance-threshold', metavar='<amount>', type=common.money,
            help='Balance under which the project is warned (decimal)')
        parser.add_argument(
            '--currency', metavar='<currency>',
            help='ISO 4217 currency of the account; only while its ledger '
                 'is empty')
        frozen = parser.add_mutually_exclusive_group()
        frozen.add_argument(
            '--freeze', dest='frozen', action='store_true', default=None,
            help='Freeze the account (status frozen)')
        frozen.add_argument(
            '--unfreeze', dest='frozen', action='store_false',
            help='Unfreeze the account')
        return parser

    def take_action(self, parsed_args):
        body = common.given(parsed_args, ('credit_limit',
                                          'low_balance_threshold',
                                          'currency', 'frozen'))
        if not body:
            raise exceptions.CommandError(
                'nothing to change: give --credit-limit, '
                '--low-balance-threshold, --currency, --freeze or '
                '--unfreeze')
        account = client.get_client(self).put(
            common.path('accounts', parsed_args.project), body)
        return common.ACCOUNT.show(account)


class RechargeAccount(_AccountCommand):
    """Credit a project's account (admin); shows the ledger entry."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--amount', metavar='<amount>', type=common.money, required=True,
            help='Amount credited, in the account currency (decimal greater '
                 'than zero, e.g. 100.00) (required)')
        parser.add_argument(
            '--note', metavar='<note>',
            help='Note kept with the ledger entry (e.g. a payment '
                 'reference)')
        parser.add_argument(
            '--idempotency-key', metavar='<key>',
            help='A key of your own: the same recharge sent again with the '
                 'same key is credited once (its first entry is shown)')
        return parser

    def take_action(self, parsed_args):
        body = {'amount': parsed_args.amount}
        body.update(common.given(parsed_args, ('note', 'idempotency_key')))
        entry = client.get_client(self).post(
            common.path('accounts', parsed_args.project, 'recharge'), body)
        return common.TRANSACTION.show(entry)


class ShowStatement(_AccountCommand):
    """Show a project's statement of a month.

    Opening balance, recharges, charges per service, order payments,
    refunds, adjustments and closing balance, each rounded once to the
    currency's minor unit.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--month', metavar='<YYYY-MM>', type=common.month,
            help='Month of the statement, UTC (default: the current month)')
        return parser

    def take_action(self, parsed_args):
        statement = client.get_client(self).get(
            common.path('accounts', parsed_args.project, 'statement'),
            {'month': parsed_args.month or common.current_month()})
        return common.STATEMENT.show(statement)
