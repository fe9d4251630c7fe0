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
"""``openstack rating transaction list``: a project's ledger."""

from osc_lib.command import command

from uos_billing.cli import client
from uos_billing.cli import common

KINDS = ('recharge', 'charge', 'order_payment', 'refund', 'adjustment')


class ListTransaction(command.Lister):
    """List the ledger entries of a project's account."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        common.add_project_argument(parser)
        parser.add_argument(
            '--kind', metavar='<kind>', choices=KINDS,
            help='Only the entries of this kind: %s' % ', '.join(KINDS))
        parser.add_argument(
            '--begin', metavar='<instant>', type=common.instant,
            help='Only the entries at or after this ISO 8601 instant (a '
                 'date alone is its midnight UTC)')
        parser.add_argument(
            '--end', metavar='<instant>', type=common.instant,
            help='Only the entries before this ISO 8601 instant')
        parser.add_argument(
            '--long', action='store_true', default=False,
            help='Also show the project, idempotency key and author')
        common.add_paging_arguments(parser, 'entries')
        return parser

    def take_action(self, parsed_args):
        params = {'kind': parsed_args.kind,
                  'begin': parsed_args.begin,
                  'end': parsed_args.end}
        entries = client.get_client(self).list(
            common.path('accounts', parsed_args.project, 'transactions'),
            'transactions', params,
            limit=parsed_args.limit, marker=parsed_args.marker)
        keys = None if parsed_args.long else common.TRANSACTION_LIST
        return common.TRANSACTION.list(entries, keys)
