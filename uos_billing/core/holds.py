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
"""Funds holds: a prepaid term's price set aside before the resource exists.

The admission filter holds the price of a term before the service creates
the server, then turns the hold into the server's order (confirm) or gives
it back (release). A hold writes no ledger entry: while it is live, its
amount only stops counting as available funds, for other holds and for
purchases alike. A hold left unconfirmed stops counting at its expiry.
"""

import datetime

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import ledger
from uos_billing.core import money

HELD = 'held'
CONFIRMED = 'confirmed'
RELEASED = 'released'
EXPIRED = 'expired'
STATUSES = (HELD, CONFIRMED, RELEASED, EXPIRED)


def expiry(created_at, ttl_seconds):
    """When a hold made at created_at stops counting."""
    if ttl_seconds <= 0:
        raise errors.InvalidInput('hold_ttl', 'must be at least 1 second')
    return clock.instant(created_at) + datetime.timedelta(
        seconds=ttl_seconds)


def is_live(status, expires_at, at):
    """A hold counts while it is held and at is before its expiry."""
    return status == HELD and clock.instant(at) < clock.instant(expires_at)


def status_at(status, expires_at, at):
    """The status a hold shows at: a held one past its expiry is expired."""
    if status == HELD and not is_live(status, expires_at, at):
        return EXPIRED
    return status


def held_total(holds, at):
    """What the live holds among (status, expires_at, amount) set aside."""
    return money.sum_of(amount for status, expires_at, amount in holds
                        if is_live(status, expires_at, at))


def available(state, held):
    """What an account may still spend: balance + credit limit - held."""
    return money.CONTEXT.subtract(state.available, held)


def require_funds(project_id, state, amount, currency, held=money.ZERO):
    """Refuse a frozen account or a payment the funds not held can't cover.

    The funds not held: balance + credit limit - the live holds.
    """
    ledger.require_funds(project_id, state, amount, currency, held=held)
