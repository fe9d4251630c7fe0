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
"""Form fields shared by the panels: money, instants, hidden values."""

import datetime

from django.core import validators
from django import forms as django_forms
from django.utils.translation import gettext_lazy as _
from horizon import forms
from oslo_utils import uuidutils

from uos_billing.core import money


def money_field(label, required=True, min_value=None, help_text=None):
    """A Decimal field at the API's precision (never a float)."""
    field_validators = []
    if min_value is not None:
        field_validators.append(validators.MinValueValidator(min_value))
    return forms.DecimalField(
        label=label, required=required, max_digits=28,
        decimal_places=money.STORED_PLACES, validators=field_validators,
        help_text=help_text)


def instant_field(label, required=False, help_text=None):
    return forms.DateTimeField(
        label=label, required=required,
        help_text=help_text or _('YYYY-MM-DD HH:MM, in UTC.'),
        widget=django_forms.DateTimeInput(format='%Y-%m-%d %H:%M'))


def hidden_field():
    """A hidden text field, carried from one step of a form to the next.

    What the user saw (a quoted price) and does not edit.
    """
    return forms.CharField(required=False, widget=django_forms.HiddenInput)


def idempotency_key_field():
    """The idempotency key of a form, drawn once per form shown.

    Submitting the same form twice (a double click, a resend) then does
    its money operation once: the API answers the second with the first
    result.
    """
    return forms.CharField(required=False, widget=django_forms.HiddenInput)


def new_idempotency_key():
    return 'horizon-%s' % uuidutils.generate_uuid()


def iso_instant(value):
    """An instant of a form as the API's ISO 8601 (naive is UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.astimezone(datetime.timezone.utc).isoformat()


def parse_match(text):
    """``flavor_name=m1.small, state=running`` as a dict."""
    match = {}
    for part in (text or '').split(','):
        part = part.strip()
        if not part:
            continue
        key, sep, value = part.partition('=')
        if not sep or not key.strip() or not value.strip():
            raise django_forms.ValidationError(
                _('"%s" is not key=value.') % part)
        match[key.strip()] = value.strip()
    return match


def format_match(match):
    return ', '.join('%s=%s' % (k, v) for k, v in sorted(
        (match or {}).items()))
