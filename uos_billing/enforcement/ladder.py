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
"""The enforcement ladder, run for one project (SPEC section 4).

The rules are uos_billing.core.enforcement's; here they meet the database
and Nova. Each action is taken and recorded in one transaction holding
the project's account lock, after checking again that the account is
still in the state that calls for it: a recharge committed meanwhile
either comes first (and the action is not taken) or sees the action
recorded (and undoes it). Notifications go out once the row committed.
"""

from oslo_log import log as logging
from oslo_utils import timeutils

from uos_billing.conf import enforcement as conf_enforcement
from uos_billing.core import clock
from uos_billing.core import enforcement as core
from uos_billing.core import ledger
from uos_billing.core import money
from uos_billing.enforcement import nova
from uos_billing.enforcement import store
from uos_billing.rating import notifier

LOG = logging.getLogger(__name__)


def _payload(project_id, action, reason, dry_run, resource_id=None,
             **detail):
    return dict(detail, project_id=project_id, resource_id=resource_id,
                action=action, reason=reason, dry_run=dry_run)


class Ladder(object):
    """Warn, stop after the grace period, restore: for one project."""

    def __init__(self, conf, compute=None, now=None):
        self.conf = conf
        self.options = conf[conf_enforcement.GROUP]
        self.compute = compute or nova.Compute(conf)
        # A fixed instant for tests; None: the wall clock at each call.
        self._now = now

    def now(self):
        return clock.instant(self._now or timeutils.utcnow(
            with_timezone=True))

    @property
    def dry_run(self):
        return self.options.dry_run

    def evaluate(self, project_id):
        """Take the step the project's account is at. Returns the step."""
        account = store.account(project_id)
        if account is None:
            return core.NOTHING
        now = self.now()
        step = core.step(account.status, account.owed_since, now,
                         self.options.grace_period)
        if step == core.RESTORE:
            self.restore(project_id)
        elif step in (core.WARN, core.STOP):
            self.warn(project_id, account, now)
            if step == core.STOP:
                self.stop(project_id, account.owed_since)
        return step

    # Warn

    def warn(self, project_id, account, now):
        key = core.warn_key(project_id, account.owed_since, self.dry_run)
        with store.reading() as session:
            # Warned already (every posting of an owed account asks): no
            # lock taken.
            if store.has_key(session, key):
                return False
        stop_at = core.stop_at(account.owed_since, self.options.grace_period)
        balance = money.to_str(account.balance)
        reason = ('balance %s %s, owed since %s; its running servers are '
                  'stopped from %s' % (
                      balance, account.currency,
                      account.owed_since.isoformat(), stop_at.isoformat()))
        detail = {'owed_since': account.owed_since.isoformat(),
                  'stop_at': stop_at.isoformat(),
                  'balance': balance,
                  'credit_limit': money.to_str(account.credit_limit),
                  'currency': account.currency}
        with store.locked(project_id) as (session, current):
            if not self._still_owed(current, account.owed_since) or \
                    store.has_key(session, key):
                return False
            store.record(session, project_id, core.ACTION_WARN, reason,
                         self.options.actor, key, now, dry_run=self.dry_run,
                         detail=detail)
        self._done(project_id, core.ACTION_WARN, reason, None, detail)
        return True

    @staticmethod
    def _still_owed(account, owed_since):
        return (account is not None and account.status == ledger.OWED
                and account.owed_since == owed_since)

    # Stop

    def stop(self, project_id, owed_since):
        """Stop the project's running servers not under a prepaid term."""
        try:
            servers = self.compute.servers(project_id)
        except nova.ComputeError as e:
            LOG.error('project %s: %s', project_id, e)
            return []
        now = self.now()
        with store.reading() as session:
            prepaid = core.covered(store.prepaid_orders(session, project_id),
                                   now)
            stopped = {server.id for server in servers if store.has_key(
                session, core.stop_key(project_id, server.id, owed_since,
                                       self.dry_run))}
        to_stop, spared = core.servers_to_stop(servers, prepaid, stopped)
        for server_id in spared:
            LOG.info('project %s: server %s is under a paid prepaid term, '
                     'it is not stopped', project_id, server_id)
        done = []
        for server_id in to_stop:
            try:
                if self._stop_one(project_id, server_id, owed_since):
                    done.append(server_id)
            except nova.ComputeError as e:
                LOG.error('project %s: %s', project_id, e)
        if done and not self.dry_run:
            # A recharge may have restored the account while the last
            # servers were stopped: its restore ran before their rows.
            account = store.account(project_id)
            if account is not None and account.status == ledger.ACTIVE:
                self.restore(project_id)
        return done

    def _stop_one(self, project_id, server_id, owed_since):
        key = core.stop_key(project_id, server_id, owed_since, self.dry_run)
        reason = ('account owed since %s, grace period of %d s over' % (
            owed_since.isoformat(), self.options.grace_period))
        detail = {'owed_since': owed_since.isoformat()}
        with store.locked(project_id) as (session, account):
            if not self._still_owed(account, owed_since) or \
                    store.has_key(session, key):
                return False
            if not self.dry_run:
                # Under the lock: a recharge waits for the row, then its
                # restore finds it.
                self.compute.stop(server_id)
            store.record(session, project_id, core.ACTION_STOP, reason,
                         self.options.actor, key, self.now(),
                         resource_id=server_id, dry_run=self.dry_run,
                         detail=detail)
        self._done(project_id, core.ACTION_STOP, reason, server_id, detail)
        return True

    # Restore

    def restore(self, project_id):
        """Start what billing stopped, if the account is active."""
        with store.reading() as session:
            outstanding = core.outstanding_stops(
                store.stop_actions(session, project_id), self.dry_run)
        if not outstanding:
            return []
        try:
            servers = self.compute.servers(project_id)
        except nova.ComputeError as e:
            LOG.error('project %s: %s', project_id, e)
            return []
        plan = core.restore_plan(outstanding, servers, self.dry_run)
        done = []
        for undo in plan:
            try:
                if self._undo_one(project_id, undo):
                    done.append((undo.action, undo.server_id))
            except nova.ComputeError as e:
                LOG.error('project %s: %s', project_id, e)
        return done

    def _undo_one(self, project_id, undo):
        key = core.undo_key(undo.stop_id)
        detail = {'stop_id': undo.stop_id}
        with store.locked(project_id) as (session, account):
            if account is None or account.status != ledger.ACTIVE or \
                    store.has_key(session, key):
                return False
            if undo.action == core.ACTION_START and not self.dry_run:
                self.compute.start(undo.server_id)
            store.record(session, project_id, undo.action, undo.reason,
                         self.options.actor, key, self.now(),
                         resource_id=undo.server_id, dry_run=self.dry_run,
                         detail=detail)
        self._done(project_id, undo.action, undo.reason, undo.server_id,
                   detail)
        return True

    def _done(self, project_id, action, reason, resource_id, detail):
        if self.dry_run:
            LOG.warning('dry run: project %s: would %s %s: %s', project_id,
                        action, resource_id or 'the project', reason)
            return
        LOG.warning('project %s: %s %s: %s', project_id, action,
                    resource_id or 'the project', reason)
        notifier.send([(core.EVENT_PREFIX + action, _payload(
            project_id, action, reason, False, resource_id, **detail))])
