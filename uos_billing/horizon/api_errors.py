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
"""Refusals of the billing API in words a person reads in Horizon.

Every view catches :class:`BillingAPIError` and shows :func:`describe`'s
sentence as a Horizon message: 402 says how much money is missing, 409
why the request conflicts, 403 that the user may not do it. No stack trace
reaches the page.
"""

import decimal

from django.utils.translation import gettext as _
from horizon import messages

from uos_billing.horizon import display


class BillingAPIError(Exception):
    """The billing API refused a request (or could not be reached)."""

    def __init__(self, status, message, title=None, field=None,
                 missing=None, currency=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.title = title
        self.field = field
        self.missing = missing
        self.currency = currency

    def __str__(self):
        return str(self.message)


def from_response(response):
    """The error of a 4xx/5xx answer (body ``{"error": {...}}``)."""
    error = {}
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        if isinstance(body.get('error'), dict):
            error = body['error']
        elif body.get('faultstring'):
            error = {'message': body['faultstring']}
    message = ' '.join(str(error.get('message') or response.reason or
                           '').split())
    missing = error.get('missing')
    try:
        missing = None if missing is None else decimal.Decimal(str(missing))
    except decimal.InvalidOperation:
        missing = None
    return BillingAPIError(response.status_code, message,
                           title=error.get('title'), field=error.get('field'),
                           missing=missing,
                           currency=error.get('currency'))


def _detail(error):
    return (error.message or '').rstrip('.')


def reason(error):
    """Why the request was refused, in one or two plain sentences."""
    status = error.status
    if status == 402:
        if error.missing is not None:
            return _('The account is %(missing)s short: recharge it, or ask '
                     'an administrator for a higher credit limit.') % {
                'missing': display.format_money(error.missing,
                                                error.currency)}
        return _('The account does not have enough money: recharge it, or '
                 'ask an administrator for a higher credit limit.')
    if status == 409:
        return _('It conflicts with the current state: %s.') % _detail(error)
    if status == 403:
        return _('You are not allowed to do this.')
    if status == 404:
        return _('It does not exist (any more).')
    if status == 400:
        if error.field:
            return _('The value of "%(field)s" was refused: %(detail)s.') % {
                'field': error.field, 'detail': _detail(error)}
        return _('The request was refused: %s.') % _detail(error)
    if status is not None and status >= 500:
        return _('The billing service failed (HTTP %s); try again '
                 'later.') % status
    return '%s.' % _detail(error)


def describe(error, headline):
    """The headline ("The term was not bought.") and the reason."""
    return '%s %s' % (headline, reason(error))


def report(request, error, headline):
    """Show the refusal as a Horizon error message."""
    messages.error(request, describe(error, headline))


def report_on_form(form, request, error, headline):
    """Show a refusal on the form (a refused field) or as a message.

    The form is shown again either way.
    """
    if error.status == 400 and error.field in form.fields:
        form.add_error(error.field, reason(error))
    else:
        report(request, error, headline)
