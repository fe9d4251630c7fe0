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

from uos_billing.cli import common
from uos_billing.cli import listing

KINDS = ('recharge', 'charge', 'order_payment', 'refund', 'adjustment')


class ListTransaction(listing.ListCommand):
    """List the ledger entries of a project's account."""

    collection = 'transactions'
    what = 'entries'
    fields = common.TRANSACTION
    short_columns = common.TRANSACTION_LIST
    long_help = 'Also show the project, idempotency key and author'

    def add_filters(self, parser):
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

    def path(self, parsed_args):
        return common.path('accounts', parsed_args.project, 'transactions')

    def params(self, parsed_args):
        return {'kind': parsed_args.kind,
                'begin': parsed_args.begin,
                'end': parsed_args.end}
