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
"""Posting one (project, period) of rated lines, exactly once.

Runs inside the project's transaction (account row locked): renewals and
expiries due in the period, the pricing pass, on-demand orders for new
resources, the charge rows and ONE ledger entry, all committed together.
"""

import operator

from oslo_log import log as logging
from oslo_utils import uuidutils

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import ledger
from uos_billing.core import money
from uos_billing.core import orders as core_orders
from uos_billing.core import rating as core_rating
from uos_billing.core import terms

LOG = logging.getLogger(__name__)

EVENT_RENEWED = 'billing.order.renewed'
EVENT_EXPIRED = 'billing.order.expired'

# Fields of a pricing.Line.
_RESOURCE_ID = operator.itemgetter(1)
_RATED = operator.itemgetter(4)


def order_event(order, book):
    return {
        'project_id': order.project_id, 'order_id': order.id,
        'resource_id': order.resource_id, 'service': order.service,
        'mode': order.mode, 'status': order.status,
        'term_start': clock.instant(order.term_start).isoformat(),
        'term_end': clock.instant(order.term_end).isoformat(),
        'balance': money.to_str(book.account.balance),
        'currency': book.currency,
    }


def apply_renewals(book, scope, prices, period):
    """Renew or expire the prepaid terms that end before period.end."""
    for snapshot in scope.prepaid_active:
        if snapshot['term_end'] >= period.end:
            continue
        order = book.get_order(snapshot['id'])
        while (order.status == core_orders.ACTIVE
               and clock.instant(order.term_end) < period.end):
            renew_or_expire(book, scope, prices, order)


def renew_or_expire(book, scope, prices, order):
    term = clock.Window(order.term_start, order.term_end)
    product = prices.get(order.product_id)
    successor = product and prices.successor(product, term.end)
    price = unit_price = None
    if successor is not None:
        core_rating.check_currency(book.project_id, book.currency, successor)
        try:
            price, unit_price = core_orders.term_price(
                successor, order.mode, order.count)
        except errors.InvalidInput:
            pass  # no longer sold in this mode: the term expires
    state = book.state
    decision = core_orders.renewal_decision(
        order.auto_renew, state.status == ledger.FROZEN, price,
        state.available)
    if decision == core_orders.EXPIRE:
        order.status = core_orders.EXPIRED
        order.closed_at = clock.naive_utc(term.end)
        book.events.append((EVENT_EXPIRED, order_event(order, book)))
        LOG.info('order %s of project %s expired at %s (auto_renew=%s)',
                 order.id, order.project_id, term.end, order.auto_renew)
        return
    new_term = pay_next_term(book, order, successor, price, unit_price,
                             starts_now=True)
    scope.coverage.setdefault((order.resource_id, order.service), []).append(
        core_rating.Coverage(order.id, order.resource_id, order.service,
                             order.mode, successor, new_term))


def pay_next_term(book, order, product, price, unit_price, created_by=None,
                  starts_now=False):
    """Pay the term after order's last one at product's price; extend it.

    Used by the renewal at term end (starts_now: the new term becomes the
    current one) and by a renewal paid ahead. Returns the new term.
    """
    term = clock.Window(order.term_start, order.term_end)
    new_term = core_orders.next_term(term, order.mode, order.count,
                                     order.anchor_day)
    order.renewals += 1
    book.post(ledger.ORDER_PAYMENT, ledger.signed(ledger.ORDER_PAYMENT,
                                                  price),
              ledger.payment_key(order.id, order.renewals),
              order_id=order.id, period=new_term, created_by=created_by,
              note='renewal')
    if starts_now:
        order.term_start = clock.naive_utc(new_term.begin)
    order.term_end = clock.naive_utc(new_term.end)
    order.product_id = product.id
    order.unit_price = unit_price
    book.events.append((EVENT_RENEWED, order_event(order, book)))
    return new_term


def check_currencies(book, lines):
    # The products of the distinct Rated of the lines, in line order.
    rateds = {id(rated): rated for rated in map(_RATED, lines)}
    products = {}
    for rated in rateds.values():
        product = rated.product
        if product is not None:
            products.setdefault(product.id, product)
    for product in products.values():
        try:
            core_rating.check_currency(book.project_id, book.currency,
                                       product)
        except errors.CurrencyMismatch:
            LOG.error('project %s: account currency %s, product %s '
                      'priced in %s; the period is not posted',
                      book.project_id, book.currency, product.id,
                      product.currency)
            raise


def open_on_demand_orders(book, scope, lines, period_begin):
    """One on-demand order per resource and service, the first time seen."""
    known = scope.on_demand_orders
    # Most periods see no new resource: look for one before sorting.
    new = [line for line in lines
           if line[1] and (line[1], line[0]) not in known]
    rows = []
    for line in sorted(new, key=_RESOURCE_ID):
        key = (line.resource_id, line.service)
        if key in known:
            continue
        order_id = uuidutils.generate_uuid()
        known[key] = order_id
        product = line.rated.product
        rows.append(dict(
            id=order_id, project_id=book.project_id,
            resource_id=line.resource_id, service=line.service,
            product_id=product.id if product else None,
            mode=terms.ON_DEMAND, status=core_orders.ACTIVE,
            auto_renew=False, renewals=0,
            term_start=clock.naive_utc(period_begin),
            created_at=clock.naive_utc(book.now)))
    book.insert_orders(rows)


def paid_terms(book, order):
    """(paid amount, window) of each payment of order."""
    return [(-payment.amount,
             clock.Window(payment.period_begin, payment.period_end))
            for payment in book.order_payments(order.id)]


def refund_unused(book, order, at, reason, created_by=None, payments=None):
    """Refund what an order's paid terms have left after at; close it at at.

    Each payment entry covers one term; the refund of each is its paid
    amount x unused seconds / term seconds (SPEC section 4).
    """
    if payments is None:
        payments = paid_terms(book, order)
    refund = core_orders.unused_refund(payments, at)
    order.closed_at = clock.naive_utc(at)
    if refund > 0:
        book.post(ledger.REFUND, ledger.signed(ledger.REFUND, refund),
                  ledger.refund_key(order.id, reason), order_id=order.id,
                  period=clock.Window(at, max(at, clock.instant(
                      order.term_end))),
                  created_by=created_by, note=reason)
    return refund


def close_ended(book, order, ended_at, period_end):
    """Close an order whose resource ended at ended_at.

    period_end is the end of the rated period ended_at falls in. Returns
    the refund of a prepaid order (None for an on-demand one).
    """
    order.status = core_orders.CLOSED
    if order.mode == terms.ON_DEMAND:
        order.closed_at = clock.naive_utc(ended_at)
        return None
    return refund_unused(book, order, period_end, 'resource_ended')


def close_ended_resources(book, scope, lines, period):
    """Close the orders of resources whose points say they ended.

    The on-demand order is closed at the resource's end. A prepaid order
    is closed at the end of this period, with the refund of its unused
    seconds from there: the period's qty is spread evenly over the whole
    period, so its coverage must last to the period's end for a re-rating
    to price the period as this rating did.
    """
    ended = {}
    for line in [line for line in lines if line[5] is not None]:
        if line.resource_id and line.ended_at <= period.end:
            ended[(line.resource_id, line.service)] = line.ended_at
    for (resource_id, service), at in sorted(ended.items()):
        for order in book.active_orders(resource_id, service):
            close_ended(book, order, at, period.end)
            if order.mode == terms.ON_DEMAND:
                # Its lines are written; later periods do not use it.
                scope.on_demand_orders.pop((resource_id, service), None)
            LOG.info('project %s: resource %s (%s) ended at %s, order %s '
                     'closed', book.project_id, resource_id, service, at,
                     order.id)


#: The columns of a charge row, in the order charge_rows() builds them.
CHARGE_COLUMNS = ('project_id', 'resource_id', 'service', 'line_key',
                  'period_begin', 'period_end', 'qty', 'billed_seconds',
                  'amount', 'order_id', 'product_id', 'mode')
#: The columns that make a charge line what it is.
LINE_COLUMNS = tuple(c for c in CHARGE_COLUMNS
                     if c not in ('project_id', 'period_begin',
                                  'period_end'))
_LINE_INDEXES = tuple(CHARGE_COLUMNS.index(c) for c in LINE_COLUMNS)
_QTY, _SECONDS, _AMOUNT, _SERVICE = (
    CHARGE_COLUMNS.index(c)
    for c in ('qty', 'billed_seconds', 'amount', 'service'))


def charge_rows(book, scope, period, lines):
    """The charge rows of the lines (CHARGE_COLUMNS), one per line key.

    Points that share a line (same resource, service and line key) are
    merged into one row. The rows come in the order of the charge table's
    unique key, so that the database appends to its index instead of
    splitting pages all over it.
    """
    rows = {}
    begin, end = clock.naive_utc(period.begin), clock.naive_utc(period.end)
    project_id = book.project_id
    on_demand_orders = scope.on_demand_orders
    on_demand = terms.ON_DEMAND
    # What a line's Rated gives its row (most lines share a few Rated):
    # billed seconds, amount, product, mode and, for a prepaid mode, the
    # order.
    outcomes = {}
    for service, resource_id, line_key, qty, rated, _end in lines:
        key = (resource_id, service, line_key)
        row = rows.get(key)
        if row is not None:
            row[_QTY] += qty
            row[_AMOUNT] += rated.amount
            row[_SECONDS] = max(row[_SECONDS], rated.billed_seconds)
            continue
        outcome = outcomes.get(id(rated))
        if outcome is None:
            mode = rated.mode
            outcome = outcomes[id(rated)] = (
                rated.billed_seconds, rated.amount,
                rated.product.id if rated.product else None, mode,
                None if mode == on_demand else rated.coverage.order_id)
        seconds, amount, product_id, mode, order_id = outcome
        if mode == on_demand:
            order_id = on_demand_orders.get((resource_id, service))
        rows[key] = [project_id, resource_id, service, line_key, begin, end,
                     qty, seconds, amount, order_id, product_id, mode]
    return [rows[key] for key in sorted(rows)]


def post_lines(book, scope, period, lines):
    """Write the period's charge rows and at most one ledger entry.

    The period's first rating records it (RatedPeriod), whatever it
    charges. Returns the ledger entry written, or None when no money
    moves: a rating that charges nothing, or a re-rating that found the
    period's total unchanged. Then the charge rows are written only if the
    lines themselves changed (an unpriced point that appeared, say), so
    that a re-rating of the same data writes nothing. An entry comes with
    what it charged per service (ledger.service_differences).
    """
    open_on_demand_orders(book, scope, lines, period.begin)
    rows = charge_rows(book, scope, period, lines)
    total = money.sum_of(row[_AMOUNT] for row in rows)
    # The scope was read (or read again) at the account revision this
    # transaction locked, so "not posted yet" is still true under the lock.
    posted = scope.period_posted
    amounts = book.period_amounts(period.begin) if posted else []
    decision = ledger.period_posting(book.project_id, period.begin, total,
                                     amounts)
    # Idempotent: a resource whose end arrives only with a re-rating of
    # its last period is closed then.
    close_ended_resources(book, scope, lines, period)
    if not posted:
        book.record_rated(period)
    if decision is None:
        earlier = (book.period_lines(period.begin, LINE_COLUMNS) if posted
                   else set())
        if earlier != _line_set(rows):
            book.write_charges(period, CHARGE_COLUMNS, rows, replace=posted)
        return None
    kind, amount, key = decision
    book.write_charges(period, CHARGE_COLUMNS, rows, replace=posted)
    entry = book.post(kind, amount, key, period=period,
                      note='%d lines' % len(rows))
    recorded = book.period_service_charges(period.begin) if amounts else {}
    book.record_service_charges(entry, ledger.service_differences(
        _per_service(rows), recorded))
    return entry


def _per_service(rows):
    charged = {}
    for row in rows:
        service = row[_SERVICE]
        charged[service] = charged.get(service, money.ZERO) + row[_AMOUNT]
    return charged


def _line_set(rows):
    return {tuple(row[i] for i in _LINE_INDEXES) for row in rows}
