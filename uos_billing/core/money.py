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
"""Money: Decimal only, one context, one rounding point.

Amounts are computed and stored unrounded to STORED_PLACES decimal places;
rounding to a currency's minor unit happens in :func:`round_total` only,
which statements use for their totals (SPEC section 2).
"""

import decimal
import re

from uos_billing.core import errors

#: Arithmetic context for every money computation: 38 significant digits.
CONTEXT = decimal.Context(prec=38, rounding=decimal.ROUND_HALF_EVEN,
                          traps=[decimal.InvalidOperation,
                                 decimal.DivisionByZero, decimal.Overflow])

#: Places kept for stored amounts (database columns are NUMERIC(28, 10)).
STORED_PLACES = 10
STORED_QUANTUM = decimal.Decimal(1).scaleb(-STORED_PLACES)

#: The largest absolute amount a NUMERIC(28, 10) column holds.
MAX_AMOUNT = decimal.Decimal('999999999999999999.9999999999')

ZERO = decimal.Decimal(0)

# ISO 4217 minor units of the active currency codes whose exponent is not 2.
_MINOR_UNITS_NOT_2 = {
    # exponent 0
    'BIF': 0, 'CLP': 0, 'DJF': 0, 'GNF': 0, 'ISK': 0, 'JPY': 0, 'KMF': 0,
    'KRW': 0, 'PYG': 0, 'RWF': 0, 'UGX': 0, 'UYI': 0, 'VND': 0, 'VUV': 0,
    'XAF': 0, 'XOF': 0, 'XPF': 0,
    # exponent 3
    'BHD': 3, 'IQD': 3, 'JOD': 3, 'KWD': 3, 'LYD': 3, 'OMR': 3, 'TND': 3,
    # exponent 4
    'CLF': 4, 'UYW': 4,
}

# ISO 4217 active codes with exponent 2 (funds and metals without a minor
# unit, e.g. XAU, are not money one can bill in and are left out).
_MINOR_UNITS_2 = (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB '
    'BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP '
    'CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ '
    'GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK '
    'LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV '
    'MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD '
    'RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB '
    'TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG '
    'YER ZAR ZMW ZWG').split()

MINOR_UNITS = dict(_MINOR_UNITS_NOT_2, **{c: 2 for c in _MINOR_UNITS_2})


def check_currency(code, field='currency'):
    """Return the ISO 4217 code, or raise InvalidInput naming the field."""
    if not isinstance(code, str) or code not in MINOR_UNITS:
        raise errors.InvalidInput(
            field, 'unknown currency %r (expected an ISO 4217 code such as '
                   'EUR or USD)' % (
                       _shown(code) if isinstance(code, str) else code,))
    return code


def minor_unit(currency):
    """Decimal places of the currency's minor unit (EUR: 2, JPY: 0)."""
    return MINOR_UNITS[check_currency(currency)]


#: The decimal strings users may give: ASCII digits, at most one point
#: with digits on both sides, a minus sign where negatives are allowed. No
#: exponent, no surrounding space, no digit separators and no other
#: scripts' digits (Python's Decimal and int take all of these): a string
#: is read the way people read it, or refused.
PLAIN_DECIMAL = re.compile(r'-?[0-9]+(\.[0-9]+)?', re.ASCII)
PLAIN_INTEGER = re.compile(r'-?[0-9]+', re.ASCII)
_PLAIN = ('not a decimal amount: %r (expected ASCII digits with an optional '
          'point and fraction, e.g. "12.50"; no exponent, spaces or digit '
          'separators)')


def parse(value, field, allow_negative=False):
    """Turn user input into a Decimal amount, or raise InvalidInput.

    Strings must be PLAIN_DECIMAL; integers are taken as they are. A float
    (a JSON number) is accepted only when its binary value is exactly the
    decimal it prints as, so 12.5 passes and 0.1 is refused rather than
    silently approximated.
    """
    if isinstance(value, bool):
        raise errors.InvalidInput(field, 'expected a decimal amount, got a '
                                         'boolean')
    if isinstance(value, decimal.Decimal):
        amount = value
    elif isinstance(value, int):
        amount = decimal.Decimal(value)
    elif isinstance(value, float):
        amount = decimal.Decimal(value)
        if amount != decimal.Decimal(repr(value)):
            raise errors.InvalidInput(
                field, 'the number %r has no exact decimal value; send the '
                       'amount as a string, e.g. "%s"' % (value, repr(value)))
    elif isinstance(value, str):
        if not PLAIN_DECIMAL.fullmatch(value):
            raise errors.InvalidInput(field, _PLAIN % (_shown(value),))
        amount = decimal.Decimal(value)
    else:
        raise errors.InvalidInput(
            field, 'expected a decimal amount as a string, got %s' %
                   type(value).__name__)
    if not amount.is_finite():
        raise errors.InvalidInput(field, 'not a finite amount: %r' % (value,))
    if amount < 0 and not allow_negative:
        raise errors.InvalidInput(field, 'must not be negative, got %s' %
                                  amount)
    if abs(amount) > MAX_AMOUNT:
        raise errors.InvalidInput(field, 'too large: %s (at most %s)' % (
            _shown(str(amount)), to_str(MAX_AMOUNT)))
    if -amount.as_tuple().exponent > STORED_PLACES:
        raise errors.InvalidInput(
            field, 'more than %d decimal places: %s' % (
                STORED_PLACES, _shown(to_str(amount))))
    return amount + ZERO


def _shown(value, most=40):
    return value if len(value) <= most else value[:most] + '...'


def parse_integer(value, field, minimum, maximum):
    """An integer given as text (a query parameter), or InvalidInput.

    PLAIN_INTEGER only, as parse() reads amounts: int() would also take
    "1_000", " 12 " and "\u0661\u0662".
    """
    if not isinstance(value, str) or not PLAIN_INTEGER.fullmatch(value):
        raise errors.InvalidInput(field, 'expected an integer in ASCII '
                                         'digits, got %r' % (
                                             _shown(str(value)),))
    # int() refuses more than 4300 digits: compare lengths first.
    if len(value.lstrip('-0')) > len(str(max(abs(minimum), abs(maximum)))):
        number = None
    else:
        number = int(value)
    if number is None or not minimum <= number <= maximum:
        raise errors.InvalidInput(field, 'must be between %d and %d, got %s'
                                  % (minimum, maximum, _shown(value)))
    return number


def check_places(amount, currency, field):
    """Refuse an amount with more places than the currency's minor unit."""
    places = minor_unit(currency)
    if amount != amount.quantize(decimal.Decimal(1).scaleb(-places),
                                 context=CONTEXT):
        raise errors.InvalidInput(
            field, '%s has more decimal places than %s allows (%d)' % (
                amount, currency, places))
    return amount


def stored(amount):
    """Quantize an amount to the stored precision (10 places)."""
    return amount.quantize(STORED_QUANTUM, context=CONTEXT)


def sum_of(amounts):
    """Sum Decimals in the money context (38 digits), from zero."""
    total = ZERO
    for amount in amounts:
        total = CONTEXT.add(total, amount)
    return total


def mul(*factors):
    """Multiply Decimals in the money context, unrounded."""
    result = decimal.Decimal(1)
    for factor in factors:
        result = CONTEXT.multiply(result, factor)
    return result


def fraction(amount, numerator, denominator):
    """amount x numerator / denominator, at stored precision."""
    if denominator == 0:
        raise errors.InvalidInput('denominator', 'must not be zero')
    return stored(CONTEXT.divide(CONTEXT.multiply(amount, numerator),
                                 decimal.Decimal(denominator)))


def round_total(amount, currency):
    """The single rounding point: a total in the currency's minor unit.

    ROUND_HALF_EVEN, as SPEC section 2 requires. Only statement totals are
    rounded; every stored amount keeps its 10 places.
    """
    quantum = decimal.Decimal(1).scaleb(-minor_unit(currency))
    return amount.quantize(quantum, rounding=decimal.ROUND_HALF_EVEN,
                           context=CONTEXT)


def display(amount, currency):
    """An amount as people read it: at the currency's places.

    For output only (the CLI's tables, the demo's report): the amount kept
    and sent by the API stays exact; this rounds a copy, ROUND_HALF_EVEN.
    """
    return to_str(round_total(amount, currency))


def display_price(amount, currency):
    """A unit price as people read it: exact, at least the currency's places.

    Unit prices have more places than the currency (0.0125 per hour):
    rounding them would misstate every charge, so only the zeros past the
    currency's places are dropped (10.0000000000 -> 10.00).
    """
    places = minor_unit(currency)
    exact = amount.normalize(context=CONTEXT)
    if -exact.as_tuple().exponent < places:
        exact = exact.quantize(decimal.Decimal(1).scaleb(-places),
                               context=CONTEXT)
    return to_str(exact)


def to_str(amount):
    """Fixed-point string of an amount, never in exponent notation."""
    return format(amount, 'f')
