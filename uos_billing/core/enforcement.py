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
"""The enforcement ladder of owed accounts (SPEC section 4): pure rules.

warn -> refuse new resources (the admission filter) -> once the grace
period since owed_since is over, stop the project's running servers ->
never delete. A server under a paid prepaid term is never stopped. When
the account is active again, billing starts exactly the servers it
stopped, and nothing else.

Every action has an idempotency key: a project is warned once, and a
server stopped at most once, per owed episode (the episode is named by
its owed_since); a stop is undone (started or released) at most once.
Dry-run actions have keys of their own, so that a dry run and a real run
never take each other's actions for done.
"""

import dataclasses
import datetime
import typing

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import ledger
from uos_billing.core import orders as core_orders
from uos_billing.core import terms

# Steps of the ladder for an account.
NOTHING = 'nothing'
WARN = 'warn'
STOP = 'stop'
RESTORE = 'restore'

# Actions recorded (billing_enforcement_action.action).
ACTION_WARN = 'warn'
ACTION_STOP = 'stop'
ACTION_START = 'start'
# A stop billing forgets without starting the server: it is gone, or
# somebody else already started it.
ACTION_RELEASE = 'release'
STOP_ACTIONS = (ACTION_STOP, ACTION_START, ACTION_RELEASE)

# Nova's server statuses that matter here.
RUNNING = 'ACTIVE'
SHUTOFF = 'SHUTOFF'

EVENT_PREFIX = 'billing.enforcement.'


@dataclasses.dataclass(frozen=True)
class Server:
    id: str
    status: str


@dataclasses.dataclass(frozen=True)
class Action:
    """An action recorded earlier: (id, resource_id, action, dry_run)."""
    id: int
    resource_id: typing.Optional[str]
    action: str
    dry_run: bool


@dataclasses.dataclass(frozen=True)
class Undo:
    """What restoring does about one outstanding stop."""
    server_id: str
    stop_id: int
    action: str
    reason: str


def check_grace(seconds):
    """A grace period in whole seconds, >= 0, as a timedelta."""
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        raise errors.InvalidInput('grace_period',
                                  'must be a whole number of seconds')
    if seconds < 0:
        raise errors.InvalidInput('grace_period', 'must not be negative')
    return datetime.timedelta(seconds=seconds)


def stop_at(owed_since, grace_seconds):
    """The instant from which an account owed since owed_since is stopped."""
    return clock.instant(owed_since) + check_grace(grace_seconds)


def step(status, owed_since, now, grace_seconds):
    """The ladder's step for an account at now.

    - active: restore (start what billing stopped, if anything);
    - owed within the grace period: warn;
    - owed from owed_since + grace on: stop (after the warning);
    - frozen: nothing; a freeze is an admin's decision, and the admission
      filter already refuses new resources.
    """
    if status == ledger.ACTIVE:
        return RESTORE
    if status == ledger.OWED:
        if owed_since is None:
            raise errors.InvalidInput('owed_since',
                                      'an owed account must have one')
        if clock.instant(now) >= stop_at(owed_since, grace_seconds):
            return STOP
        return WARN
    if status == ledger.FROZEN:
        return NOTHING
    raise errors.InvalidInput('status', 'unknown account status %r' %
                              (status,))


def _stamp(at):
    return clock.instant(at).strftime('%Y-%m-%dT%H:%M:%SZ')


def _suffix(dry_run):
    return ':dry-run' if dry_run else ''


def warn_key(project_id, owed_since, dry_run=False):
    return 'warn:%s:%s%s' % (project_id, _stamp(owed_since),
                             _suffix(dry_run))


def stop_key(project_id, server_id, owed_since, dry_run=False):
    return 'stop:%s:%s:%s%s' % (project_id, server_id, _stamp(owed_since),
                                _suffix(dry_run))


def undo_key(stop_id):
    """Key of the start or release of the stop recorded as stop_id."""
    return 'undo:%d' % stop_id


def covered(orders, now):
    """Resources under a paid prepaid term at now.

    orders are (resource_id, mode, status, term_start, term_end): an active
    monthly or yearly order whose term contains now covers its resource.
    """
    now = clock.instant(now)
    result = set()
    for resource_id, mode, status, term_start, term_end in orders:
        if (mode in terms.PREPAID_MODES and status == core_orders.ACTIVE
                and term_start is not None and term_end is not None
                and clock.instant(term_start) <= now
                < clock.instant(term_end)):
            result.add(resource_id)
    return result


def servers_to_stop(servers, prepaid, stopped):
    """(to stop, spared) among the project's servers.

    Only running servers are stopped; those under a prepaid term are
    spared; those billing stopped already in this episode (stopped, a set
    of ids) are left alone, even if an admin started them again.
    """
    to_stop, spared = [], []
    for server in sorted(servers, key=lambda s: s.id):
        if server.status != RUNNING or server.id in stopped:
            continue
        if server.id in prepaid:
            spared.append(server.id)
        else:
            to_stop.append(server.id)
    return to_stop, spared


def outstanding_stops(actions, dry_run=False):
    """{server id: stop action id} of the stops not undone yet.

    actions are Action, in the order they were recorded; only those of the
    same kind of run (dry or real) count.
    """
    latest = {}
    for action in actions:
        if action.dry_run == dry_run and action.action in STOP_ACTIONS:
            latest[action.resource_id] = action
    return {server_id: action.id for server_id, action in latest.items()
            if action.action == ACTION_STOP}


def restore_plan(outstanding, servers, dry_run=False):
    """What to do about each outstanding stop, given the servers now.

    A server still shut off is started; one that is gone or not shut off
    (someone started it, or it is in another state) is released: billing
    starts nothing it did not stop. In a dry run nothing was stopped: a
    running server is taken as the dry stop left it, shut off.
    """
    by_id = {server.id: server for server in servers}
    plan = []
    for server_id, stop_id in sorted(outstanding.items()):
        server = by_id.get(server_id)
        status = server and server.status
        if dry_run and status == RUNNING:
            status = SHUTOFF
        if server is None:
            plan.append(Undo(server_id, stop_id, ACTION_RELEASE,
                             'the server no longer exists'))
        elif status == SHUTOFF:
            plan.append(Undo(server_id, stop_id, ACTION_START,
                             'the account is active again'))
        else:
            plan.append(Undo(server_id, stop_id, ACTION_RELEASE,
                             'the server is %s, not SHUTOFF' %
                             server.status))
    return plan
