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
"""From CloudKitty's DataFrame to priced lines, for rating and quotes.

The one pricing pass both process() and quote() run: it only reads the
price book and the scope's prepaid coverage, and writes nothing.
"""

import collections
import datetime
import operator
import threading
import typing

from cloudkitty import dataframe
from oslo_log import log as logging
from oslo_utils import timeutils
import sqlalchemy as sa

from uos_billing.core import clock
from uos_billing.core import pricebook
from uos_billing.core import rating as core_rating
from uos_billing.rating.db.sqlalchemy import api as sql_api
from uos_billing.rating.db.sqlalchemy import models

LOG = logging.getLogger(__name__)
LINE_KEY_LENGTH = 128
_STR_ONLY = {str}


class PointFields(object):
    """A point's groupby over its metadata, without merging dicts."""

    __slots__ = ('_groupby', '_metadata')

    def __init__(self, groupby, metadata):
        self._groupby = groupby
        self._metadata = metadata

    def get(self, key, default=None):
        value = self._groupby.get(key)
        if value is None:
            value = self._metadata.get(key, default)
        return value


class LineKeys(object):
    """Line keys: what tells apart several points of a resource in a period.

    A line key is the point's groupby fields but the excluded ones. The
    points of one metric share their groupby fields (CloudKitty's
    groupby is per metric), so the sorted, filtered field list is worked
    out once per distinct set of fields, and the key once per distinct
    set of their values.
    """

    def __init__(self, exclude):
        self.exclude = exclude
        self._shapes = {}

    def _shape(self, shape):
        fields = [k for k in sorted(shape) if k not in self.exclude]
        if len(fields) == 1:
            values_of = operator.itemgetter(fields[0])
        elif fields:
            values_of = operator.itemgetter(*fields)
        else:
            values_of = None
        return values_of, fields, {}

    def __call__(self, groupby):
        shape = tuple(groupby)
        try:
            values_of, fields, keys = self._shapes[shape]
        except KeyError:
            values_of, fields, keys = self._shapes[shape] = self._shape(
                shape)
        if values_of is None:
            return ''
        values = values_of(groupby)
        # Memoized by the values when they are strings: two equal values of
        # other types may print differently (1 and 1.0).
        if type(values) is not str and (
                type(values) is not tuple
                or set(map(type, values)) != _STR_ONLY):
            return self._key(fields, groupby)
        key = keys.get(values)
        if key is None:
            key = keys[values] = self._key(fields, groupby)
        return key

    @staticmethod
    def _key(fields, groupby):
        key = ','.join(['%s=%s' % (k, groupby[k]) for k in fields])
        return key[:LINE_KEY_LENGTH]


class Line(typing.NamedTuple):
    """One priced point, as the posting needs it."""
    service: str
    resource_id: str
    line_key: str
    qty: typing.Any
    rated: core_rating.Rated
    # When the point says its resource ended (Gnocchi's ended_at).
    ended_at: typing.Optional[datetime.datetime] = None


def ended_at(fields):
    """The resource's end carried by a point, or None (absent, unreadable)."""
    value = fields.get('ended_at')
    if not value:
        return None
    try:
        return clock.instant(timeutils.parse_isotime(str(value)))
    except ValueError:
        LOG.warning('ignoring unreadable ended_at %r', value)
        return None


def _field(groupby, metadata, key):
    """PointFields(groupby, metadata).get(key)."""
    value = groupby.get(key)
    if value is None:
        value = metadata.get(key)
    return value


def _text(value):
    return None if value is None else str(value)


class _Matcher(object):
    """book.match for the points of one metric at one instant, memoized.

    Keyed like the price book's own memo, by the text of the fields its
    products match on, without building a PointFields per point.
    """

    def __init__(self, book, service, at, region, regional):
        self.book = book
        self.service = service
        self.at = at
        self.region = region
        self.regional = regional
        self.keys = book.match_fields(service)
        self.memo = {}

    def __call__(self, groupby, metadata):
        keys = self.keys
        if keys is None:
            return None
        region = self.region
        if self.regional:
            region = _field(groupby, metadata, 'region') or region
        if len(keys) == 1:
            values = _text(_field(groupby, metadata, keys[0]))
        else:
            values = tuple([_text(_field(groupby, metadata, key))
                            for key in keys])
        memo_key = (region, values)
        try:
            return self.memo[memo_key]
        except KeyError:
            pass
        product = self.memo[memo_key] = self.book.match(
            self.service, region, PointFields(groupby, metadata), self.at)
        return product


def price_frame(frame, book, coverage, region, resource_key, exclude):
    """Price every point of frame; return the priced frame and its lines.

    The price of a point is added to the price earlier modules set, as
    CloudKitty's own modules do, so that modules can stack.
    """
    period = clock.Window(frame.start, frame.end)
    at = period.begin
    out = dataframe.DataFrame(start=frame.start, end=frame.end)
    lines = []
    add_line = lines.append
    rate = core_rating.rate
    check_qty = core_rating.check_qty
    key_of = LineKeys(exclude)
    new_tuple = tuple.__new__
    data_point = dataframe.DataPoint
    # Without prepaid coverage the outcome of a point depends on its
    # product and qty only: most points share a few of them.
    same = {}
    # A point's own region matters only when some product is regional.
    regional = book.regional
    for type_, points in frame.itertypes():
        priced = []
        add_point = priced.append
        match = _Matcher(book, type_, at, region, regional)
        # The points of a metric carry the same fields: look for an end
        # only in a metric whose points have one.
        first = points[0] if points else None
        has_end = first is not None and (
            'ended_at' in first.metadata or 'ended_at' in first.groupby)
        for point in points:
            groupby = point.groupby
            metadata = point.metadata
            product = match(groupby, metadata)
            resource_id = groupby.get(resource_key)
            if resource_id is None:
                resource_id = metadata.get(resource_key)
            resource_id = str(resource_id or '')
            qty = point.qty
            covering = coverage.get((resource_id, type_)) if coverage \
                else None
            if covering:
                rated = rate(check_qty(qty, resource_id, type_),
                             PointFields(groupby, metadata), period,
                             product, covering)
            else:
                by_qty = same.get(id(product))
                if by_qty is None:
                    by_qty = same[id(product)] = {}
                rated = by_qty.get(qty)
                if rated is None:
                    rated = by_qty[qty] = rate(
                        check_qty(qty, resource_id, type_),
                        PointFields(groupby, metadata), period, product)
            if type(point) is data_point:
                # DataPoint.set_price (a namedtuple _replace), inlined.
                add_point(new_tuple(data_point, (
                    point[0], qty, point[2] + rated.amount, groupby,
                    metadata, point[5])))
            else:
                add_point(point.set_price(point.price + rated.amount))
            add_line(new_tuple(Line, (
                type_, resource_id, key_of(groupby), qty, rated,
                ended_at(PointFields(groupby, metadata)) if has_end
                else None)))
        out.add_points(priced, type_)
    return out, lines


class PriceBookCache(object):
    """The price book, shared by the module instances of a process.

    CloudKitty builds a module instance per scope and cycle; the products
    are the same for every scope, so they are loaded again only when the
    price book's revision (moved by every product write) changes.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._fingerprint = None
        self._book = pricebook.PriceBook(())

    def get(self, dbapi, fingerprint=None, session=None):
        """The price book at fingerprint (read now when not given).

        The products are read through session when given (a transaction
        under way), else in a read of their own.
        """
        if fingerprint is None:
            fingerprint = dbapi.price_book_fingerprint()
        with self._lock:
            if fingerprint != self._fingerprint:
                if session is None:
                    products = dbapi.load_products()
                else:
                    products = [sql_api.product_from_row(row) for row in
                                session.execute(
                                    sa.select(models.Product)).scalars()]
                self._book = pricebook.PriceBook(products)
                self._fingerprint = fingerprint
            return self._book

    def clear(self):
        with self._lock:
            self._fingerprint = None
            self._book = pricebook.PriceBook(())


PRICE_BOOKS = PriceBookCache()


class OnDemandCache(object):
    """The on-demand orders of the projects this process posted last.

    Kept per project with the account revision the posting left and the
    period it leaves off at; the next period's load reuses them when the
    revision has not moved (no other writer) instead of reading every
    on-demand order of the project again. Least recently used projects
    are dropped past size.
    """

    def __init__(self, size=1024):
        self._lock = threading.Lock()
        self._entries = collections.OrderedDict()
        self.size = size

    def get(self, project_id, period_begin):
        """(revision, orders) left for period_begin, or None."""
        with self._lock:
            entry = self._entries.get(project_id)
            if entry is None or entry[2] != period_begin:
                return None
            self._entries.move_to_end(project_id)
            return entry[0], entry[1]

    def put(self, project_id, revision, orders, next_begin):
        with self._lock:
            self._entries[project_id] = (revision, orders, next_begin)
            self._entries.move_to_end(project_id)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self):
        with self._lock:
            self._entries.clear()


ON_DEMAND_ORDERS = OnDemandCache()
