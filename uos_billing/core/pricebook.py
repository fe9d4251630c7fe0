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
"""The price book: products and which one prices a point (SPEC 3 and 4).

For one point the matching product is the one whose match has the most
fields (a product of a named region beating an equally specific product of
every region, '*'). Two equally specific products that could both price the
same point at the same time are ambiguous: they are refused at creation and
detected again here.
"""

import dataclasses
import datetime
import decimal
import typing

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import terms

ANY_REGION = '*'


@dataclasses.dataclass(frozen=True)
class Product:
    id: str
    service: str
    on_demand_price: decimal.Decimal
    currency: str
    effective_from: datetime.datetime
    effective_to: typing.Optional[datetime.datetime] = None
    region: str = ANY_REGION
    match: typing.Tuple[typing.Tuple[str, str], ...] = ()
    monthly_price: typing.Optional[decimal.Decimal] = None
    yearly_price: typing.Optional[decimal.Decimal] = None
    name: str = ''
    unit: str = ''

    @classmethod
    def build(cls, match=None, **fields):
        """A Product whose match is given as a dict."""
        items = tuple(sorted((str(k), str(v))
                             for k, v in (match or {}).items()))
        return cls(match=items, **fields)

    @property
    def match_dict(self):
        return dict(self.match)

    @property
    def specificity(self):
        return (len(self.match), self.region != ANY_REGION)

    def in_effect(self, at):
        return (self.effective_from <= at
                and (self.effective_to is None or at < self.effective_to))

    def matches(self, fields):
        """True when every match field equals the point's field."""
        for key, value in self.match:
            found = fields.get(key)
            if found is None or str(found) != value:
                return False
        return True

    def covers_region(self, region):
        return self.region == ANY_REGION or self.region == region

    def prepaid_price(self, mode):
        """Price of one unit of a prepaid mode, or None if not sold so."""
        if mode == terms.MONTHLY:
            return self.monthly_price
        if mode == terms.YEARLY:
            return self.yearly_price
        raise errors.InvalidInput('mode', 'not a prepaid mode: %r' % (mode,))


def _times_overlap(a, b):
    a_end = a.effective_to or datetime.datetime.max.replace(tzinfo=clock.UTC)
    b_end = b.effective_to or datetime.datetime.max.replace(tzinfo=clock.UTC)
    return a.effective_from < b_end and b.effective_from < a_end


def _matches_compatible(a, b):
    """True when some point could match both products."""
    b_match = b.match_dict
    return all(b_match.get(k, v) == v for k, v in a.match)


def _regions_overlap(a, b):
    return (a.region == b.region or ANY_REGION in (a.region, b.region))


def conflicts(a, b):
    """True when a and b would be ambiguous for some point."""
    return (a.id != b.id
            and a.service == b.service
            and a.specificity == b.specificity
            and _regions_overlap(a, b)
            and _times_overlap(a, b)
            and _matches_compatible(a, b))


def find_conflict(product, others):
    """The first of others that conflicts with product, or None."""
    for other in others:
        if conflicts(product, other):
            return other
    return None


def _text(value):
    return None if value is None else str(value)


class PriceBook(object):
    """Products indexed by service, with memoized matching.

    Matching is done once per distinct combination of the fields that the
    service's products look at, so pricing a frame costs a dict lookup per
    point, not a scan of the products.
    """

    def __init__(self, products):
        self.products = tuple(products)
        self._by_service = {}
        for product in self.products:
            self._by_service.setdefault(product.service, []).append(product)
        self._keys = {
            service: tuple(sorted({k for p in prods for k, _ in p.match}))
            for service, prods in self._by_service.items()}
        self._memo = {}
        self._memo_at = None
        #: True when some product prices one region only.
        self.regional = any(p.region != ANY_REGION for p in self.products)

    def __len__(self):
        return len(self.products)

    def get(self, product_id):
        for product in self.products:
            if product.id == product_id:
                return product
        return None

    def match_fields(self, service):
        """The fields the products of service match on, sorted.

        None when no product prices service.
        """
        return self._keys.get(service)

    def match(self, service, region, fields, at):
        """The product that prices a point, or None when none matches."""
        keys = self._keys.get(service)
        if keys is None:
            return None
        # A missing (None) field must not share a key with the string
        # 'None': matches() tells them apart.
        if at != self._memo_at:
            # A frame prices at one instant: keep one instant's matches.
            self._memo.clear()
            self._memo_at = at
        values = tuple(_text(fields.get(key)) for key in keys)
        memo_key = (service, region, values)
        try:
            return self._memo[memo_key]
        except KeyError:
            pass
        product = self._match(service, region, fields, at)
        self._memo[memo_key] = product
        return product

    def _match(self, service, region, fields, at):
        candidates = [p for p in self._by_service.get(service, ())
                      if p.in_effect(at) and p.covers_region(region)
                      and p.matches(fields)]
        if not candidates:
            return None
        top = max(p.specificity for p in candidates)
        best = [p for p in candidates if p.specificity == top]
        if len(best) > 1:
            raise errors.AmbiguousProduct(best[0], best[1])
        return best[0]

    def successor(self, product, at):
        """The product in effect at at for product's service, region, match.

        A price change is a new product row with the same service, region
        and match; renewals are priced by it.
        """
        for candidate in self._by_service.get(product.service, ()):
            if (candidate.region == product.region
                    and candidate.match == product.match
                    and candidate.in_effect(at)):
                return candidate
        return None
