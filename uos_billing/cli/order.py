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
"""``openstack rating order list|show|create|set|cancel|renew|renewal``.

Every command that pays, refunds or changes an order sends an idempotency
key (``--idempotency-key``, else one drawn for the invocation): a request
the client sends again (keystoneauth's retries) is then done once.
"""

from osc_lib import exceptions
from oslo_utils import uuidutils

from uos_billing.cli import client
from uos_billing.cli import common
from uos_billing.cli import listing
from uos_billing.cli import output

STATUSES = ('active', 'expired', 'cancelled', 'closed')
MODES = ('on_demand', 'monthly', 'yearly')
PREPAID_MODES = ('monthly', 'yearly')


class ListOrder(listing.ListCommand):
    """List orders (admin: every project's; member: the project's)."""

    collection = 'orders'
    fields = common.ORDER
    short_columns = common.ORDER_LIST
    long_help = 'Also show the product, renewals, anchor day and dates'

    def add_filters(self, parser):
        parser.add_argument(
            '--project', metavar='<project>',
            help='Only the orders of this project ID (admin)')
        parser.add_argument(
            '--status', metavar='<status>', choices=STATUSES,
            help='Only the orders in this status: %s' % ', '.join(STATUSES))
        parser.add_argument(
            '--mode', metavar='<mode>', choices=MODES,
            help='Only the orders of this mode: %s' % ', '.join(MODES))
        parser.add_argument(
            '--resource-id', metavar='<resource-id>',
            help='Only the orders of this resource (e.g. an instance ID)')

    def params(self, parsed_args):
        return {'project_id': parsed_args.project,
                'status': parsed_args.status,
                'mode': parsed_args.mode,
                'resource_id': parsed_args.resource_id}


def add_idempotency_key(parser, what):
    parser.add_argument(
        '--idempotency-key', metavar='<key>',
        help='A key of your own for this %s: sent again with the same key '
             '(e.g. after a lost answer), it is done once and its first '
             'result is shown (default: a new key for each command)' % what)


def idempotency_key(parsed_args):
    """The key given, else one for this invocation only."""
    return parsed_args.idempotency_key or 'cli-' + uuidutils.generate_uuid()


class _OrderCommand(output.ShowOne):
    """A command on one order, named by its ID."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('order', metavar='<order>', help='ID of the order')
        return parser


class _OrderAction(_OrderCommand):
    """POST /orders/{id}/<action>, showing the order answered."""

    action = None
    # What the action is called in the help of --idempotency-key.
    what = None

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_idempotency_key(parser, self.what)
        return parser

    def body(self, billing, parsed_args):
        return {'idempotency_key': idempotency_key(parsed_args)}

    def take_action(self, parsed_args):
        billing = client.get_client(self)
        order = billing.post(
            common.path('orders', parsed_args.order, self.action),
            self.body(billing, parsed_args))
        return common.ORDER.show(order)


class ShowOrder(_OrderCommand):
    """Show an order."""

    def take_action(self, parsed_args):
        order = client.get_client(self).get(
            common.path('orders', parsed_args.order))
        return common.ORDER.show(order)


class CreateOrder(output.ShowOne):
    """Buy a prepaid monthly or yearly term for a resource.

    The term is paid from the project's account at once; the usage of the
    resource that the product matches is free while the term runs.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--project', metavar='<project>',
            help='ID of the project that pays (default: the project of '
                 'your token)')
        parser.add_argument(
            '--resource-id', metavar='<resource-id>', required=True,
            help='The resource the term is for, e.g. an instance ID '
                 '(required)')
        parser.add_argument(
            '--service', metavar='<service>', required=True,
            help='Service of the resource, e.g. instance (required)')
        parser.add_argument(
            '--product', metavar='<product>', required=True,
            help='ID of the product whose monthly or yearly price is paid '
                 '(required)')
        parser.add_argument(
            '--mode', metavar='<mode>', choices=PREPAID_MODES, required=True,
            help='Length of a term: monthly or yearly (required)')
        parser.add_argument(
            '--count', metavar='<count>', type=common.positive_int,
            default=1,
            help='Number of terms bought at once: 1 to 120 months or 1 to '
                 '10 years (default: 1)')
        renew = parser.add_mutually_exclusive_group()
        renew.add_argument(
            '--auto-renew', dest='auto_renew', action='store_true',
            default=False,
            help='Renew the term when it ends, paid from the account')
        renew.add_argument(
            '--no-auto-renew', dest='auto_renew', action='store_false',
            help='Let the term expire when it ends (default)')
        add_idempotency_key(parser, 'purchase')
        return parser

    def take_action(self, parsed_args):
        body = {'resource_id': parsed_args.resource_id,
                'service': parsed_args.service,
                'product_id': parsed_args.product,
                'mode': parsed_args.mode,
                'count': parsed_args.count,
                'auto_renew': parsed_args.auto_renew,
                'idempotency_key': idempotency_key(parsed_args)}
        if parsed_args.project is not None:
            body['project_id'] = parsed_args.project
        order = client.get_client(self).post('/orders', body)
        return common.ORDER.show(order)


class SetOrder(_OrderCommand):
    """Turn the automatic renewal of a prepaid order on or off."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        renew = parser.add_mutually_exclusive_group(required=True)
        renew.add_argument(
            '--auto-renew', dest='auto_renew', action='store_true',
            default=None,
            help='Renew the term when it ends, paid from the account')
        renew.add_argument(
            '--no-auto-renew', dest='auto_renew', action='store_false',
            help='Let the term expire when it ends')
        add_idempotency_key(parser, 'change')
        return parser

    def take_action(self, parsed_args):
        order = client.get_client(self).put(
            common.path('orders', parsed_args.order),
            {'auto_renew': parsed_args.auto_renew,
             'idempotency_key': idempotency_key(parsed_args)})
        return common.ORDER.show(order)


class CancelOrder(_OrderAction):
    """Cancel a prepaid order.

    The unused part of the term is refunded to the project's account; the
    amount is shown as Refund.
    """

    action = 'cancel'
    what = 'cancellation'


class RenewOrder(_OrderAction):
    """Pay the next term of a prepaid order now, from the account.

    The renewal applies to the term that ends at --term-end: when the
    order's term ends at another instant (it was renewed meanwhile), nothing
    is paid and the API says when the current term ends.
    """

    action = 'renew'
    what = 'renewal'

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--term-end', metavar='<instant>', type=common.instant,
            help='End of the term to renew, ISO 8601 (default: the end of '
                 'the order\'s current term, read before renewing)')
        return parser

    def body(self, billing, parsed_args):
        term_end = parsed_args.term_end
        if term_end is None:
            # Read once: a retry of this renewal states the same end.
            order = billing.get(common.path('orders', parsed_args.order))
            term_end = order.get('term_end')
            if term_end is None:
                raise exceptions.CommandError(
                    'order %s has no term to renew (mode %s)' % (
                        parsed_args.order, order.get('mode')))
        return dict(super().body(billing, parsed_args), term_end=term_end)


class ShowOrderRenewal(_OrderCommand):
    """Show what renewing a prepaid order now would charge; pays nothing.

    The price is the one "order renew" charges: count x the monthly or
    yearly price of the product in effect when the current term ends (after
    a price change, not the order's unit price). Term Start and Term End
    are those of the next term; Available is balance + credit limit - held
    funds, Missing what the price exceeds it by.
    """

    def take_action(self, parsed_args):
        renewal = client.get_client(self).get(
            common.path('orders', parsed_args.order, 'renewal'))
        return common.RENEWAL.show(renewal)
