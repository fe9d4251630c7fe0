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
"""What makes a valid product, and how a price change makes a new one.

SPEC section 3: price changes are new rows with new effective dates, never
edits of a used row. Each check names the field it refuses.
"""

import dataclasses

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import money
from uos_billing.core import pricebook
from uos_billing.core import text

PRICE_FIELDS = ('on_demand_price', 'monthly_price', 'yearly_price')
#: Prices held as they stand (a term's price is charged as it is): no more
#: places than the currency's minor unit. on_demand_price is a rate per
#: unit of usage, multiplied by quantities and rounded only in statement
#: totals (SPEC 2), so it may be finer (0.0116 EUR an hour).
PREPAID_PRICE_FIELDS = ('monthly_price', 'yearly_price')
MATCH_LIMIT = 32


def check_text(value, field, required=True):
    """A single-line text field, stripped; its length is the schema's.

    The API's schema holds each field to its column's length
    (uos_billing.rating.api.schemas); the characters are checked here too,
    for every caller, by the one rule of uos_billing.core.text.
    """
    if not isinstance(value, str):
        raise errors.InvalidInput(field, 'expected a string, got %s' %
                                  type(value).__name__)
    # Before strip(), which takes some control characters (U+001C-U+001F,
    # U+0085) for white space.
    value = text.check_line(value, field).strip()
    if required and not value:
        raise errors.InvalidInput(field, 'must not be empty')
    return value


def _match(match):
    if not isinstance(match, dict):
        raise errors.InvalidInput('match', 'expected an object of field -> '
                                           'value')
    if len(match) > MATCH_LIMIT:
        raise errors.InvalidInput('match', 'more than %d fields' %
                                  MATCH_LIMIT)
    for key, value in match.items():
        if not key or not isinstance(key, str):
            raise errors.InvalidInput('match', 'field names must be '
                                               'non-empty strings')
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise errors.InvalidInput(
                'match', 'the value of %s must be a string or an integer, '
                         'got %s' % (key, type(value).__name__))
        text.check_line(key, 'match')
        if isinstance(value, str):
            text.check_line(value, 'match.%s' % key)
    return match


def _price(value, field, required, currency):
    if value is None:
        if required:
            raise errors.InvalidInput(field, 'is required')
        return None
    price = money.parse(value, field)
    if field in PREPAID_PRICE_FIELDS:
        money.check_places(price, currency, field)
    return price


def new_product(product_id, fields, default_currency, now):
    """A core Product from an API body, every field checked."""
    if 'effective_from' in fields and fields['effective_from'] is None:
        raise errors.InvalidInput('effective_from', 'must not be null')
    begin = clock.instant(fields.get('effective_from') or now)
    end = fields.get('effective_to')
    end = None if end is None else clock.instant(end)
    if end is not None and end <= begin:
        raise errors.InvalidInput(
            'effective_to', 'must be after effective_from (%s)' %
                            begin.isoformat())
    currency = money.check_currency(
        fields.get('currency') or default_currency)
    return pricebook.Product.build(
        id=product_id, name=check_text(fields.get('name'), 'name'),
        service=check_text(fields.get('service'), 'service'),
        region=check_text(fields.get('region', pricebook.ANY_REGION),
                          'region'),
        match=_match(fields.get('match', {})),
        unit=check_text(fields.get('unit', 'unit'), 'unit', required=False),
        on_demand_price=_price(fields.get('on_demand_price'),
                               'on_demand_price', True, currency),
        monthly_price=_price(fields.get('monthly_price'), 'monthly_price',
                             False, currency),
        yearly_price=_price(fields.get('yearly_price'), 'yearly_price',
                            False, currency),
        currency=currency, effective_from=begin, effective_to=end)


def price_change(product, successor_id, prices, at):
    """The product that takes over product's prices from at on.

    prices maps some of PRICE_FIELDS to new values (None: not sold
    prepaid any more). The old product ends at at; the successor keeps
    its service, region, match, currency and end.
    """
    if not product.effective_from < at:
        raise errors.InvalidInput(
            'effective_from', 'a price change must start after the product '
            'does (%s)' % product.effective_from.isoformat())
    if product.effective_to is not None and at >= product.effective_to:
        raise errors.InvalidInput(
            'effective_from', 'product %s ends at %s, before the price '
            'change' % (product.id, product.effective_to.isoformat()))
    changed = {field: _price(value, field, field == 'on_demand_price',
                             product.currency)
               for field, value in prices.items()}
    ended = dataclasses.replace(product, effective_to=at)
    successor = dataclasses.replace(product, id=successor_id,
                                    effective_from=at, **changed)
    return ended, successor
