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
"""Forms of the Products panel: create, edit (new prices), end."""

import decimal

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _
from horizon import forms
from horizon import messages

from uos_billing.horizon import api
from uos_billing.horizon import display
from uos_billing.horizon import fields
from uos_billing.horizon import modal

ZERO = decimal.Decimal(0)
PRICES = ('on_demand_price', 'monthly_price', 'yearly_price')


class CreateProductForm(modal.BillingForm):
    name = forms.CharField(label=_('Name'), max_length=255)
    service = forms.CharField(label=_('Service'), max_length=64,
                              initial=api.INSTANCE_SERVICE)
    region = forms.CharField(label=_('Region'), max_length=255, initial='*',
                             help_text=_('* for every region.'))
    match = forms.CharField(
        label=_('Match'), required=False,
        help_text=_('Fields of the rated data it prices, e.g. '
                    'flavor_name=m1.small, state=running'))
    unit = forms.CharField(label=_('Unit'), max_length=64, initial='hour')
    on_demand_price = fields.money_field(_('Price per unit'),
                                         min_value=ZERO)
    monthly_price = fields.money_field(_('Monthly price'), required=False,
                                       min_value=ZERO)
    yearly_price = fields.money_field(_('Yearly price'), required=False,
                                      min_value=ZERO)
    currency = forms.CharField(label=_('Currency'), required=False,
                               max_length=3,
                               help_text=_('ISO 4217 code; empty for the '
                                           'default currency.'))
    effective_from = fields.instant_field(
        _('Effective from'), help_text=_('YYYY-MM-DD HH:MM UTC; empty for '
                                         'now.'))
    effective_to = fields.instant_field(_('Effective until'))
    description = forms.CharField(label=_('Description'), required=False,
                                  widget=django_forms.Textarea(
                                      attrs={'rows': 3}))

    def clean_match(self):
        return fields.parse_match(self.cleaned_data.get('match'))

    def handle(self, request, data):
        body = {'name': data['name'], 'service': data['service'],
                'region': data['region'], 'match': data['match'],
                'unit': data['unit'],
                'on_demand_price': data['on_demand_price']}
        for key in ('monthly_price', 'yearly_price', 'description'):
            if data.get(key) not in (None, ''):
                body[key] = data[key]
        if data.get('currency'):
            body['currency'] = data['currency'].upper()
        for key in ('effective_from', 'effective_to'):
            if data.get(key):
                body[key] = fields.iso_instant(data[key])
        product = self.submit(request, _('The product was not created.'),
                              api.product_create, **body)
        if product is None:
            return False
        messages.success(request, _('Product "%(name)s" created (%(id)s).')
                         % {'name': product.name, 'id': product.id})
        return product


class EditProductForm(modal.BillingForm):
    """Edit a product: in place, or through a successor for new prices.

    Name and description change in place; new prices make a successor
    product that takes over at "effective from".
    """

    product_id = forms.CharField(widget=django_forms.HiddenInput)
    name = forms.CharField(label=_('Name'), max_length=255)
    description = forms.CharField(label=_('Description'), required=False,
                                  widget=django_forms.Textarea(
                                      attrs={'rows': 3}))
    on_demand_price = fields.money_field(_('Price per unit'),
                                         min_value=ZERO)
    monthly_price = fields.money_field(_('Monthly price'), required=False,
                                       min_value=ZERO)
    yearly_price = fields.money_field(_('Yearly price'), required=False,
                                      min_value=ZERO)
    effective_from = fields.instant_field(
        _('New prices from'),
        help_text=_('YYYY-MM-DD HH:MM UTC; empty for now. Only used when a '
                    'price changes.'))

    def handle(self, request, data):
        body = {}
        for key in ('name', 'description'):
            if (data.get(key) or '') != (self.initial.get(key) or ''):
                body[key] = data[key] or None
        prices = {key: data.get(key) for key in PRICES
                  if data.get(key) != self.initial.get(key)}
        if prices:
            body.update(prices)
            if data.get('effective_from'):
                body['effective_from'] = fields.iso_instant(
                    data['effective_from'])
        if not body:
            messages.info(request, _('Nothing was changed.'))
            return True
        product = self.submit(request, _('The product was not changed.'),
                              api.product_update, data['product_id'], **body)
        if product is None:
            return False
        if prices:
            messages.success(request, _(
                'New prices take effect %(when)s as product %(new)s; '
                'product %(old)s ends then.') % {
                    'when': display.format_instant(product.effective_from),
                    'new': product.id, 'old': data['product_id']})
        else:
            messages.success(request, _('Product %s changed.') % product.id)
        return product


class EndProductForm(modal.BillingForm):
    product_id = forms.CharField(widget=django_forms.HiddenInput)
    effective_to = fields.instant_field(
        _('Ends at'), help_text=_('YYYY-MM-DD HH:MM UTC; empty for now.'))

    def handle(self, request, data):
        end = data.get('effective_to') or display.utcnow()
        product = self.submit(request, _('The product was not ended.'),
                              api.product_update, data['product_id'],
                              effective_to=fields.iso_instant(end))
        if product is None:
            return False
        messages.success(request, _('Product %(id)s ends %(when)s.') % {
            'id': product.id,
            'when': display.format_instant(product.effective_to)})
        return product
