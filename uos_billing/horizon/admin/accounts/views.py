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
"""Views of the Accounts panel."""

from django.utils.translation import gettext_lazy as _
from horizon import exceptions

from uos_billing.horizon.admin.accounts import forms
from uos_billing.horizon.admin.accounts import tables
from uos_billing.horizon import api
from uos_billing.horizon import display
from uos_billing.horizon import fields
from uos_billing.horizon import labels
from uos_billing.horizon import listing
from uos_billing.horizon import modal

INDEX_URL = 'horizon:admin:billing_accounts:index'


def rows(accounts, names):
    """One row per project: its account, or an empty one (status none)."""
    by_project = {a.project_id: a for a in accounts}
    result = []
    for project_id in sorted(set(by_project) | set(names),
                             key=lambda p: (names.get(p, p).lower(), p)):
        account = by_project.get(project_id) or api.BillingObject({
            'project_id': project_id, 'currency': None, 'balance': None,
            'credit_limit': None, 'status': 'none', 'owed_since': None})
        result.append(account.set('project_name',
                                  names.get(project_id, project_id)))
    return result


class IndexView(listing.BillingTableView):
    table_class = tables.AccountsTable
    template_name = 'uos_billing/accounts/index.html'
    page_title = _('Accounts')
    not_listed = _('The accounts could not be listed.')

    def read(self):
        accounts = api.account_list_all(self.request)
        names = {}
        try:
            names = api.project_names(self.request)
        except Exception:
            exceptions.handle(self.request,
                              _('The projects could not be listed.'))
        return rows(accounts, names)


class _AccountView(modal.ObjectFormView):
    index_url = INDEX_URL
    url_kwarg = 'project_id'
    not_shown = _('The account could not be shown.')
    context_object_name = 'account'
    # A project without an account yet: its first recharge opens it.
    missing_ok = True

    def fetch(self, project_id):
        return api.account_get(self.request, project_id)

    def get_account(self):
        """The project's account, or None when it has none yet."""
        return self.get_object()

    def get_project_name(self):
        if not hasattr(self, '_project_name'):
            self._project_name = api.project_name(self.request,
                                                  self.kwargs['project_id'])
        return self._project_name

    def get_initial(self):
        account = self.get_account()
        return {'project_id': self.kwargs['project_id'],
                'project_name': self.get_project_name(),
                'currency': account.currency if account else None}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        account = self.get_account()
        context['project_name'] = self.get_project_name()
        context['project_id'] = self.kwargs['project_id']
        if account is not None:
            context['balance'] = display.format_money(account.balance,
                                                      account.currency)
            context['credit_limit'] = display.format_money(
                account.credit_limit, account.currency)
            context['status'] = labels.label(labels.ACCOUNT_STATUSES,
                                             account.status)
        return context


class RechargeView(_AccountView):
    form_class = forms.RechargeForm
    template_name = 'uos_billing/accounts/recharge.html'
    modal_id = 'recharge_modal'
    form_id = 'recharge_form'
    modal_header = _('Recharge an account')
    submit_label = _('Recharge')
    submit_url_name = 'horizon:admin:billing_accounts:recharge'

    def get_initial(self):
        initial = super().get_initial()
        initial['idempotency_key'] = fields.new_idempotency_key()
        return initial


class CreditLimitView(_AccountView):
    form_class = forms.CreditLimitForm
    template_name = 'uos_billing/accounts/credit_limit.html'
    modal_id = 'credit_limit_modal'
    form_id = 'credit_limit_form'
    modal_header = _('Set a credit limit')
    submit_label = _('Set')
    submit_url_name = 'horizon:admin:billing_accounts:credit_limit'

    def get_initial(self):
        initial = super().get_initial()
        account = self.get_account()
        if account is not None:
            initial['credit_limit'] = account.credit_limit
        return initial
