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
"""CloudKitty's `billing` rating module (SPEC section 4).

CloudKitty builds one instance per scope (project) and cycle, calls
reload_config(period start) then process(frame) for every period. Here
the price book (cached per process) and the project's orders are read once
per period: by reload_config, or, when this process posted the project's
previous period, by the posting's own transaction (one query while nobody
else wrote to the project). process prices every point from memory and
posts the period in one transaction; quote prices through the same code and
writes nothing.
"""

import contextlib
import datetime
import gc

from cloudkitty import rating
from oslo_config import cfg
from oslo_db import api as oslo_db_api
from oslo_db import exception as db_exc
from oslo_log import log as logging
from oslo_utils import timeutils

from uos_billing.conf import opts
from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import rating as core_rating
from uos_billing import enforcement
from uos_billing.rating.db import api as db_api
from uos_billing.rating.db.sqlalchemy import api as sql_api
from uos_billing.rating.db.sqlalchemy import charset
from uos_billing.rating import notifier
from uos_billing.rating import posting
from uos_billing.rating import pricing

LOG = logging.getLogger(__name__)
CONF = cfg.CONF
CONF.import_opt('period', 'cloudkitty.collector', 'collect')
CONF.import_opt('wait_periods', 'cloudkitty.collector', 'collect')


_HINTED = []


def _hint_wait_periods():
    """Say once per process why CloudKitty hands over a running period."""
    if not _HINTED:
        _HINTED.append(True)
        LOG.warning('CloudKitty asked the billing module to rate a period '
                    'that has not ended: [collect] wait_periods = %d lets '
                    'it start a period before its end. The period is '
                    'rated once it is over; set wait_periods to 1 or more '
                    '(CloudKitty\'s default is 2) to stop these refusals.',
                    CONF.collect.wait_periods)


def _retry_on_race(exc):
    # Two processors opening the same account, or writing the same
    # idempotency key: the retry re-reads and finds the other's work.
    return isinstance(exc, db_exc.DBDuplicateEntry)


@contextlib.contextmanager
def _gc_paused():
    """Python's cyclic garbage collector paused while a period is posted.

    A posting builds a few objects per point (the priced points, the lines,
    the charge rows) that live until it ends; collections run meanwhile
    only move them to the old generation, whose full collections then walk
    everything the process holds (CloudKitty's frames). They are freed by
    reference counting when the posting ends; the collector runs again
    from there. Nothing else changes.
    """
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class BillingRating(rating.RatingProcessorBase):
    """Bills usage on demand and under prepaid terms, through a ledger."""

    module_name = 'billing'
    description = ('uos-billing: per-second on-demand and prepaid billing '
                   'with balances and an append-only ledger.')
    hot_config = True

    @property
    def config_controller(self):
        """The billing REST API, at /v1/rating/module_config/billing.

        Imported here, not at the top: the API's modules import this
        package's service layer, which imports this module first.
        """
        from uos_billing.rating.api import root
        # The API mounts the module: its start, once per process.
        charset.check_once()
        return root.BillingController

    db_api = db_api.get_instance()

    def __init__(self, tenant_id=None):
        # Kept cheap: CloudKitty builds an instance per scope and cycle, and
        # once in the API process at import.
        super().__init__(tenant_id)
        self._prices = None
        self._scope = None
        self._scope_period = None
        # (revision, on-demand orders) this process left the scope at, for
        # _scope_period, when its read is left to the posting.
        self._known = None

    def reload_config(self, start=None):
        opts.check(CONF)
        charset.check_once()
        start = clock.instant(start or timeutils.utcnow(with_timezone=True))
        self._scope = None
        self._scope_period = None
        self._known = None
        if self._tenant_id is None:
            self._prices = pricing.PRICE_BOOKS.get(self.db_api)
            return
        period = datetime.timedelta(seconds=CONF.collect.period)
        period = clock.Window(start, start + period)
        known = pricing.ON_DEMAND_ORDERS.get(self._tenant_id, period.begin)
        if known is not None:
            # This process posted the scope's previous period: unless
            # someone else wrote to the project since (its revision tells,
            # under the lock), the posting needs only a few figures, read
            # in its own transaction instead of a read of its own.
            self._known = known
            self._scope_period = period
            return
        self._load_scope(period)

    def _load_scope(self, period, known=None):
        """The scope's orders, and the price book, in one read."""
        if known is None:
            known = pricing.ON_DEMAND_ORDERS.get(self._tenant_id,
                                                 period.begin)
        self._scope = self.db_api.load_scope(self._tenant_id, period, known)
        self._scope_period = period
        self._known = None
        self._prices = pricing.PRICE_BOOKS.get(self.db_api,
                                               self._scope.price_book)

    def _prepare(self, frame, posting=False):
        """Make sure the price book and the frame's scope are loaded.

        When posting, a scope whose read reload_config left to the
        posting stays so.
        """
        period = clock.Window(frame.start, frame.end)
        if self._tenant_id is not None:
            if self._scope_period != period:
                self._load_scope(period)
            elif self._scope is None and not posting:
                self._load_scope(period, self._known)
        if self._prices is None and self._known is None:
            self._prices = pricing.PRICE_BOOKS.get(self.db_api)
        return period

    def _price(self, frame, coverage):
        return pricing.price_frame(
            frame, self._prices, coverage, CONF.billing.region,
            CONF.billing.resource_key,
            frozenset(CONF.billing.line_exclude_fields))

    def quote(self, data):
        """Price data like process() does, writing nothing."""
        self._prepare(data)
        coverage = self._scope.coverage if self._scope else {}
        priced, _lines = self._price(data, coverage)
        return priced

    def process(self, data):
        if self._tenant_id is None:
            return self.quote(data)
        period = self._prepare(data, posting=True)
        try:
            with _gc_paused():
                priced, events = self._post(data, period)
        except errors.PeriodNotOver:
            _hint_wait_periods()
            raise
        notifier.send(events)
        enforcement.after_posting(self._tenant_id)
        return priced

    @oslo_db_api.wrap_db_retry(max_retries=5, retry_on_deadlock=True,
                               exception_checker=_retry_on_race)
    def _post(self, frame, period):
        now = clock.instant(timeutils.utcnow(with_timezone=True))
        core_rating.check_period_over(self._tenant_id, period, now)
        with self.db_api.project_transaction(self._tenant_id, now) as book:
            scope = self._locked_scope(book, period)
            posting.apply_renewals(book, scope, self._prices, period)
            priced, lines = self._price(frame, scope.coverage)
            posting.check_currencies(book, lines)
            entry = posting.post_lines(book, scope, period, lines)
            if entry is not None:
                LOG.debug('project %s period %s: %s %s', self._tenant_id,
                          period.begin, entry.kind, entry.amount)
        # The project moved on: a later frame reads it again, reusing the
        # on-demand orders as this posting leaves them.
        self._scope_period = None
        self._known = None
        pricing.ON_DEMAND_ORDERS.put(self._tenant_id, book.revision,
                                     scope.on_demand_orders, period.end)
        return priced, book.events

    def _locked_scope(self, book, period):
        """The scope to post, current under the account's lock."""
        if self._scope is not None:
            # A copy: a rolled back attempt must leave the snapshot as read.
            scope = self._scope.copy()
            # An account this transaction opened has no orders yet.
            fresh = book.created and scope.revision is None
            if book.account.revision != scope.revision and not fresh:
                # Someone wrote to the project since reload_config: read its
                # orders again, under the lock this time.
                scope = self.db_api.read_scope(book.session, self._tenant_id,
                                               period)
            return scope
        # reload_config left the read to this transaction.
        revision, orders = self._known
        if book.created or book.account.revision != revision:
            # Someone wrote to the project since this process posted it.
            scope = self.db_api.read_scope(book.session, self._tenant_id,
                                           period)
        else:
            head = book.scope_head(period.begin)
            if head.prepaid:
                scope = self.db_api.read_scope(
                    book.session, self._tenant_id, period, self._known)
            else:
                # Nobody wrote since: the on-demand orders are as this
                # process left them, and there is no prepaid order.
                scope = sql_api.ScopeSnapshot(
                    project_id=self._tenant_id, revision=revision,
                    currency=book.currency, on_demand_orders=dict(orders),
                    prepaid_active=[], coverage={},
                    price_book=head.price_book,
                    period_posted=head.period_posted)
        self._prices = pricing.PRICE_BOOKS.get(self.db_api,
                                               scope.price_book,
                                               session=book.session)
        return scope
