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
"""Shapes of the request bodies and query strings (voluptuous).

Only shapes are checked here (known fields, types, formats); the billing
rules (amounts, currencies, terms) are checked by uos_billing.core, which
names the field too.
"""

from oslo_utils import timeutils
import voluptuous as vol

from uos_billing.core import clock
from uos_billing.core import ledger
from uos_billing.core import orders
from uos_billing.core import terms

ANY_MONEY = vol.Any(str, int, float, msg='expected an amount as a string')
TEXT = vol.All(str, vol.Length(max=255))


def instant(text):
    """An ISO 8601 instant (UTC when it carries no offset)."""
    if not isinstance(text, str):
        raise vol.Invalid('expected an ISO 8601 date and time')
    try:
        return clock.instant(timeutils.parse_isotime(text))
    except ValueError:
        raise vol.Invalid('malformed date %r: expected ISO 8601, e.g. '
                          '2026-11-01T00:00:00Z' % text)


def one_of(values):
    def check(value):
        if value not in values:
            raise vol.Invalid('must be one of %s, got %r' % (
                ', '.join(values), value))
        return value
    return check


def flag(value):
    if not isinstance(value, bool):
        raise vol.Invalid('must be true or false')
    return value


def integer(value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise vol.Invalid('must be an integer')
    return value


PRODUCT_CREATE = vol.Schema({
    vol.Required('name'): TEXT,
    vol.Required('service'): TEXT,
    'region': TEXT,
    'match': dict,
    'unit': TEXT,
    vol.Required('on_demand_price'): ANY_MONEY,
    'monthly_price': vol.Any(None, ANY_MONEY),
    'yearly_price': vol.Any(None, ANY_MONEY),
    'currency': str,
    'effective_from': instant,
    'effective_to': vol.Any(None, instant),
    'description': vol.Any(None, str),
})

PRODUCT_UPDATE = vol.Schema({
    'name': TEXT,
    'description': vol.Any(None, str),
    'effective_to': vol.Any(None, instant),
    'on_demand_price': ANY_MONEY,
    'monthly_price': vol.Any(None, ANY_MONEY),
    'yearly_price': vol.Any(None, ANY_MONEY),
    'effective_from': instant,
})

PRODUCT_QUERY = vol.Schema({'service': str, 'region': str,
                            'active_at': instant})

ACCOUNT_UPDATE = vol.Schema({
    'credit_limit': ANY_MONEY,
    'currency': str,
    'low_balance_threshold': vol.Any(None, ANY_MONEY),
    'frozen': flag,
})

ACCOUNT_QUERY = vol.Schema({'status': one_of(ledger.STATUSES)})

RECHARGE = vol.Schema({
    vol.Required('amount'): ANY_MONEY,
    'note': vol.Any(None, vol.All(str, vol.Length(max=1000))),
    'idempotency_key': vol.All(str, vol.Length(min=1, max=200)),
})

TRANSACTION_QUERY = vol.Schema({'kind': one_of(ledger.KINDS),
                                'begin': instant, 'end': instant})

STATEMENT_QUERY = vol.Schema({vol.Required('month'): str})

ORDER_QUERY = vol.Schema({
    'project_id': str,
    'status': one_of(orders.STATUSES),
    'mode': one_of(terms.MODES),
    'resource_id': str,
})

# A client's key of an order operation: the same request sent again with
# it is answered its first result (uos_billing.core.idempotency).
IDEMPOTENCY_KEY = vol.All(str, vol.Length(min=1, max=200))

ORDER_CREATE = vol.Schema({
    'project_id': TEXT,
    vol.Required('resource_id'): TEXT,
    vol.Required('service'): TEXT,
    vol.Required('product_id'): TEXT,
    vol.Required('mode'): one_of(terms.PREPAID_MODES),
    vol.Required('count'): integer,
    'auto_renew': flag,
    'idempotency_key': IDEMPOTENCY_KEY,
})

ORDER_UPDATE = vol.Schema({vol.Required('auto_renew'): flag,
                           'idempotency_key': IDEMPOTENCY_KEY})

ORDER_CANCEL = vol.Schema({'idempotency_key': IDEMPOTENCY_KEY})

# term_end: the end of the term the client renews (the order's current
# one), so that the same intent sent twice renews once.
ORDER_RENEW = vol.Schema({vol.Required('term_end'): instant,
                          'idempotency_key': IDEMPOTENCY_KEY})

HOLD_FIELD = vol.Any(str, int, None, msg='expected a string')

HOLD_CREATE = vol.Schema({
    'project_id': TEXT,
    vol.Required('service'): TEXT,
    vol.Required('mode'): one_of(terms.PREPAID_MODES),
    vol.Required('count'): integer,
    'auto_renew': flag,
    'fields': {str: HOLD_FIELD},
    'product_id': TEXT,
})

HOLD_CONFIRM = vol.Schema({vol.Required('resource_id'): TEXT})

QUOTE_ITEM = {
    vol.Required('service'): TEXT,
    vol.Required('qty'): ANY_MONEY,
    'fields': dict,
    'region': TEXT,
    'mode': one_of(terms.MODES),
    'count': integer,
}

QUOTE = vol.Schema({
    vol.Required('items'): [QUOTE_ITEM],
    'currency': str,
})
