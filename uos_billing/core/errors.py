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
"""Errors raised by the billing rules; each names what is wrong."""


class BillingError(Exception):
    """Base class of every uos-billing error."""


class InvalidInput(BillingError, ValueError):
    """A value given by a user or an operator is not acceptable."""

    def __init__(self, field, reason):
        self.field = field
        self.reason = reason
        super().__init__('%s: %s' % (field, reason))


class NotFound(BillingError):
    """A referenced object does not exist."""

    def __init__(self, kind, ident):
        self.kind = kind
        self.ident = ident
        super().__init__('%s %s not found' % (kind, ident))


class Conflict(BillingError):
    """The request contradicts the current state (HTTP 409)."""


class ServiceUnavailable(BillingError):
    """Something billing needs cannot answer now (HTTP 503).

    Nothing was written: the same request may be sent again later.
    """


class PeriodNotOver(BillingError):
    """A period that has not ended yet is not rated for money.

    CloudKitty rates a period once it is over; a module that moves money
    refuses one that is not, whoever asks. Nothing is written.
    """

    def __init__(self, project_id, period_end, now):
        self.project_id = project_id
        self.period_end = period_end
        super().__init__(
            'project %s: the period ending at %s is not over at %s; it is '
            'not rated' % (project_id, period_end.isoformat(),
                           now.isoformat()))


def shown(amount, places):
    """An amount as people read it: no trailing zeros past places.

    Display only: the value is never rounded, so a missing 4.505 reads
    4.505, not 4.50.
    """
    normal = amount.normalize()
    if -normal.as_tuple().exponent < places:
        normal = amount.quantize(type(amount)(1).scaleb(-places))
    return format(normal, 'f')


class InsufficientFunds(BillingError):
    """Balance plus credit limit do not cover a payment (HTTP 402)."""

    def __init__(self, project_id, required, available, currency,
                 places=2, held=None):
        self.project_id = project_id
        self.required = required
        self.available = available
        self.missing = required - available
        self.currency = currency
        self.held = held
        funds = 'balance + credit limit'
        if held:
            funds += ' - %s %s held' % (shown(held, places), currency)
        super().__init__(
            'insufficient funds for project %s: %s %s required, %s %s '
            'available (%s), %s %s missing' % (
                project_id, shown(required, places), currency,
                shown(available, places), currency, funds,
                shown(self.missing, places), currency))


class AccountFrozen(Conflict):
    """A frozen account may not buy or renew."""

    def __init__(self, project_id):
        self.project_id = project_id
        super().__init__('account of project %s is frozen' % project_id)


class CurrencyMismatch(BillingError):
    """A product priced in one currency meets an account in another.

    Rating refuses to convert: the scope's period is not posted.
    """

    def __init__(self, project_id, account_currency, product_id,
                 product_currency):
        self.project_id = project_id
        self.product_id = product_id
        super().__init__(
            'project %s has an account in %s but product %s is priced in '
            '%s; no conversion is made' % (
                project_id, account_currency, product_id, product_currency))


class AmbiguousProduct(Conflict):
    """Two equally specific products price the same usage at once."""

    def __init__(self, first, second):
        self.first = first
        self.second = second
        super().__init__(
            'products %s and %s are equally specific and both in effect for '
            'service %s in region %s' % (
                first.id, second.id, first.service, first.region))
