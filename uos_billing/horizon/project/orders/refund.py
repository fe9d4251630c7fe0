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
"""What cancelling an order would refund, shown before confirming.

The API refunds the unused seconds of each paid term at the instant of
the cancellation (uos_billing.core.orders.unused_refund). The same rule is
applied here to the order's payments in the ledger, at the instant the
page is shown; the API's answer then says what was really refunded.
"""

from uos_billing.core import clock
from uos_billing.core import orders as core_orders
from uos_billing.horizon import api
from uos_billing.horizon import display


def paid_terms(request, order):
    """(paid amount, term window) of each ledger payment of the order."""
    payments = api.transaction_list_all(request, order.project_id,
                                        kind='order_payment')
    terms = []
    for entry in payments:
        if entry.order_id != order.id:
            continue
        begin = display.parse_instant(entry.period_begin)
        end = display.parse_instant(entry.period_end)
        if begin is None or end is None:
            continue
        terms.append((-entry.amount, clock.Window(begin, end)))
    return terms


def estimate(request, order, now):
    """The refund a cancellation at now would give (a Decimal)."""
    return core_orders.unused_refund(paid_terms(request, order),
                                     clock.instant(now))
