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
"""Forms of the Accounts panel: recharge and credit limit."""

import decimal

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _
from horizon import forms
from horizon import messages

from uos_billing.horizon import api
from uos_billing.horizon import api_errors
from uos_billing.horizon import display
from uos_billing.horizon import fields
from uos_billing.horizon import modal


class AccountForm(modal.BillingForm):
    project_id = forms.CharField(widget=django_forms.HiddenInput)


class RechargeForm(AccountForm):
    amount = fields.money_field(
        _('Amount'), min_value=decimal.Decimal('0'),
        help_text=_('No more decimal places than the account\'s currency '
                    'has.'))
    note = forms.CharField(label=_('Note'), required=False, max_length=1000)
    # Drawn once per form shown: submitting the same form twice (a double
    # click, a resend) recharges once.
    idempotency_key = forms.CharField(widget=django_forms.HiddenInput)

    def clean_amount(self):
        amount = self.cleaned_data['amount']
        if amount <= 0:
            raise django_forms.ValidationError(
                _('A recharge is more than zero.'))
        return amount

    def handle(self, request, data):
        entry = self.submit(
            request, _('The account was not recharged.'),
            api.account_recharge, data['project_id'], data['amount'],
            note=data.get('note') or None,
            idempotency_key=data['idempotency_key'])
        if entry is None:
            return False
        currency = self.initial.get('currency')
        if not currency:
            # The recharge opened the account: now it has a currency.
            try:
                currency = api.account_get(request,
                                           data['project_id']).currency
            except api_errors.BillingAPIError:
                currency = None
        messages.success(request, _(
            'Recharged %(amount)s to project %(project)s: the balance is now '
            '%(balance)s.') % {
                'amount': display.format_money(entry.amount, currency),
                'project': self.initial.get('project_name') or
                data['project_id'],
                'balance': display.format_money(entry.balance_after,
                                                currency)})
        return entry


class CreditLimitForm(AccountForm):
    credit_limit = fields.money_field(
        _('Credit limit'), min_value=decimal.Decimal('0'),
        help_text=_('How far below zero the balance may go before the '
                    'account is owed.'))

    def handle(self, request, data):
        account = self.submit(request, _('The credit limit was not set.'),
                              api.account_update, data['project_id'],
                              credit_limit=data['credit_limit'])
        if account is None:
            return False
        messages.success(request, _(
            'The credit limit of project %(project)s is now %(limit)s.') % {
                'project': self.initial.get('project_name') or
                data['project_id'],
                'limit': display.format_money(account.credit_limit,
                                              account.currency)})
        return account
