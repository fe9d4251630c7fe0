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
"""Column types that keep money exact on every backend."""

import decimal

import sqlalchemy as sa
from sqlalchemy import types

from uos_billing.core import money


class ExactDecimal(types.TypeDecorator):
    """NUMERIC(p, s) that round-trips Decimal exactly, SQLite included.

    SQLite has no decimal type and SQLAlchemy would bind Decimals as floats
    there; on SQLite the value is kept as its fixed-point string instead.
    Sums are done in Python on Decimals, never in SQL on that text.
    """

    impl = sa.Numeric
    cache_ok = True

    def __init__(self, precision=28, scale=money.STORED_PLACES):
        super().__init__(precision=precision, scale=scale, asdecimal=True)
        self.quantum = decimal.Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect):
        if dialect.name == 'sqlite':
            return dialect.type_descriptor(sa.String(48))
        return dialect.type_descriptor(
            sa.Numeric(self.impl.precision, self.impl.scale, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, decimal.Decimal):
            raise TypeError('money columns take Decimal, not %s' %
                            type(value).__name__)
        value = value.quantize(self.quantum, context=money.CONTEXT)
        if dialect.name == 'sqlite':
            return money.to_str(value)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return decimal.Decimal(value).quantize(self.quantum,
                                               context=money.CONTEXT)


def Money():
    """NUMERIC(28, 10), SPEC section 2."""
    return ExactDecimal(28, money.STORED_PLACES)


def Quantity():
    """Usage quantities: wider than money (byte counts), same scale."""
    return ExactDecimal(38, money.STORED_PLACES)
