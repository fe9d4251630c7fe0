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

Only shapes are checked here (known fields, types, formats, lengths); the
billing rules (amounts, currencies, terms) are checked by
uos_billing.core, which names the field too.

Every text field is held to the column it lands in: a line
(uos_billing.core.text.check_line) to its VARCHAR's length in characters,
a free text (check_free_text) to TEXT_BYTES bytes of UTF-8. The lengths
are read from the models, the one place they are written.
"""

import json

from oslo_utils import timeutils
import sqlalchemy as sa
import voluptuous as vol

from uos_billing.core import catalog
from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import identifiers
from uos_billing.core import ledger
from uos_billing.core import orders
from uos_billing.core import terms
from uos_billing.core import text
from uos_billing.rating.db.sqlalchemy import models

ANY_MONEY = vol.Any(str, int, float, msg='expected an amount as a string')


def _schema_check(check):
    """A core check as a voluptuous validator; voluptuous names the field."""
    def validator(value):
        try:
            return check(value)
        except errors.InvalidInput as exc:
            raise vol.Invalid(exc.reason)
    return validator


def column_chars(column):
    """The characters a String column holds (VARCHAR(n): n characters)."""
    column_type = column.expression.type
    assert not isinstance(column_type, sa.Text), column
    return column_type.length


def line(column=None, max_chars=None, min_chars=0):
    """A single-line text of at most its column's length."""
    limit = max_chars or column_chars(column)
    validator = _schema_check(
        lambda value: text.check_line(value, '', limit, min_chars))
    validator.max_chars = limit
    return validator


def free_text(column):
    """A free text (tabs and line breaks allowed) for a Text column."""
    assert isinstance(column.expression.type, sa.Text), column
    validator = _schema_check(lambda value: text.check_free_text(value, ''))
    validator.max_bytes = text.TEXT_BYTES
    return validator


#: Match fields and values, and the fields of a quote or hold, are kept in
#: JSON (a product's match) or only compared: held to the longest line a
#: billing column keeps (a resource id).
FIELD_CHARS = column_chars(models.Order.resource_id)
#: What a recharge's key may be: the ledger keeps it as
#: recharge:<project_id>:<key>, in the ledger's idempotency_key column.
IDEMPOTENCY_KEY_CHARS = (
    column_chars(models.LedgerEntry.idempotency_key)
    - len(ledger.recharge_key('', ''))
    - column_chars(models.Account.project_id))
#: A project id: what core.identifiers takes for a Keystone project's, at
#: most the accounts' project_id column.
PROJECT_ID = _schema_check(identifiers.check_project_id)
PROJECT_ID.max_chars = identifiers.PROJECT_ID_MAX


def _field_items(value):
    """Check the names and string values of a match or of fields."""
    if not isinstance(value, dict):
        raise vol.Invalid('expected an object of field -> value')
    for key, item in value.items():
        try:
            text.check_line(key, 'a field name', FIELD_CHARS, min_chars=1)
            if isinstance(item, str):
                text.check_line(item, 'the value of %s' % key[:40],
                                FIELD_CHARS)
        except errors.InvalidInput as exc:
            raise vol.Invalid(str(exc))
        if isinstance(item, int) and len(str(item)) > FIELD_CHARS:
            raise vol.Invalid('the value of %s: at most %d digits' % (
                key[:40], FIELD_CHARS))


def _match(value):
    _field_items(value)
    # As the product's match column keeps it (sql catalog): canonical JSON.
    stored = len(json.dumps({k: str(v) for k, v in value.items()},
                            sort_keys=True))
    if stored > text.TEXT_BYTES:
        raise vol.Invalid('at most %d bytes once stored as JSON (got %d)' % (
            text.TEXT_BYTES, stored))
    return value


MATCH = vol.All(vol.Length(max=catalog.MATCH_LIMIT,
                           msg='at most %d fields' % catalog.MATCH_LIMIT),
                _match)


def _fields(value):
    """A quote's or hold's fields: names -> scalar values, as a match."""
    _field_items(value)
    for key, item in value.items():
        if isinstance(item, (dict, list)):
            raise vol.Invalid('the value of %s must be a string or a '
                              'number' % key[:40])
    return value


FIELDS = vol.All(vol.Length(max=catalog.MATCH_LIMIT,
                            msg='at most %d fields' % catalog.MATCH_LIMIT),
                 _fields)


def instant(value):
    """An ISO 8601 instant (UTC when it carries no offset)."""
    if not isinstance(value, str):
        raise vol.Invalid('expected an ISO 8601 date and time')
    try:
        parsed = timeutils.parse_isotime(value)
    except ValueError:
        raise vol.Invalid('malformed date %r: expected ISO 8601, e.g. '
                          '2026-11-01T00:00:00Z' % value[:40])
    return _schema_check(lambda dt: clock.bounded(dt, ''))(parsed)


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


def nullable(validator):
    """validator, or null (the validator's message when it refuses)."""
    def check(value):
        return None if value is None else validator(value)
    for limit in ('max_chars', 'max_bytes'):
        if hasattr(validator, limit):
            setattr(check, limit, getattr(validator, limit))
    return check


PRODUCT_CREATE = vol.Schema({
    vol.Required('name'): line(models.Product.name),
    vol.Required('service'): line(models.Product.service),
    'region': line(models.Product.region),
    'match': MATCH,
    'unit': line(models.Product.unit),
    vol.Required('on_demand_price'): ANY_MONEY,
    'monthly_price': vol.Any(None, ANY_MONEY),
    'yearly_price': vol.Any(None, ANY_MONEY),
    'currency': str,
    'effective_from': instant,
    'effective_to': nullable(instant),
    'description': nullable(free_text(models.Product.description)),
})

PRODUCT_UPDATE = vol.Schema({
    'name': line(models.Product.name),
    'description': nullable(free_text(models.Product.description)),
    'effective_to': nullable(instant),
    'on_demand_price': ANY_MONEY,
    'monthly_price': vol.Any(None, ANY_MONEY),
    'yearly_price': vol.Any(None, ANY_MONEY),
    'effective_from': instant,
})

PRODUCT_QUERY = vol.Schema({'service': line(models.Product.service),
                            'region': line(models.Product.region),
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
    'note': nullable(free_text(models.LedgerEntry.note)),
    'idempotency_key': line(max_chars=IDEMPOTENCY_KEY_CHARS, min_chars=1),
})

TRANSACTION_QUERY = vol.Schema({'kind': one_of(ledger.KINDS),
                                'begin': instant, 'end': instant})

STATEMENT_QUERY = vol.Schema({vol.Required('month'): line(max_chars=7)})

ORDER_QUERY = vol.Schema({
    'project_id': PROJECT_ID,
    'status': one_of(orders.STATUSES),
    'mode': one_of(terms.MODES),
    'resource_id': line(models.Order.resource_id),
})

# A client's key of an order operation: the same request sent again with
# it is answered its first result (uos_billing.core.idempotency). A line
# of at most 200 characters, as documented, of the 255 its column holds.
IDEMPOTENCY_KEY = line(max_chars=200, min_chars=1)

ORDER_CREATE = vol.Schema({
    'project_id': PROJECT_ID,
    vol.Required('resource_id'): line(models.Order.resource_id),
    vol.Required('service'): line(models.Order.service),
    vol.Required('product_id'): line(models.Order.product_id),
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
    'project_id': PROJECT_ID,
    vol.Required('service'): line(models.Hold.service),
    vol.Required('mode'): one_of(terms.PREPAID_MODES),
    vol.Required('count'): integer,
    'auto_renew': flag,
    'fields': vol.All({str: HOLD_FIELD}, FIELDS),
    'product_id': line(models.Hold.product_id),
})

HOLD_CONFIRM = vol.Schema({
    vol.Required('resource_id'): line(models.Hold.resource_id)})

QUOTE_ITEM = {
    # What a product prices: a quote's service and region are a product's.
    vol.Required('service'): line(models.Product.service),
    vol.Required('qty'): ANY_MONEY,
    'fields': FIELDS,
    'region': line(models.Product.region),
    'mode': one_of(terms.MODES),
    'count': integer,
}

QUOTE = vol.Schema({
    vol.Required('items'): [QUOTE_ITEM],
    'currency': str,
})
