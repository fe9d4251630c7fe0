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
import threading
import typing

from cloudkitty import dataframe
from oslo_log import log as logging
from oslo_utils import timeutils

from uos_billing.core import clock
from uos_billing.core import pricebook
from uos_billing.core import rating as core_rating

LOG = logging.getLogger(__name__)
LINE_KEY_LENGTH = 128


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
    out once per distinct set of fields.
    """

    def __init__(self, exclude):
        self.exclude = exclude
        self._fields = {}

    def __call__(self, groupby):
        shape = tuple(groupby)
        fields = self._fields.get(shape)
        if fields is None:
            fields = self._fields[shape] = [
                k for k in sorted(shape) if k not in self.exclude]
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


def price_frame(frame, book, coverage, region, resource_key, exclude):
    """Price every point of frame; return the priced frame and its lines.

    The price of a point is added to the price earlier modules set, as
    CloudKitty's own modules do, so that modules can stack.
    """
    period = clock.Window(frame.start, frame.end)
    at = period.begin
    out = dataframe.DataFrame(start=frame.start, end=frame.end)
    lines = []
    rate = core_rating.rate
    check_qty = core_rating.check_qty
    match = book.match
    key_of = LineKeys(exclude)
    same = {}
    # A point's own region matters only when some product is regional.
    regional = book.regional
    for type_, points in frame.itertypes():
        priced = []
        # The points of a metric carry the same fields: look for an end
        # only in a metric whose points have one.
        first = points[0] if points else None
        has_end = first is not None and (
            'ended_at' in first.metadata or 'ended_at' in first.groupby)
        for point in points:
            fields = PointFields(point.groupby, point.metadata)
            product = match(type_, (regional and fields.get('region'))
                            or region, fields, at)
            resource_id = str(fields.get(resource_key) or '')
            qty = point.qty
            covering = coverage.get((resource_id, type_))
            if covering:
                rated = rate(check_qty(qty, resource_id, type_), fields,
                             period, product, covering)
            else:
                # Without prepaid coverage the outcome depends on the
                # product and qty only: most points share a few of them.
                rated = same.get((id(product), qty))
                if rated is None:
                    rated = same[(id(product), qty)] = rate(
                        check_qty(qty, resource_id, type_), fields, period,
                        product)
            priced.append(point.set_price(point.price + rated.amount))
            lines.append(Line(type_, resource_id, key_of(point.groupby),
                              qty, rated,
                              ended_at(fields) if has_end else None))
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

    def get(self, dbapi, fingerprint=None):
        """The price book at fingerprint (read now when not given)."""
        if fingerprint is None:
            fingerprint = dbapi.price_book_fingerprint()
        with self._lock:
            if fingerprint != self._fingerprint:
                self._book = pricebook.PriceBook(dbapi.load_products())
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
