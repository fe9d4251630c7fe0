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
"""``openstack rating product list|show|create|set|delete``."""

from osc_lib.command import command
from osc_lib import exceptions

from uos_billing.cli import client
from uos_billing.cli import common
from uos_billing.cli import listing
from uos_billing.cli import output

PRICE_OPTIONS = ('on_demand_price', 'monthly_price', 'yearly_price')


def add_price_arguments(parser, required):
    parser.add_argument(
        '--on-demand-price', metavar='<amount>', type=common.money,
        required=required,
        help='Price of one unit used on demand, e.g. 0.02 per hour for '
             'instance hours (decimal, in the product currency)'
             + (' (required)' if required else ''))
    parser.add_argument(
        '--monthly-price', metavar='<amount>', type=common.money,
        help='Price of a prepaid month; without it the product cannot be '
             'bought monthly')
    parser.add_argument(
        '--yearly-price', metavar='<amount>', type=common.money,
        help='Price of a prepaid year; without it the product cannot be '
             'bought yearly')


def match_dict(pairs):
    match = {}
    for key, value in pairs or ():
        if key in match:
            raise exceptions.CommandError(
                '--match %s is given twice' % key)
        match[key] = value
    return match


class ListProduct(listing.ListCommand):
    """List the products of the price book."""

    collection = 'products'
    fields = common.PRODUCT
    short_columns = common.PRODUCT_LIST
    long_help = 'Also show the description, author and dates'

    def add_filters(self, parser):
        parser.add_argument(
            '--service', metavar='<service>',
            help='Only the products of this service (e.g. instance)')
        parser.add_argument(
            '--region', metavar='<region>',
            help='Only the products of this region')
        parser.add_argument(
            '--active-at', metavar='<instant>', type=common.instant,
            help='Only the products in effect at this ISO 8601 instant '
                 '(a date alone is its midnight UTC)')

    def params(self, parsed_args):
        return {'service': parsed_args.service,
                'region': parsed_args.region,
                'active_at': parsed_args.active_at}


class ShowProduct(output.ShowOne):
    """Show a product of the price book."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('product', metavar='<product>',
                            help='ID of the product')
        return parser

    def take_action(self, parsed_args):
        product = client.get_client(self).get(
            common.path('products', parsed_args.product))
        return common.PRODUCT.show(product)


class CreateProduct(output.ShowOne):
    """Create a product: a price for the usage of a service (admin)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'name', metavar='<name>',
            help='Name of the new product (e.g. m1.small)')
        parser.add_argument(
            '--service', metavar='<service>', required=True,
            help='Service (CloudKitty metric) the product prices, e.g. '
                 'instance (required)')
        parser.add_argument(
            '--region', metavar='<region>',
            help='Region the product applies to (default: * for every '
                 'region)')
        parser.add_argument(
            '--match', metavar='<key=value>', type=common.key_value,
            action='append',
            help='A field the usage must have to be priced by this product, '
                 'e.g. flavor_name=m1.small or state=shutoff (repeat for '
                 'several fields; the product whose match has the most '
                 'fields wins)')
        parser.add_argument(
            '--unit', metavar='<unit>',
            help='Unit of the quantity priced, e.g. hour (default: unit)')
        add_price_arguments(parser, required=True)
        parser.add_argument(
            '--currency', metavar='<currency>',
            help='ISO 4217 currency of the prices (default: the '
                 'configured currency)')
        parser.add_argument(
            '--effective-from', metavar='<instant>', type=common.instant,
            help='ISO 8601 instant the product takes effect (default: now)')
        parser.add_argument(
            '--effective-to', metavar='<instant>', type=common.instant,
            help='ISO 8601 instant the product ends (default: never)')
        parser.add_argument(
            '--description', metavar='<description>',
            help='Description of the product')
        return parser

    def take_action(self, parsed_args):
        body = {'name': parsed_args.name,
                'service': parsed_args.service,
                'match': match_dict(parsed_args.match)}
        body.update(common.given(
            parsed_args, ('region', 'unit', 'currency', 'effective_from',
                          'effective_to', 'description') + PRICE_OPTIONS))
        product = client.get_client(self).post('/products', body)
        return common.PRODUCT.show(product)


class SetProduct(output.ShowOne):
    """Change a product (admin).

    The name, description and end are changed in place. A new price ends
    the product at --effective-from (default: now) and creates its
    successor with the new prices, which is shown: usage already rated
    keeps the price it had.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('product', metavar='<product>',
                            help='ID of the product')
        parser.add_argument('--name', metavar='<name>',
                            help='New name of the product')
        parser.add_argument('--description', metavar='<description>',
                            help='New description of the product')
        parser.add_argument(
            '--effective-to', metavar='<instant>', type=common.instant,
            help='ISO 8601 instant the product ends')
        add_price_arguments(parser, required=False)
        parser.add_argument(
            '--effective-from', metavar='<instant>', type=common.instant,
            help='With a new price: ISO 8601 instant the new price takes '
                 'effect (default: now)')
        return parser

    def take_action(self, parsed_args):
        body = common.given(
            parsed_args, ('name', 'description', 'effective_to',
                          'effective_from') + PRICE_OPTIONS)
        if not body:
            raise exceptions.CommandError(
                'nothing to change: give --name, --description, '
                '--effective-to or a new price')
        if 'effective_from' in body and not set(PRICE_OPTIONS) & set(body):
            raise exceptions.CommandError(
                '--effective-from dates a new price: give --on-demand-price,'
                ' --monthly-price or --yearly-price with it')
        product = client.get_client(self).put(
            common.path('products', parsed_args.product), body)
        return common.PRODUCT.show(product)


class DeleteProduct(command.Command):
    """Delete products (admin).

    A product used by an order or a charge cannot be deleted, only ended
    (openstack rating product set --effective-to).
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('products', metavar='<product>', nargs='+',
                            help='ID of a product to delete (repeat for '
                                 'several)')
        return parser

    def take_action(self, parsed_args):
        billing = client.get_client(self)
        failures = []
        for product in parsed_args.products:
            try:
                billing.delete(common.path('products', product))
            except exceptions.CommandError as e:
                failures.append('%s: %s' % (product, e))
        if failures:
            raise exceptions.CommandError(
                'failed to delete %d of %d products: %s' % (
                    len(failures), len(parsed_args.products),
                    '; '.join(failures)))
