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
"""Argument types and output columns shared by the billing commands.

Money goes to the API as the string the user typed (checked to be a
decimal number first) and comes back as the string the API returns, which
``-f json|yaml|value`` print as it is; a table shows it at its currency's
places (``output.MoneyColumn``). The command line never turns money into a
float.
"""

import argparse
import datetime
import re
import urllib.parse

from osc_lib.cli import format_columns
from oslo_utils import timeutils

from uos_billing.cli import output
from uos_billing.core import money as core_money


def path(*parts):
    """An API path from its segments, each one quoted."""
    return ''.join('/' + urllib.parse.quote(str(p), safe='') for p in parts)


# Argument types: each raises argparse.ArgumentTypeError, which argparse
# prints as "argument --x: <message>" with exit status 2.

def money(value):
    """A decimal amount, kept as the string given.

    The API's rule (core.money.PLAIN_DECIMAL), checked before anything is
    sent: "1e3", "1_000" and digits other than ASCII are refused here as
    the API would refuse them, only the spaces a shell leaves are dropped.
    """
    text = value.strip()
    if not core_money.PLAIN_DECIMAL.fullmatch(text):
        raise argparse.ArgumentTypeError(
            '%r is not a decimal amount (ASCII digits with an optional '
            'point and fraction, e.g. 12.50; no exponent or digit '
            'separators)' % value)
    return text


def positive_int(value):
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError('%r is not an integer' % value)
    if number < 1:
        raise argparse.ArgumentTypeError('must be 1 or more, not %d' % number)
    return number


def instant(value):
    """An ISO 8601 date or date-time, sent as an ISO 8601 UTC string.

    A date alone means its midnight, UTC; a time without an offset is UTC.
    """
    try:
        moment = timeutils.parse_isotime(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            '%r is not an ISO 8601 date or date-time '
            '(e.g. 2026-11-01 or 2026-11-01T12:00:00+00:00)' % value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc).isoformat()


MONTH = re.compile(r'^(\d{4})-(0[1-9]|1[0-2])$')


def month(value):
    """A calendar month, YYYY-MM."""
    if not MONTH.match(value.strip()):
        raise argparse.ArgumentTypeError(
            '%r is not a month written YYYY-MM (e.g. 2026-11)' % value)
    return value.strip()


def current_month():
    return timeutils.utcnow().strftime('%Y-%m')


def key_value(value):
    """``key=value`` into a (key, value) pair."""
    key, sep, val = value.partition('=')
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(
            'expected key=value, got %r' % value)
    return key.strip(), val


def given(parsed_args, keys):
    """{key: value} of the options named by keys that were given."""
    return {key: getattr(parsed_args, key) for key in keys
            if getattr(parsed_args, key) is not None}


def add_project_argument(parser):
    parser.add_argument(
        'project', metavar='<project>',
        help='ID of the project whose account it is')


def add_paging_arguments(parser, what, marker_help=None):
    parser.add_argument(
        '--limit', metavar='<num>', type=positive_int,
        help='Show at most <num> %s (default: all of them; the pages of '
             'the API are followed)' % what)
    parser.add_argument(
        '--marker', metavar='<id>',
        help=marker_help or 'Start after the %s whose ID is <id> (the '
                            'last one of a previous listing)' % what[:-1])


# Output.

class Fields(object):
    """The columns of one kind of object: (API key, heading, formatter)."""

    def __init__(self, *spec, optional=()):
        self.spec = [s if len(s) == 3 else (s[0], s[1], None) for s in spec]
        # Shown only when the answer has them.
        self.optional = frozenset(optional)

    def headings(self, keys=None):
        return tuple(h for k, h, _ in self.spec if keys is None or k in keys)

    def values(self, obj, keys=None):
        out = []
        for key, _, formatter in self.spec:
            if keys is not None and key not in keys:
                continue
            value = obj.get(key)
            if formatter is None:
                pass
            elif isinstance(formatter, type) and issubclass(
                    formatter, output.MoneyColumn):
                # An amount's currency is its row's, or its project's.
                if value is not None:
                    value = formatter(value, obj.get('currency'),
                                      obj.get('project_id'))
            elif formatter is output.LinesColumn:
                value = formatter(value, obj.get('currency'))
            else:
                value = formatter(value)
            out.append(value)
        return tuple(out)

    def show(self, obj):
        """(headings, values) for a ShowOne: the known fields, in order."""
        keys = [k for k, _, _ in self.spec
                if k in obj or k not in self.optional]
        return self.headings(keys), self.values(obj, keys)

    def list(self, objs, keys=None):
        """(headings, rows) for a Lister.

        The columns are ``keys``, or every field but the optional ones.
        """
        if keys is None:
            keys = [k for k, _, _ in self.spec if k not in self.optional]
        return self.headings(keys), [self.values(o, keys) for o in objs]


# How money columns are shown in a table: amounts at the currency's
# places, prices exact (trimmed to the currency's places).
AMOUNT = output.MoneyColumn
PRICE = output.PriceColumn

PRODUCT = Fields(
    ('id', 'ID'),
    ('name', 'Name'),
    ('service', 'Service'),
    ('region', 'Region'),
    ('match', 'Match', format_columns.DictColumn),
    ('unit', 'Unit'),
    ('on_demand_price', 'On Demand Price', PRICE),
    ('monthly_price', 'Monthly Price', PRICE),
    ('yearly_price', 'Yearly Price', PRICE),
    ('currency', 'Currency'),
    ('effective_from', 'Effective From'),
    ('effective_to', 'Effective To'),
    ('description', 'Description'),
    ('created_at', 'Created At'),
    ('created_by', 'Created By'),
    ('updated_at', 'Updated At'),
)
PRODUCT_LIST = ('id', 'name', 'service', 'region', 'match', 'unit',
                'on_demand_price', 'monthly_price', 'yearly_price',
                'currency', 'effective_from', 'effective_to')

ACCOUNT = Fields(
    ('project_id', 'Project ID'),
    ('currency', 'Currency'),
    ('balance', 'Balance', AMOUNT),
    ('credit_limit', 'Credit Limit', AMOUNT),
    ('low_balance_threshold', 'Low Balance Threshold', AMOUNT),
    ('status', 'Status'),
    ('owed_since', 'Owed Since'),
    ('burn_rate', 'Burn Rate', AMOUNT),
    ('days_until_owed', 'Days Until Owed'),
    ('created_at', 'Created At'),
    ('updated_at', 'Updated At'),
    optional=('burn_rate', 'days_until_owed'),
)
ACCOUNT_LIST = ('project_id', 'currency', 'balance', 'credit_limit',
                'low_balance_threshold', 'status', 'owed_since')

TRANSACTION = Fields(
    ('id', 'ID'),
    ('project_id', 'Project ID'),
    ('kind', 'Kind'),
    ('amount', 'Amount', AMOUNT),
    ('balance_after', 'Balance After', AMOUNT),
    ('order_id', 'Order ID'),
    ('period_begin', 'Period Begin'),
    ('period_end', 'Period End'),
    ('idempotency_key', 'Idempotency Key'),
    ('created_at', 'Created At'),
    ('created_by', 'Created By'),
    ('note', 'Note'),
)
TRANSACTION_LIST = ('id', 'kind', 'amount', 'balance_after', 'order_id',
                    'period_begin', 'period_end', 'created_at', 'note')

ORDER = Fields(
    ('id', 'ID'),
    ('project_id', 'Project ID'),
    ('resource_id', 'Resource ID'),
    ('service', 'Service'),
    ('product_id', 'Product ID'),
    ('mode', 'Mode'),
    ('status', 'Status'),
    ('unit_price', 'Unit Price', PRICE),
    ('term_start', 'Term Start'),
    ('term_end', 'Term End'),
    ('count', 'Count'),
    ('auto_renew', 'Auto Renew'),
    ('renewals', 'Renewals'),
    ('anchor_day', 'Anchor Day'),
    ('created_at', 'Created At'),
    ('closed_at', 'Closed At'),
    # POST /orders/{id}/cancel adds the amount refunded.
    ('refund', 'Refund', AMOUNT),
    optional=('refund',),
)
ORDER_LIST = ('id', 'project_id', 'resource_id', 'service', 'mode', 'status',
              'unit_price', 'term_start', 'term_end', 'count', 'auto_renew')

# GET /orders/{id}/renewal: what order renew would charge, and the funds.
RENEWAL = Fields(
    ('order_id', 'Order ID'),
    ('project_id', 'Project ID'),
    ('resource_id', 'Resource ID'),
    ('service', 'Service'),
    ('product_id', 'Product ID'),
    ('mode', 'Mode'),
    ('count', 'Count'),
    ('unit_price', 'Unit Price', PRICE),
    ('price', 'Price', AMOUNT),
    ('currency', 'Currency'),
    ('term_start', 'Term Start'),
    ('term_end', 'Term End'),
    ('balance', 'Balance', AMOUNT),
    ('credit_limit', 'Credit Limit', AMOUNT),
    ('held', 'Held', AMOUNT),
    ('available', 'Available', AMOUNT),
    ('missing', 'Missing', AMOUNT),
    ('account_status', 'Account Status'),
)

STATEMENT = Fields(
    ('project_id', 'Project ID'),
    ('month', 'Month'),
    ('currency', 'Currency'),
    ('opening_balance', 'Opening Balance', AMOUNT),
    ('recharges', 'Recharges', AMOUNT),
    ('charges', 'Charges', format_columns.DictColumn),
    ('charges_total', 'Charges Total', AMOUNT),
    ('order_payments', 'Order Payments', AMOUNT),
    ('refunds', 'Refunds', AMOUNT),
    ('adjustments', 'Adjustments', AMOUNT),
    ('closing_balance', 'Closing Balance', AMOUNT),
)

QUOTE = Fields(
    ('lines', 'Lines', output.LinesColumn),
    ('total', 'Total', AMOUNT),
    ('currency', 'Currency'),
    # An incomplete quote (a line no product prices) says so.
    ('complete', 'Complete'),
    ('message', 'Message'),
    optional=('complete', 'message'),
)
