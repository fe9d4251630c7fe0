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
"""Forms of the Orders panel: buy a term (quote first), cancel, renew."""

import decimal

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import forms
from horizon import messages

from uos_billing.core import terms
from uos_billing.horizon import api
from uos_billing.horizon import display
from uos_billing.horizon import fields
from uos_billing.horizon import labels
from uos_billing.horizon import modal


def quote_item(instance, mode, count):
    """The quote item of a prepaid term for instance.

    Its fields are what the price book matches an instance on: the flavor
    (id and name) and the running state, as the rated vm.state points.
    """
    fields = {'state': 'running'}
    if instance.flavor_id:
        fields['flavor_id'] = instance.flavor_id
    if instance.flavor_name:
        fields['flavor_name'] = instance.flavor_name
    return {'service': api.INSTANCE_SERVICE, 'qty': '1', 'mode': mode,
            'count': count, 'fields': fields}


class BuyTermForm(modal.BillingForm):
    """Buy prepaid terms for an instance, quote first.

    Two steps in one form: the first submit shows the quote, the second
    (confirmed) buys at that price, unless the price changed meanwhile.
    """

    refusals_on_fields = False

    instance = forms.ThemableChoiceField(label=_('Instance'))
    mode = forms.ThemableChoiceField(label=_('Term'),
                                     choices=labels.PREPAID_MODES)
    count = forms.IntegerField(
        label=_('Number of terms'), min_value=1,
        max_value=terms.MAX_COUNT['monthly'], initial=1,
        help_text=_('1 to 120 monthly terms, 1 to 10 yearly terms.'))
    auto_renew = forms.BooleanField(label=_('Renew automatically'),
                                    required=False)
    confirmed = forms.BooleanField(required=False,
                                   widget=django_forms.HiddenInput)
    quoted_total = fields.hidden_field()
    quoted_product = fields.hidden_field()
    idempotency_key = fields.idempotency_key_field()

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.quote = None
        self.instances = {}
        try:
            self.instances = {i.id: i for i in api.project_instances(request)}
        except Exception:
            exceptions.handle(request, _('The instances of this project '
                                         'could not be listed.'))
        self.fields['instance'].choices = [
            (i.id, '%s (%s)' % (i.name, i.flavor_name or i.flavor_id or '?'))
            for i in sorted(self.instances.values(), key=lambda i: i.name)]

    def clean(self):
        cleaned = super().clean()
        mode, count = cleaned.get('mode'), cleaned.get('count')
        if mode and count and count > terms.MAX_COUNT[mode]:
            self.add_error('count', _('At most %(max)d %(mode)s terms.') % {
                'max': terms.MAX_COUNT[mode],
                'mode': labels.label(labels.MODES, mode).lower()})
        return cleaned

    def _show_quote(self, quote):
        """Back to the form, now showing quote and asking to confirm."""
        self.quote = quote
        return self.show_again(
            confirmed='True', quoted_total=str(quote.total),
            quoted_product=quote.lines[0].product_id or '')

    def _restart(self):
        return self.show_again(confirmed='')

    def handle(self, request, data):
        instance = self.instances[data['instance']]
        quote = self.submit(request,
                            _('No price could be found for this term.'),
                            api.quote, [quote_item(instance, data['mode'],
                                                   data['count'])])
        if quote is None:
            return self._restart()
        line = quote.lines[0]
        if not data['confirmed']:
            return self._show_quote(quote)
        try:
            quoted = decimal.Decimal(data['quoted_total'])
        except decimal.InvalidOperation:
            quoted = None
        if quoted != quote.total or line.product_id != data['quoted_product']:
            messages.warning(request, _(
                'The price changed since the quote: check the new price '
                'and confirm again.'))
            return self._show_quote(quote)
        order = self.submit(
            request, _('The term was not bought.'), api.order_create,
            instance.id, line.product_id, data['mode'], data['count'],
            auto_renew=data['auto_renew'],
            idempotency_key=data.get('idempotency_key') or None)
        if order is None:
            return self._restart()
        messages.success(request, _(
            'Bought %(count)d %(mode)s term(s) for %(instance)s: '
            '%(total)s paid.') % {
                'count': data['count'],
                'mode': labels.label(labels.MODES, data['mode']).lower(),
                'instance': instance.name,
                'total': display.format_money(quote.total, quote.currency)})
        return order


class OrderActionForm(modal.BillingForm):
    """A confirmation of an action on one order.

    The view shows what the action costs or gives back.
    """

    refusals_on_fields = False

    order_id = forms.CharField(widget=django_forms.HiddenInput)
    idempotency_key = fields.idempotency_key_field()


class CancelOrderForm(OrderActionForm):

    def handle(self, request, data):
        order = self.submit(request, _('The order was not cancelled.'),
                            api.order_cancel, data['order_id'],
                            idempotency_key=data.get('idempotency_key')
                            or None)
        if order is None:
            return False
        messages.success(request, _(
            'Order %(order)s cancelled: %(refund)s refunded.') % {
                'order': order.id,
                'refund': display.format_money(order.get('refund'),
                                               self.initial.get('currency'))})
        return order


def quoted_fields(renewal):
    """The hidden fields that carry a renewal quote to the confirmation.

    What the user saw: the price, the product it comes from and the end
    of the term it pays. The confirmation renews only if a new quote has
    the same three. quoted_term_start, the current term's end, is the
    term_end the renewal states to the API.
    """
    return {'quoted_price': str(renewal.price),
            'quoted_product': renewal.product_id or '',
            'quoted_term_start': renewal.term_start or '',
            'quoted_term_end': renewal.term_end or ''}


def _quoted_price(data):
    """The price the page showed (None when the form carries none)."""
    try:
        return decimal.Decimal(data.get('quoted_price') or '')
    except decimal.InvalidOperation:
        return None


def _same_quote(data, renewal):
    return (_quoted_price(data) == renewal.price
            and data.get('quoted_product') == (renewal.product_id or '')
            and data.get('quoted_term_end') == (renewal.term_end or ''))


class RenewOrderForm(OrderActionForm):
    """Renew at the price shown, from the API's renewal quote.

    The view shows the quote (GET /orders/{id}/renewal). The confirmation
    quotes again and renews only if the price, its product and the new
    term's end are still those shown; otherwise the form shows the new
    quote and asks to confirm again.
    """

    quoted_price = fields.hidden_field()
    quoted_product = fields.hidden_field()
    quoted_term_start = fields.hidden_field()
    quoted_term_end = fields.hidden_field()

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # The quote of a submitted form (None when it could not be had).
        self.renewal = None

    def _show_renewal(self, renewal):
        """Back to the form, showing renewal and asking to confirm."""
        self.renewal = renewal
        return self.show_again(**quoted_fields(renewal))

    def handle(self, request, data):
        not_renewed = _('The order was not renewed.')
        renewal = self.submit(request, not_renewed, api.order_renewal,
                              data['order_id'])
        if renewal is None:
            return False
        if not _same_quote(data, renewal):
            currency = renewal.currency
            if _quoted_price(data) is None:
                messages.warning(request, _(
                    'The order was not renewed: no price was shown. '
                    'Renewing now costs %(price)s; check it and confirm.') % {
                        'price': display.format_money(renewal.price,
                                                      currency)})
            elif renewal.term_end != data.get('quoted_term_end'):
                messages.warning(request, _(
                    'The order was not renewed: its term changed since the '
                    'price was shown (was it renewed meanwhile?). The next '
                    'term now ends %(end)s and costs %(price)s; check it and '
                    'confirm again.') % {
                        'end': display.format_instant(renewal.term_end),
                        'price': display.format_money(renewal.price,
                                                      currency)})
            elif _quoted_price(data) != renewal.price:
                messages.warning(request, _(
                    'The order was not renewed: the price changed since it '
                    'was shown. Renewing now costs %(price)s; check it and '
                    'confirm again.') % {
                        'price': display.format_money(renewal.price,
                                                      currency)})
            else:
                messages.warning(request, _(
                    'The order was not renewed: the price list changed since '
                    'the price was shown (product %(product)s now prices the '
                    'renewal, at %(price)s); check it and confirm again.') % {
                        'product': renewal.product_id,
                        'price': display.format_money(renewal.price,
                                                      currency)})
            return self._show_renewal(renewal)
        # The end of the term the user saw renewed: the API renews it once
        # (a second confirmation is refused), or answers the first result
        # of this form's key.
        order = self.submit(request, not_renewed, api.order_renew,
                            data['order_id'],
                            data.get('quoted_term_start') or
                            renewal.term_start,
                            idempotency_key=data.get('idempotency_key')
                            or None)
        if order is None:
            return self._show_renewal(renewal)
        messages.success(request, _(
            'Order %(order)s renewed for %(price)s: its term now ends '
            '%(end)s.') % {
                'order': order.id,
                'price': display.format_money(renewal.price,
                                              renewal.currency),
                'end': display.format_instant(order.term_end)})
        return order
