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
"""Views of the Orders panel."""

from django.urls import reverse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from horizon import exceptions

from uos_billing.horizon import api
from uos_billing.horizon import api_errors
from uos_billing.horizon import display
from uos_billing.horizon import fields
from uos_billing.horizon import labels
from uos_billing.horizon import listing
from uos_billing.horizon import modal
from uos_billing.horizon.project.orders import forms
from uos_billing.horizon.project.orders import refund
from uos_billing.horizon.project.orders import tables

INDEX_URL = 'horizon:project:billing_orders:index'


def account_currency(request):
    """The currency of the project's account (None when it has none)."""
    try:
        return api.account_get(request, request.user.project_id).currency
    except api_errors.BillingAPIError:
        return None


class IndexView(listing.PagedTableView):
    table_class = tables.OrdersTable
    template_name = 'uos_billing/orders/index.html'
    page_title = _('Orders')
    not_listed = _('The orders could not be listed.')

    def read_page(self, marker):
        # The project's own orders, also for an admin (who would
        # otherwise see every project's).
        return api.order_list(self.request,
                              project_id=self.request.user.project_id,
                              marker=marker)

    def get_data(self):
        orders = super().get_data()
        names = {}
        if orders:
            try:
                names = {i.id: i.name
                         for i in api.project_instances(self.request)}
            except Exception:
                exceptions.handle(self.request, _(
                    'The names of the instances could not be listed.'))
        currency = account_currency(self.request) if orders else None
        for order in orders:
            order.set('resource_name',
                      names.get(order.resource_id, order.resource_id))
            order.set('currency', currency)
        return orders


class BuyTermView(modal.ModalFormView):
    form_class = forms.BuyTermForm
    template_name = 'uos_billing/orders/buy.html'
    modal_id = 'buy_term_modal'
    form_id = 'buy_term_form'
    modal_header = _('Buy a prepaid term')
    submit_url = reverse_lazy('horizon:project:billing_orders:buy')
    success_url = reverse_lazy(INDEX_URL)

    def get_initial(self):
        initial = super().get_initial()
        initial['idempotency_key'] = fields.new_idempotency_key()
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        quote = getattr(context.get('form'), 'quote', None)
        if quote is not None:
            currency = quote.currency
            context['quote_lines'] = [{
                'mode': labels.label(labels.MODES, line.mode),
                'count': line.count,
                'unit_price': display.format_money(line.unit_price, currency),
                'amount': display.format_money(line.amount, currency),
            } for line in quote.lines]
            context['quote_total'] = display.format_money(quote.total,
                                                          currency)
        return context


class _OrderActionView(modal.ObjectFormView):
    index_url = INDEX_URL
    url_kwarg = 'order_id'
    not_shown = _('The order could not be shown.')
    context_object_name = 'order'

    def fetch(self, order_id):
        order = api.order_get(self.request, order_id)
        return order.set('currency', account_currency(self.request))

    def get_initial(self):
        order = self.get_object()
        # Drawn once per form shown: confirming twice acts once.
        return {'order_id': order.id, 'currency': order.currency,
                'idempotency_key': fields.new_idempotency_key()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.get_object()
        context['mode'] = labels.label(labels.MODES, order.mode)
        context['term_end'] = display.format_instant(order.term_end)
        return context


class CancelOrderView(_OrderActionView):
    form_class = forms.CancelOrderForm
    template_name = 'uos_billing/orders/cancel.html'
    modal_id = 'cancel_order_modal'
    form_id = 'cancel_order_form'
    modal_header = _('Cancel an order')
    submit_label = _('Cancel the order')
    cancel_label = _('Keep it')
    submit_url_name = 'horizon:project:billing_orders:cancel'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = context['order']
        try:
            estimate = refund.estimate(self.request, order, display.utcnow())
        except api_errors.BillingAPIError as error:
            api_errors.report(self.request, error,
                              _('The refund could not be estimated.'))
            estimate = None
        context['refund'] = display.format_money(estimate, order.currency)
        return context


class RenewOrderView(_OrderActionView):
    """Renew now, at the price of the API's renewal quote.

    The price shown is the one POST /orders/{id}/renew charges: the
    product in effect at the term's end, which after a price change is not
    the order's unit price x count.
    """

    form_class = forms.RenewOrderForm
    template_name = 'uos_billing/orders/renew.html'
    modal_id = 'renew_order_modal'
    form_id = 'renew_order_form'
    modal_header = _('Renew an order now')
    submit_label = _('Pay and renew')
    submit_url_name = 'horizon:project:billing_orders:renew'

    def get_renewal(self):
        """The renewal quote of the page as first shown."""
        if not hasattr(self, '_renewal'):
            try:
                self._renewal = api.order_renewal(self.request,
                                                  self.kwargs['order_id'])
            except api_errors.BillingAPIError as error:
                api_errors.report(self.request, error,
                                  _('The order cannot be renewed.'))
                raise exceptions.Http302(reverse(INDEX_URL))
        return self._renewal

    def get_initial(self):
        initial = super().get_initial()
        if self.request.method == 'GET':
            # A submitted form carries the quote it was shown.
            initial.update(forms.quoted_fields(self.get_renewal()))
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get('form')
        renewal = getattr(form, 'renewal', None)
        if renewal is None:
            if form is not None and form.is_bound and not form.errors:
                # The confirmation could not quote: the form said why.
                raise exceptions.Http302(reverse(INDEX_URL))
            renewal = self.get_renewal()
        order = context['order']
        currency = renewal.currency
        context.update({
            'renewal': renewal,
            'price': display.format_money(renewal.price, currency),
            'unit_price': display.format_money(renewal.unit_price, currency),
            'count': renewal.count,
            'next_start': display.format_instant(renewal.term_start),
            'next_end': display.format_instant(renewal.term_end),
            'available': display.format_money(renewal.available, currency),
            'missing': (display.format_money(renewal.missing, currency)
                        if renewal.missing else None),
            'old_unit_price': (
                display.format_money(order.unit_price, currency)
                if order.unit_price is not None
                and order.unit_price != renewal.unit_price else None),
        })
        return context
