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
"""Ledger posting rules (SPEC sections 3 and 4).

The ledger is append-only: every money movement is one entry with a signed
amount (money in is positive) and a unique idempotency key; the account's
balance is the sum of its entries. This module says which entry, which sign
and which key, and how a posting moves the account's status.
"""

import dataclasses
import datetime
import decimal
import typing

from uos_billing.core import errors
from uos_billing.core import money

RECHARGE = 'recharge'
CHARGE = 'charge'
ORDER_PAYMENT = 'order_payment'
REFUND = 'refund'
ADJUSTMENT = 'adjustment'
KINDS = (RECHARGE, CHARGE, ORDER_PAYMENT, REFUND, ADJUSTMENT)

# Sign of each kind's amount: money in is positive. An adjustment carries the
# sign of the correction it makes.
_SIGNS = {RECHARGE: 1, CHARGE: -1, ORDER_PAYMENT: -1, REFUND: 1}

ACTIVE = 'active'
OWED = 'owed'
FROZEN = 'frozen'
STATUSES = (ACTIVE, OWED, FROZEN)

EVENT_OWED = 'billing.account.owed'
EVENT_RESTORED = 'billing.account.restored'
EVENT_BALANCE_LOW = 'billing.balance.low'


def signed(kind, magnitude):
    """The ledger amount of an entry of kind for a non-negative magnitude."""
    if kind == ADJUSTMENT:
        return magnitude
    if magnitude < 0:
        raise ValueError('%s magnitude must not be negative: %s' % (
            kind, magnitude))
    # copy_abs() of a zero keeps "-0" out of the ledger.
    amount = money.stored(_SIGNS[kind] * magnitude)
    return amount if amount else amount.copy_abs()


def _stamp(at):
    return at.strftime('%Y-%m-%dT%H:%M:%SZ')


def charge_key(project_id, period_begin):
    return 'charge:%s:%s' % (project_id, _stamp(period_begin))


def adjustment_key(project_id, period_begin, version):
    return 'adjustment:%s:%s:%d' % (project_id, _stamp(period_begin),
                                    version)


def payment_key(order_id, term_number):
    """Key of the payment of an order's term_number-th term (0 = bought)."""
    return 'order_payment:%s:%d' % (order_id, term_number)


def refund_key(order_id, reason):
    return 'refund:%s:%s' % (order_id, reason)


def recharge_key(project_id, client_key):
    return 'recharge:%s:%s' % (project_id, client_key)


@dataclasses.dataclass(frozen=True)
class AccountState:
    balance: decimal.Decimal
    credit_limit: decimal.Decimal = money.ZERO
    low_balance_threshold: typing.Optional[decimal.Decimal] = None
    status: str = ACTIVE
    owed_since: typing.Optional[datetime.datetime] = None

    @property
    def available(self):
        """What the account may still spend: balance + credit limit."""
        return self.balance + self.credit_limit


def require_funds(project_id, state, amount, currency, held=money.ZERO):
    """Refuse a payment of amount that balance + credit limit can't cover.

    held is what the project's live funds holds set aside: it is not
    available (uos_billing.core.holds).
    """
    if state.status == FROZEN:
        raise errors.AccountFrozen(project_id)
    available = money.CONTEXT.subtract(state.available, held)
    if amount > available:
        raise errors.InsufficientFunds(project_id, amount, available,
                                       currency, money.minor_unit(currency),
                                       held=held)


def evaluate(state, at, previous_balance=None):
    """Status after a change of balance or limits, and the events it fires.

    - balance < -credit_limit turns an active account owed;
    - balance >= 0 turns an owed account active again (restored);
    - crossing under low_balance_threshold fires balance.low once;
    - a frozen account stays frozen until an admin unfreezes it.
    """
    events = []
    status, owed_since = state.status, state.owed_since
    if status == ACTIVE and state.balance < -state.credit_limit:
        status, owed_since = OWED, at
        events.append(EVENT_OWED)
    elif status == OWED and state.balance >= 0:
        status, owed_since = ACTIVE, None
        events.append(EVENT_RESTORED)
    threshold = state.low_balance_threshold
    if (threshold is not None and previous_balance is not None
            and previous_balance >= threshold > state.balance):
        events.append(EVENT_BALANCE_LOW)
    return dataclasses.replace(state, status=status,
                               owed_since=owed_since), events


def post(state, amount, at):
    """Apply a ledger amount to the account: new state and events."""
    moved = dataclasses.replace(state, balance=money.stored(
        money.CONTEXT.add(state.balance, amount)))
    return evaluate(moved, at, previous_balance=state.balance)


def unfreeze(state, at):
    """An admin lifts a freeze: the status follows the balance again."""
    thawed = dataclasses.replace(state, status=ACTIVE, owed_since=None)
    return evaluate(thawed, at)


def period_posting(project_id, period_begin, total, posted):
    """What re-rating a period writes: (kind, amount, key) or None.

    total is the magnitude charged for the period now; posted is the list
    of ledger amounts (charge and adjustments) already written for it. A
    first rating writes one charge entry, unless it charges nothing (a
    period under a prepaid term): no entry then (the period's record of
    exactly once is kept apart from the ledger), and the first rating
    that charges something writes the charge. A re-rating writes nothing when
    the total is unchanged, else one adjustment for the difference.
    """
    amount = signed(CHARGE, total)
    if not posted:
        if not amount:
            return None
        return CHARGE, amount, charge_key(project_id, period_begin)
    difference = money.stored(amount - sum(posted, money.ZERO))
    if difference == 0:
        return None
    return (ADJUSTMENT, difference,
            adjustment_key(project_id, period_begin, len(posted)))


def service_differences(charged, recorded):
    """What a posting moves per service: {service: amount}, none zero.

    charged is what the period's lines now charge per service; recorded
    is what the period's earlier entries recorded per service. Their sum
    is the magnitude of the posting's entry, so that every entry carries
    its own breakdown and a month's breakdown adds up to its charges.
    """
    differences = {}
    for service in sorted(set(charged) | set(recorded)):
        difference = money.stored(
            charged.get(service, money.ZERO)
            - recorded.get(service, money.ZERO))
        if difference:
            differences[service] = difference
    return differences
