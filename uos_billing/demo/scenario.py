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
"""The demo's month: the price book, the account events and the rating.

Each project is rated by CloudKitty's own orchestrator Worker, period by
period, with the billing module enabled. The account events of the
recording (recharges, the purchase of a prepaid term) are applied through
BillingService at their instant inside the month: the Worker rates the
project up to that instant, the event is applied, the Worker goes on.
"""

import dataclasses
import datetime
import typing

from cloudkitty import orchestrator
from cloudkitty import storage_state
from oslo_config import cfg
from oslo_utils import uuidutils
from stevedore import driver
from tooz import coordination

from uos_billing.core import clock
from uos_billing.core import money
from uos_billing.core import pricebook

CONF = cfg.CONF

SERVICE = 'instance'
ACTOR = 'uos-billing-demo'


def create_products(recording, dbapi):
    """The recording's price book, in effect from the month start.

    Returns the products by name.
    """
    currency = recording.raw['currency']
    products = {}
    for raw in recording.raw['products']:
        monthly = raw.get('monthly_price')
        product = pricebook.Product.build(
            id=uuidutils.generate_uuid(), name=raw['name'], service=SERVICE,
            match=raw['match'], unit=raw['unit'],
            on_demand_price=money.parse(raw['on_demand_price'],
                                        'on_demand_price'),
            monthly_price=(None if monthly is None
                           else money.parse(monthly, 'monthly_price')),
            currency=currency, effective_from=recording.month_start)
        dbapi.create_product(product, created_by=ACTOR,
                             now=recording.month_start)
        products[product.name] = product
    return products


@dataclasses.dataclass(frozen=True)
class Event:
    """A recharge or a purchase at an instant of the month."""
    at: datetime.datetime
    number: int
    project_id: str
    action: str
    raw: typing.Any


def project_events(recording, project_id):
    """The project's events inside the replayed span, in time order."""
    found = []
    for number, raw in enumerate(recording.raw['events']):
        event = Event(recording.at(raw['at']), number,
                      recording.project_id(raw['project']), raw['action'],
                      raw)
        if event.project_id == project_id and event.at < recording.span_end:
            found.append(event)
    return sorted(found, key=lambda e: (e.at, e.number))


def apply_event(event, service, recording, products):
    if event.action == 'recharge':
        service.recharge(
            event.project_id, event.raw['amount'], note=event.raw.get('note'),
            idempotency_key='demo-event-%d' % event.number,
            created_by=ACTOR, now=event.at)
    elif event.action == 'buy':
        service.buy(
            event.project_id, recording.vm_id(event.raw['vm']), SERVICE,
            products[event.raw['product']].id, event.raw['mode'],
            event.raw['count'], created_by=ACTOR, now=event.at)
    else:
        raise ValueError('event %d: unknown action %r' % (event.number,
                                                          event.action))


def scopes():
    """The scopes to rate, from CloudKitty's configured fetcher."""
    fetcher = driver.DriverManager(orchestrator.FETCHERS_NAMESPACE,
                                   CONF.fetcher.backend,
                                   invoke_on_load=True).driver
    return list(fetcher.get_tenants())


def start_scope_at(scope, begin):
    """Make CloudKitty's next period for scope the one starting at begin.

    The state keeps the start of the last processed period; a scope never
    processed would start at the current month instead.
    """
    storage_state.StateManager().set_last_processed_timestamp(
        scope, begin - datetime.timedelta(seconds=CONF.collect.period))


def rate_until(worker, until):
    """Run the Worker on the periods that begin before until.

    Worker.run() is the same loop without the bound: it goes on until it
    has caught up with the clock. Each step is CloudKitty's own
    execute_worker_processing(), which rates the period after the scope's
    last processed one: rules reloaded, collection, rating chain, storage
    push, state update. Returns the number of periods processed.
    """
    timestamp = worker.next_timestamp_to_process()
    if timestamp is None:
        return 0
    remaining = clock.seconds_between(clock.instant(timestamp),
                                      clock.instant(until))
    periods = max(0, -(-remaining // CONF.collect.period))
    for processed in range(periods):
        if not worker.execute_worker_processing():
            return processed
    return periods


def rate_scope(scope, collector, storage, events, apply):
    """Rate one scope over the span, applying its events on the way."""
    worker = orchestrator.Worker(collector, storage, tenant_id=scope,
                                 worker_id=0)
    processed = 0
    try:
        for event in events:
            processed += rate_until(worker, event.at)
            apply(event)
        processed += rate_until(worker, collector.recording.span_end)
    finally:
        worker.thread_executor.shutdown()
    return processed


def rate_all(collector, storage, service, products):
    """Rate every scope under its tooz lock, as cloudkitty-processor does.

    Returns {scope: number of periods processed}.
    """
    recording = collector.recording
    coordinator = coordination.get_coordinator(
        CONF.orchestrator.coordination_url, ACTOR.encode('ascii'))
    coordinator.start()
    processed = {}
    try:
        for scope in scopes():
            start_scope_at(scope, recording.month_start)
            _name, lock = orchestrator.get_lock(coordinator, scope)
            if not lock.acquire(blocking=False):
                raise RuntimeError('scope %s is locked by another '
                                   'processor' % scope)
            try:
                processed[scope] = rate_scope(
                    scope, collector, storage,
                    project_events(recording, scope),
                    lambda e: apply_event(e, service, recording, products))
            finally:
                lock.release()
    finally:
        coordinator.stop()
    return processed
