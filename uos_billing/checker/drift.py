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
"""Drift between the books, CloudKitty and Gnocchi: what the checker finds.

Everything a project's checks need from the database is read in one read
session (Facts); the finders are plain functions of the facts, the
resources Gnocchi returned and the instant. Findings only: healing is
uos_billing.checker.heal's.
"""

import dataclasses
import datetime
import typing

from cloudkitty.storage_state import models as state_models
import sqlalchemy as sa

from uos_billing.core import clock
from uos_billing.core import holds as core_holds
from uos_billing.core import ledger
from uos_billing.core import money
from uos_billing.core import orders as core_orders
from uos_billing.core import terms
from uos_billing.rating.db.sqlalchemy import models

UNORDERED = 'unordered_resource'
ENDED = 'ended_resource_order'
BALANCE = 'balance_mismatch'
UNPOSTED = 'unposted_period'
RENEWAL = 'renewal_at_risk'
KINDS = (UNORDERED, ENDED, BALANCE, UNPOSTED, RENEWAL)

STATE = state_models.IdentifierState.__table__
SCHEDULE = state_models.ReprocessingScheduler.__table__


def _aware(dt):
    return None if dt is None else clock.instant(dt)


@dataclasses.dataclass
class Finding:
    kind: str
    project_id: str
    resource_id: typing.Optional[str]
    detail: dict
    # found (dry run, or not healable), healed, reported (a notification
    # went out), already (healed or reported by an earlier run), failed.
    outcome: str = 'found'


@dataclasses.dataclass
class Facts:
    project_id: str
    account: typing.Any = None
    ledger_sum: typing.Optional[typing.Any] = None
    entries: int = 0
    last_balance_after: typing.Any = None
    # Active orders (ORM rows detached from their session).
    active_orders: list = dataclasses.field(default_factory=list)
    # (term_start, closed_at) of on-demand orders open in the lookback.
    on_demand_spans: list = dataclasses.field(default_factory=list)
    posted_periods: set = dataclasses.field(default_factory=set)
    # Begin of the last period CloudKitty processed for the scope.
    last_processed: typing.Optional[datetime.datetime] = None
    # CloudKitty's period, and the oldest period begin checked.
    period: typing.Optional[datetime.timedelta] = None
    lookback_since: typing.Optional[datetime.datetime] = None
    held: typing.Any = money.ZERO

    @property
    def processed_end(self):
        """End of the last period CloudKitty processed, or None."""
        if self.last_processed is None:
            return None
        return self.last_processed + self.period


def read_facts(session, project_id, period_seconds, lookback_seconds, now):
    facts = Facts(project_id, period=datetime.timedelta(
        seconds=period_seconds))
    # First: a failed read rolls the session back.
    try:
        last = session.execute(
            sa.select(sa.func.max(STATE.c.last_processed_timestamp))
            .where(STATE.c.identifier == project_id)).scalar()
    except sa.exc.DBAPIError:
        # CloudKitty's state tables do not exist (yet).
        session.rollback()
        last = None
    facts.last_processed = _aware(last)
    facts.account = session.get(models.Account, project_id)
    entry = models.LedgerEntry
    total, count = session.execute(
        sa.select(sa.func.sum(entry.amount), sa.func.count(entry.id))
        .where(entry.project_id == project_id)).one()
    facts.ledger_sum = money.stored(total if total is not None
                                    else money.ZERO)
    facts.entries = count
    facts.last_balance_after = session.execute(
        sa.select(entry.balance_after).where(entry.project_id == project_id)
        .order_by(entry.id.desc()).limit(1)).scalar_one_or_none()
    order = models.Order
    facts.active_orders = list(session.execute(
        sa.select(order).where(order.project_id == project_id,
                               order.status == core_orders.ACTIVE)
        .order_by(order.id)).scalars())
    if facts.last_processed is not None:
        since = facts.lookback_since = (
            facts.last_processed - datetime.timedelta(
                seconds=lookback_seconds))
        facts.on_demand_spans = [
            (_aware(begin), _aware(closed)) for begin, closed in
            session.execute(sa.select(order.term_start, order.closed_at)
                            .where(order.project_id == project_id,
                                   order.mode == terms.ON_DEMAND,
                                   sa.or_(order.closed_at.is_(None),
                                          order.closed_at >
                                          clock.naive_utc(since))))]
        # Rated: a billing_rated_period row, or a charge or adjustment
        # entry (book.period_posted).
        rated = models.RatedPeriod
        facts.posted_periods = {_aware(begin) for begin in session.execute(
            sa.union(
                sa.select(rated.period_begin).where(
                    rated.project_id == project_id,
                    rated.period_begin >= clock.naive_utc(since)),
                sa.select(entry.period_begin).where(
                    entry.project_id == project_id,
                    entry.kind.in_((ledger.CHARGE, ledger.ADJUSTMENT)),
                    entry.period_begin >= clock.naive_utc(since))))
            .scalars()}
    hold = models.Hold
    facts.held = core_holds.held_total(
        [(status, _aware(expires), amount) for status, expires, amount in
         session.execute(sa.select(hold.status, hold.expires_at,
                                   hold.amount).where(
             hold.project_id == project_id,
             hold.status == core_holds.HELD))], now)
    return facts


def balance(facts):
    """The cached balance against the sum of the ledger (report only)."""
    account = facts.account
    if account is None:
        return []
    if account.balance == facts.ledger_sum and (
            facts.entries == 0
            or facts.last_balance_after == account.balance):
        return []
    return [Finding(BALANCE, facts.project_id, None, {
        'balance': money.to_str(account.balance),
        'ledger_sum': money.to_str(facts.ledger_sum),
        'last_balance_after': (None if facts.last_balance_after is None
                               else money.to_str(facts.last_balance_after)),
        'difference': money.to_str(money.stored(
            account.balance - facts.ledger_sum)),
        'currency': account.currency})]


def unordered(facts, live):
    """Live resources CloudKitty rated without an active on-demand order.

    A resource counts once it started before the end of the last period
    CloudKitty processed for the project: that period's rating opens it.
    """
    end = facts.processed_end
    if end is None or facts.account is None:
        return []
    ordered = {(o.resource_id, o.service) for o in facts.active_orders
               if o.mode == terms.ON_DEMAND}
    return [Finding(UNORDERED, facts.project_id, r.id, {
        'service': r.service, 'started_at': r.started_at.isoformat()})
        for r in sorted(live, key=lambda r: (r.id, r.service))
        if (r.id, r.service) not in ordered and r.started_at < end]


def ended(facts, resources, services):
    """Active orders whose resource ended in a period already processed.

    resources(service, ids) answers {id: Resource} from Gnocchi.
    """
    end = facts.processed_end
    if end is None:
        return []
    by_service = {}
    for order in sorted(facts.active_orders,
                        key=lambda o: (o.resource_id, o.mode, o.id)):
        if order.service in services:
            by_service.setdefault(order.service, []).append(order)
    findings = []
    for service, orders in sorted(by_service.items()):
        found = resources(service, [o.resource_id for o in orders])
        for order in orders:
            resource = found.get(order.resource_id)
            if resource is None or resource.ended_at is None or \
                    resource.ended_at > end:
                continue
            findings.append(Finding(ENDED, facts.project_id,
                                    order.resource_id, {
                                        'order_id': order.id,
                                        'service': service,
                                        'mode': order.mode,
                                        'ended_at':
                                            resource.ended_at.isoformat()}))
    return findings


def period_end_after(facts, at):
    """End of the CloudKitty period of the project that contains at."""
    if facts.last_processed is None:
        return at
    offset = (at - facts.last_processed) // facts.period
    return facts.last_processed + (offset + 1) * facts.period


def unposted(facts):
    """Processed periods, with an on-demand order open, never rated.

    A rated period has its billing_rated_period row (or, posted by a
    processor older than that table, a charge entry), whether it charged
    something or nothing.
    """
    if facts.last_processed is None or facts.account is None:
        return []
    # Most orders are open (their resource lives): one bound for them all.
    starts = [start for start, closed in facts.on_demand_spans
              if closed is None and start is not None]
    open_from = min(starts) if starts else None
    closed_spans = [(start, closed) for start, closed in facts.on_demand_spans
                    if closed is not None and start is not None]
    missing = []
    begin = facts.last_processed
    while begin >= facts.lookback_since:
        if begin not in facts.posted_periods and (
                (open_from is not None and open_from <= begin) or any(
                    start <= begin < closed
                    for start, closed in closed_spans)):
            missing.append(begin)
        begin -= facts.period
    if not missing:
        return []
    missing.sort()
    return [Finding(UNPOSTED, facts.project_id, None, {
        'periods': [b.isoformat() for b in missing],
        'first': missing[0].isoformat(), 'last': missing[-1].isoformat(),
        'period': int(facts.period.total_seconds())})]


def renewals(facts, prices, products, now, days):
    """Auto-renewed terms ending within days that the funds can't renew.

    products(product_id) answers the core Product of an order.
    """
    account = facts.account
    if account is None:
        return []
    horizon = now + datetime.timedelta(days=days)
    available = money.CONTEXT.subtract(
        account.balance + account.credit_limit, facts.held)
    findings = []
    for order in facts.active_orders:
        term_end = _aware(order.term_end)
        if (order.mode not in terms.PREPAID_MODES or not order.auto_renew
                or term_end is None or not now < term_end <= horizon):
            continue
        product = products(order.product_id)
        successor = product and prices.successor(product, term_end)
        price = None
        if successor is not None:
            try:
                price, _unit = core_orders.term_price(successor, order.mode,
                                                      order.count)
            except ValueError:
                price = None
        frozen = account.status == ledger.FROZEN
        if price is not None and not frozen and price <= available:
            continue
        findings.append(Finding(RENEWAL, facts.project_id, order.resource_id,
                                {'order_id': order.id, 'mode': order.mode,
                                 'count': order.count,
                                 'term_end': term_end.isoformat(),
                                 'price': (None if price is None
                                           else money.to_str(price)),
                                 'available': money.to_str(available),
                                 'missing': (None if price is None else
                                             money.to_str(max(
                                                 money.ZERO,
                                                 price - available))),
                                 'frozen': frozen,
                                 'currency': account.currency}))
    return findings
