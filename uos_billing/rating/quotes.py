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
"""Quotes of the API: what usage or a prepaid term would cost.

On-demand items go through the very pricing pass rating runs
(pricing.price_frame over a CloudKitty DataFrame); prepaid items through
the term price a purchase charges. Nothing is written.
"""

import datetime

from cloudkitty import dataframe
from oslo_config import cfg
from oslo_utils import timeutils

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import money
from uos_billing.core import orders as core_orders
from uos_billing.core import terms
from uos_billing.rating.db import api as db_api
from uos_billing.rating import pricing

CONF = cfg.CONF
CONF.import_opt('period', 'cloudkitty.collector', 'collect')
MAX_ITEMS = 100


def _item_field(index, name):
    return 'items[%d].%s' % (index, name)


def _price_on_demand(prices, service, qty, fields, region, now):
    """One point through rating's pricing pass: (product, amount)."""
    end = now + datetime.timedelta(seconds=CONF.collect.period)
    frame = dataframe.DataFrame(start=now, end=end)
    frame.add_point(dataframe.DataPoint('unit', qty, 0, fields, {}),
                    service)
    _priced, lines = pricing.price_frame(
        frame, prices, {}, region, CONF.billing.resource_key,
        frozenset(CONF.billing.line_exclude_fields))
    rated = lines[0].rated
    return rated.product, rated.amount


def _line(index, item, prices, now):
    service = item['service']
    qty = money.parse(item['qty'], _item_field(index, 'qty'))
    mode, count = item.get('mode', terms.ON_DEMAND), item.get('count', 1)
    region = item.get('region') or CONF.billing.region
    fields = item.get('fields', {})
    if mode == terms.ON_DEMAND:
        product, amount = _price_on_demand(prices, service, qty, fields,
                                           region, now)
        if product is None:
            # Rating would not charge it either, but that is no price: the
            # line says so rather than carry an amount of 0.
            return {'service': service, 'qty': qty, 'mode': mode,
                    'count': count, 'product_id': None, 'currency': None,
                    'unit_price': None, 'amount': None, 'unpriced': True,
                    'message': 'no product prices %s with these fields in '
                               'region %s: this usage has no price' % (
                                   service, region)}
        unit_price = product.on_demand_price
    else:
        try:
            terms.check_mode_count(mode, count)
        except errors.InvalidInput as exc:
            raise errors.InvalidInput(_item_field(index, exc.field),
                                      exc.reason)
        product = prices.match(service, region, fields, now)
        if product is None:
            raise errors.InvalidInput(
                _item_field(index, 'fields'), 'no product prices %s with '
                'these fields in region %s' % (service, region))
        try:
            amount, unit_price = core_orders.term_price(product, mode, count)
        except errors.InvalidInput as exc:
            raise errors.InvalidInput(_item_field(index, 'mode'),
                                      exc.reason)
    return {'service': service, 'qty': qty, 'mode': mode, 'count': count,
            'product_id': product.id, 'currency': product.currency,
            'unit_price': unit_price, 'amount': amount, 'unpriced': False}


def quote(items, currency=None, dbapi=None, now=None):
    """Price items; every priced line must be in one currency.

    A quote with an unpriced line (on-demand usage no product prices) is
    not complete: it has no total, and a message says how many lines have
    no price, so that no one reads it as free.
    """
    if not items:
        raise errors.InvalidInput('items', 'must list at least one item')
    if len(items) > MAX_ITEMS:
        raise errors.InvalidInput('items', 'at most %d items' % MAX_ITEMS)
    if currency is not None:
        # Answered as the quote's currency even when no line is priced.
        money.check_currency(currency)
    now = clock.instant(now or timeutils.utcnow(with_timezone=True))
    prices = pricing.PRICE_BOOKS.get(dbapi or db_api.get_instance())
    lines = [_line(i, item, prices, now) for i, item in enumerate(items)]
    for index, line in enumerate(lines):
        found = line.pop('currency')
        if found is None:
            continue
        if currency is None:
            currency = found
        elif found != currency:
            raise errors.InvalidInput(
                _item_field(index, 'service'), 'priced in %s, not %s: a '
                'quote is in one currency' % (found, currency))
    currency = currency or CONF.billing.default_currency
    unpriced = sum(1 for line in lines if line['unpriced'])
    result = {'lines': lines, 'currency': currency, 'complete': not unpriced,
              'total': None if unpriced else money.sum_of(
                  line['amount'] for line in lines)}
    if unpriced:
        result['message'] = (
            '%d of %d items matched no product and have no price: the quote '
            'has no total' % (unpriced, len(lines)))
    return result
