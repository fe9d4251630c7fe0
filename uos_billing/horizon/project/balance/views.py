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
"""Views of the Balance panel: account and ledger, statements, CSV."""

import datetime

from django import http
from django import shortcuts
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import generic
from horizon import messages

from uos_billing.horizon import api
from uos_billing.horizon import api_errors
from uos_billing.horizon import display
from uos_billing.horizon import labels
from uos_billing.horizon import listing
from uos_billing.horizon.project.balance import chart
from uos_billing.horizon.project.balance import forms
from uos_billing.horizon.project.balance import statement
from uos_billing.horizon.project.balance import tables


def account_summary(account):
    """The figures of the account box, formatted."""
    currency = account.currency
    days = account.get('days_until_owed')
    return [
        (_('Balance'), display.format_money(account.balance, currency)),
        (_('Status'), labels.label(labels.ACCOUNT_STATUSES, account.status)),
        (_('Credit limit'),
         display.format_money(account.credit_limit, currency)),
        (_('Burn rate'),
         _('%s per day (mean of the last 7 days)') % display.format_money(
             account.get('burn_rate'), currency)),
        (_('Days until owed'),
         _('not while nothing is charged') if days is None else str(days)),
        (_('Owed since'), display.format_instant(account.get('owed_since'))),
    ]


class IndexView(listing.PagedTableView):
    table_class = tables.LedgerTable
    template_name = 'uos_billing/balance/index.html'
    page_title = _('Balance')
    not_listed = _('The ledger could not be shown.')

    def get_data(self):
        self.account = None
        # Without a filter of its own the page starts at this month's
        # entries (the ledger pages from the oldest).
        self.filter_form = forms.LedgerFilterForm(
            self.request.GET or {'begin': display.utcnow().date().replace(
                day=1).isoformat()})
        try:
            self.account = api.account_get(self.request,
                                           self.request.user.project_id)
        except api_errors.BillingAPIError as error:
            if error.status == 404:
                messages.info(self.request, _(
                    'This project has no billing account yet: it is '
                    'opened by its first recharge.'))
            else:
                api_errors.report(self.request, error,
                                  _('The account could not be shown.'))
            return []
        return super().get_data()

    def read_page(self, marker):
        entries, more = api.transaction_list(
            self.request, self.request.user.project_id, marker=marker,
            **self.filter_form.api_filters())
        return [e.set('currency', self.account.currency)
                for e in entries], more

    def daily_chart(self):
        today = display.utcnow().date()
        begin = today - datetime.timedelta(days=chart.DAYS - 1)
        try:
            charges = api.transaction_list_all(
                self.request, self.request.user.project_id, kind='charge',
                begin='%sT00:00:00+00:00' % begin.isoformat())
        except api_errors.BillingAPIError as error:
            api_errors.report(self.request, error,
                              _('The chart of daily charges could not be '
                                'drawn.'))
            return None
        days = chart.daily_charges(charges, today)
        if not any(amount for _day, amount in days):
            return None
        return chart.svg(days, self.account.currency)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['filter_form'] = self.filter_form
        context['table'].filter_query = self.filter_form.query()
        context['account'] = self.account
        if self.account is not None:
            context['summary'] = account_summary(self.account)
            context['chart'] = self.daily_chart()
        return context


class StatementView(listing.BillingTableView):
    table_class = tables.StatementTable
    template_name = 'uos_billing/balance/statement.html'
    page_title = _('Monthly statement')

    @property
    def not_listed(self):
        return _('The statement of %s could not be shown.') % self.month

    def get_data(self):
        self.month_form = forms.MonthForm(self.request.GET or None,
                                          today=display.utcnow().date())
        self.month = self.month_form.chosen_month()
        self.statement = None
        return super().get_data()

    def read(self):
        self.statement = api.statement_get(
            self.request, self.request.user.project_id, self.month)
        return statement.lines(self.statement)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['month_form'] = self.month_form
        context['month'] = self.month
        context['statement'] = self.statement
        return context


class StatementCSVView(generic.View):
    """The statement of ?month=YYYY-MM as a CSV download."""

    def get(self, request, *args, **kwargs):
        month_form = forms.MonthForm(request.GET or None,
                                     today=display.utcnow().date())
        month = month_form.chosen_month()
        try:
            answer = api.statement_get(request, request.user.project_id,
                                       month)
        except api_errors.BillingAPIError as error:
            api_errors.report(
                request, error,
                _('The statement of %s could not be downloaded.') % month)
            return shortcuts.redirect(
                reverse('horizon:project:billing_balance:statement') +
                '?month=' + month)
        response = http.HttpResponse(statement.csv_text(answer),
                                     content_type='text/csv; charset=utf-8')
        response['Content-Disposition'] = (
            'attachment; filename="statement-%s-%s.csv"' % (
                request.user.project_id, month))
        return response
