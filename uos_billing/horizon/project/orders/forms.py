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
from uos_billing.horizon import api_errors
from uos_billing.horizon import display
from uos_billing.horizon import labels


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


class BuyTermForm(forms.SelfHandlingForm):
    """Buy prepaid terms for an instance, quote first.

    Two steps in one form: the first submit shows the quote, the second
    (confirmed) buys at that price, unless the price changed meanwhile.
    """

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
    quoted_total = forms.CharField(required=False,
                                   widget=django_forms.HiddenInput)
    quoted_product = forms.CharField(required=False,
                                     widget=django_forms.HiddenInput)

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
        self.data = self.data.copy()
        self.data['confirmed'] = 'True'
        self.data['quoted_total'] = str(quote.total)
        self.data['quoted_product'] = quote.lines[0].product_id or ''
        return False

    def _restart(self):
        self.data = self.data.copy()
        self.data['confirmed'] = ''
        return False

    def handle(self, request, data):
        instance = self.instances[data['instance']]
        try:
            quote = api.quote(request, [quote_item(
                instance, data['mode'], data['count'])])
        except api_errors.BillingAPIError as error:
            api_errors.report(request, error,
                              _('No price could be found for this term.'))
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
        try:
            order = api.order_create(
                request, instance.id, line.product_id, data['mode'],
                data['count'], auto_renew=data['auto_renew'])
        except api_errors.BillingAPIError as error:
            api_errors.report(request, error, _('The term was not bought.'))
            return self._restart()
        messages.success(request, _(
            'Bought %(count)d %(mode)s term(s) for %(instance)s: '
            '%(total)s paid.') % {
                'count': data['count'],
                'mode': labels.label(labels.MODES, data['mode']).lower(),
                'instance': instance.name,
                'total': display.format_money(quote.total, quote.currency)})
        return order


class OrderActionForm(forms.SelfHandlingForm):
    """A confirmation of an action on one order.

    The view shows what the action costs or gives back.
    """

    order_id = forms.CharField(widget=django_forms.HiddenInput)


class CancelOrderForm(OrderActionForm):

    def handle(self, request, data):
        try:
            order = api.order_cancel(request, data['order_id'])
        except api_errors.BillingAPIError as error:
            api_errors.report(request, error,
                              _('The order was not cancelled.'))
            return False
        messages.success(request, _(
            'Order %(order)s cancelled: %(refund)s refunded.') % {
                'order': order.id,
                'refund': display.format_money(order.get('refund'),
                                               self.initial.get('currency'))})
        return order


class RenewOrderForm(OrderActionForm):

    def handle(self, request, data):
        try:
            order = api.order_renew(request, data['order_id'])
        except api_errors.BillingAPIError as error:
            api_errors.report(request, error, _('The order was not renewed.'))
            return False
        messages.success(request, _(
            'Order %(order)s renewed: its term now ends %(end)s.') % {
                'order': order.id,
                'end': display.format_instant(order.term_end)})
        return order
