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
"""How the checker heals what it found, idempotently.

Each heal runs in one transaction holding the project's account lock,
checks again that the drift is still there, and records what it did in
billing_enforcement_action under a key that a second heal finds:

- a live resource without order: an on-demand order from its start;
- an order whose resource ended: closed as rating closes it
  (posting.close_ended): at the end; a prepaid one with the refund of its
  unused seconds from the end of the period the resource ended in;
- a processed period the module never rated: CloudKitty's reprocessing of the
  periods (its storage_scope_reprocessing_schedule), unless one is
  pending for the scope;
- a balance that differs from its ledger: reported (notification), never
  rewritten;
- a renewal the funds will not cover: one notification per term.
"""

from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa

from uos_billing.checker import drift
from uos_billing.core import clock
from uos_billing.core import orders as core_orders
from uos_billing.core import terms
from uos_billing.enforcement import store
from uos_billing.rating.db import api as db_api
from uos_billing.rating.db.sqlalchemy import models
from uos_billing.rating import notifier
from uos_billing.rating import posting

EVENT_PREFIX = 'billing.checker.'
EVENT_RENEWAL = 'billing.order.renewal_at_risk'

HEALED = 'healed'
REPORTED = 'reported'
ALREADY = 'already'


def _naive(dt):
    return clock.naive_utc(dt)


def _instant(text):
    """An instant of a finding's detail (ISO 8601)."""
    return clock.instant(timeutils.parse_isotime(text))


class Healer(object):

    def __init__(self, actor, now):
        self.actor = actor
        self.now = now
        self.db = db_api.get_instance()

    def heal(self, finding, facts):
        """Heal or report one finding; returns its outcome."""
        method = getattr(self, '_' + finding.kind)
        outcome, events = method(finding, facts)
        notifier.send(events)
        return outcome

    def _record(self, session, finding, action, reason, key):
        if store.has_key(session, key):
            return False
        store.record(session, finding.project_id, action, reason,
                     self.actor, key, self.now,
                     resource_id=finding.resource_id, detail=finding.detail)
        return True

    def _event(self, finding, action, reason):
        return (EVENT_PREFIX + action, dict(
            finding.detail, project_id=finding.project_id,
            resource_id=finding.resource_id, kind=finding.kind,
            action=action, reason=reason, actor=self.actor))

    def _unordered_resource(self, finding, facts):
        detail = finding.detail
        service = detail['service']
        started = _instant(detail['started_at'])
        key = 'open_order:%s:%s:%s:%s' % (
            finding.project_id, finding.resource_id, service,
            started.strftime('%Y-%m-%dT%H:%M:%SZ'))
        reason = ('live in Gnocchi since %s without an active on-demand '
                  'order' % detail['started_at'])
        with self.db.project_transaction(finding.project_id, self.now,
                                         create=False) as book:
            # Opened once already (and closed since): do not loop.
            if store.has_key(book.session, key) or any(
                    o.mode == terms.ON_DEMAND for o in
                    book.active_orders(finding.resource_id, service)):
                return ALREADY, []
            order_id = uuidutils.generate_uuid()
            book.session.add(models.Order(
                id=order_id, project_id=finding.project_id,
                resource_id=finding.resource_id, service=service,
                product_id=None, mode=terms.ON_DEMAND,
                status=core_orders.ACTIVE, auto_renew=False, renewals=0,
                term_start=_naive(started), created_at=_naive(self.now)))
            book.session.flush()
            finding.detail = dict(detail, order_id=order_id)
            self._record(book.session, finding, 'open_order', reason, key)
        return HEALED, [self._event(finding, 'open_order', reason)]

    def _ended_resource_order(self, finding, facts):
        detail = finding.detail
        ended_at = _instant(detail['ended_at'])
        reason = 'the resource ended at %s' % detail['ended_at']
        with self.db.project_transaction(finding.project_id, self.now,
                                         create=False) as book:
            order = book.get_order(detail['order_id'])
            if order.status != core_orders.ACTIVE:
                return ALREADY, []
            refund = posting.close_ended(
                book, order, ended_at,
                drift.period_end_after(facts, ended_at))
            book.session.flush()
            finding.detail = dict(detail, refund=(
                None if refund is None else str(refund)))
            self._record(book.session, finding, 'close_order', reason,
                         'close_order:%s' % order.id)
        return HEALED, [self._event(finding, 'close_order', reason)]

    def _unposted_period(self, finding, facts):
        detail = finding.detail
        key = 'reprocess:%s:%s:%s' % (finding.project_id, detail['first'],
                                      detail['last'])
        reason = ('CloudKitty processed %d period(s) from %s to %s that '
                  'billing never rated' % (len(detail['periods']),
                                           detail['first'], detail['last']))
        schedule = drift.SCHEDULE
        with store.locked(finding.project_id) as (session, _account):
            pending = session.execute(
                sa.select(schedule.c.id).where(
                    schedule.c.identifier == finding.project_id,
                    sa.or_(schedule.c.current_reprocess_time.is_(None),
                           schedule.c.current_reprocess_time <
                           schedule.c.end_reprocess_time))).first()
            if pending is not None or store.has_key(session, key):
                return ALREADY, []
            session.execute(schedule.insert().values(
                identifier=finding.project_id,
                reason='uos-billing-checker: ' + reason,
                start_reprocess_time=_naive(_instant(detail['first'])),
                end_reprocess_time=_naive(_instant(detail['last'])),
                current_reprocess_time=None))
            self._record(session, finding, 'reprocess', reason, key)
        return HEALED, [self._event(finding, 'reprocess', reason)]

    def _balance_mismatch(self, finding, facts):
        detail = finding.detail
        key = 'balance_report:%s:%s:%s' % (
            finding.project_id, detail['balance'], detail['ledger_sum'])
        reason = ('cached balance %s differs from the sum of the ledger %s '
                  '(not rewritten)' % (detail['balance'],
                                       detail['ledger_sum']))
        with store.locked(finding.project_id) as (session, _account):
            if not self._record(session, finding, 'balance_report', reason,
                                key):
                return ALREADY, []
        return REPORTED, [self._event(finding, 'balance_report', reason)]

    def _renewal_at_risk(self, finding, facts):
        detail = finding.detail
        key = 'renewal_notice:%s:%s' % (detail['order_id'],
                                        detail['term_end'])
        if detail['price'] is None:
            reason = ('no product in effect to renew order %s at %s' % (
                detail['order_id'], detail['term_end']))
        else:
            reason = ('renewing order %s at %s costs %s %s, %s available' % (
                detail['order_id'], detail['term_end'], detail['price'],
                detail['currency'], detail['available']))
        with store.locked(finding.project_id) as (session, _account):
            if not self._record(session, finding, 'renewal_notice', reason,
                                key):
                return ALREADY, []
        payload = dict(detail, project_id=finding.project_id,
                       resource_id=finding.resource_id, reason=reason)
        return REPORTED, [(EVENT_RENEWAL, payload)]
