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
"""Translatable names of the API's enumerations (kinds, statuses, modes)."""

from django.utils.translation import pgettext_lazy

TRANSACTION_KINDS = (
    ('recharge', pgettext_lazy('ledger entry kind', 'Recharge')),
    ('charge', pgettext_lazy('ledger entry kind', 'Usage charge')),
    ('order_payment', pgettext_lazy('ledger entry kind', 'Term payment')),
    ('refund', pgettext_lazy('ledger entry kind', 'Refund')),
    ('adjustment', pgettext_lazy('ledger entry kind', 'Adjustment')),
)

ACCOUNT_STATUSES = (
    ('active', pgettext_lazy('account status', 'Active')),
    ('owed', pgettext_lazy('account status', 'Owed')),
    ('frozen', pgettext_lazy('account status', 'Frozen')),
    ('none', pgettext_lazy('account status', 'No account yet')),
)

ORDER_STATUSES = (
    ('active', pgettext_lazy('order status', 'Active')),
    ('expired', pgettext_lazy('order status', 'Expired')),
    ('cancelled', pgettext_lazy('order status', 'Cancelled')),
    ('closed', pgettext_lazy('order status', 'Closed')),
)

MODES = (
    ('on_demand', pgettext_lazy('billing mode', 'Pay as you go')),
    ('monthly', pgettext_lazy('billing mode', 'Monthly')),
    ('yearly', pgettext_lazy('billing mode', 'Yearly')),
)

PREPAID_MODES = MODES[1:]


def label(choices, value):
    """The translated name of value among choices (value if unknown)."""
    return dict(choices).get(value, value)
