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
"""``openstack rating billing quote``: what usage or a term would cost."""

import argparse

from uos_billing.cli import client
from uos_billing.cli import common
from uos_billing.cli import output

MODES = ('on_demand', 'monthly', 'yearly')
# The keys of --item that are not usage fields.
ITEM_KEYS = ('service', 'qty', 'mode', 'count', 'region')

ITEM_HELP = (
    'An item to price, written key=value[,key=value...]: service=<service> '
    '(required), qty=<quantity> (required; the quantity priced on demand, '
    'e.g. hours of an instance), mode=on_demand|monthly|yearly (default '
    'on_demand), '
    'count=<terms> (monthly/yearly, default 1), region=<region>; every '
    'other key is a field of the usage the products match, e.g. '
    'flavor_name=m1.small. Repeat --item for several lines, e.g. '
    '--item service=instance,qty=720,flavor_name=m1.small '
    '--item service=instance,qty=720,flavor_name=m1.small,mode=monthly,'
    'count=3')


def quote_item(value):
    """One --item into the API's item object."""
    item = {}
    fields = {}
    for part in value.split(','):
        if not part.strip():
            continue
        key, sep, val = part.partition('=')
        key = key.strip()
        val = val.strip()
        if not sep or not key:
            raise argparse.ArgumentTypeError(
                'expected key=value pairs separated by commas, got %r'
                % part)
        target = item if key in ITEM_KEYS else fields
        if key in target:
            raise argparse.ArgumentTypeError('%s is given twice' % key)
        target[key] = val
    if not item.get('service'):
        raise argparse.ArgumentTypeError(
            'service=<service> is missing in %r' % value)
    mode = item.setdefault('mode', 'on_demand')
    if mode not in MODES:
        raise argparse.ArgumentTypeError(
            'mode must be one of %s, not %r' % (', '.join(MODES), mode))
    if 'qty' not in item:
        raise argparse.ArgumentTypeError(
            'qty=<quantity> is missing in %r' % value)
    item['qty'] = common.money(item['qty'])
    if 'count' in item:
        item['count'] = common.positive_int(item['count'])
    item['fields'] = fields
    return item


class Quote(output.ShowOne):
    """Price usage and prepaid terms with the current price book.

    The lines are priced by the same code as the billing of usage: on
    demand, qty x the matching product's on-demand price; monthly or
    yearly, count x its monthly or yearly price.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--item', metavar='<key=value,...>', dest='items',
            type=quote_item, action='append', required=True,
            help=ITEM_HELP)
        parser.add_argument(
            '--currency', metavar='<currency>',
            help='Currency of the products to price with (default: the '
                 'configured currency)')
        return parser

    def take_action(self, parsed_args):
        body = {'items': parsed_args.items}
        if parsed_args.currency is not None:
            body['currency'] = parsed_args.currency
        quote = client.get_client(self).post('/quotes', body)
        return common.QUOTE.show(quote)
