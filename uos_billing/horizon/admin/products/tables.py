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
"""The price book table and its actions."""

import sys

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from horizon import exceptions
from horizon import tables

from uos_billing.horizon import actions
from uos_billing.horizon import api
from uos_billing.horizon import api_errors
from uos_billing.horizon import columns
from uos_billing.horizon import display
from uos_billing.horizon import fields


def _in_effect(product):
    end = display.parse_instant(product.effective_to)
    return end is None or end > display.utcnow()


class CreateProduct(actions.ModalAction):
    name = 'create'
    verbose_name = _('Create product')
    url = 'horizon:admin:billing_products:create'
    icon = 'plus'


class EditProduct(actions.ModalAction):
    name = 'edit'
    verbose_name = _('Edit or change prices')
    url = 'horizon:admin:billing_products:edit'
    allowed = actions.only_for(_in_effect)


class EndProduct(actions.ModalAction):
    name = 'end'
    verbose_name = _('End')
    url = 'horizon:admin:billing_products:end'
    allowed = actions.only_for(_in_effect)


class DeleteProduct(tables.DeleteAction):
    help_text = _('A product that an order or a charge uses cannot be '
                  'deleted, only ended.')

    @staticmethod
    def action_present(count):
        return ngettext_lazy('Delete Product', 'Delete Products', count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy('Deleted Product', 'Deleted Products', count)

    def delete(self, request, obj_id):
        try:
            api.product_delete(request, obj_id)
        except api_errors.BillingAPIError as error:
            api_errors.report(request, error,
                              _('Product %s was not deleted.') % obj_id)
            raise exceptions.HandledException(sys.exc_info())


class ProductsTable(tables.DataTable):
    name = tables.Column('name', verbose_name=_('Name'))
    service = tables.Column('service', verbose_name=_('Service'))
    region = tables.Column('region', verbose_name=_('Region'))
    match = tables.Column(lambda p: fields.format_match(p.match),
                          verbose_name=_('Match'))
    unit = tables.Column('unit', verbose_name=_('Unit'))
    on_demand_price = tables.Column(columns.money('on_demand_price'),
                                    verbose_name=_('Price per unit'))
    monthly_price = tables.Column(columns.money('monthly_price'),
                                  verbose_name=_('Monthly'))
    yearly_price = tables.Column(columns.money('yearly_price'),
                                 verbose_name=_('Yearly'))
    effective_from = tables.Column(columns.instant('effective_from'),
                                   verbose_name=_('From'))
    effective_to = tables.Column(columns.instant('effective_to'),
                                 verbose_name=_('Until'))
    id = tables.Column('id', verbose_name=_('ID'))

    class Meta(object):
        name = 'products'
        verbose_name = _('Products')
        table_actions = (CreateProduct, DeleteProduct)
        row_actions = (EditProduct, EndProduct, DeleteProduct)
