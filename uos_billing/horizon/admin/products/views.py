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
"""Views of the Products panel."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from uos_billing.horizon.admin.products import forms
from uos_billing.horizon.admin.products import tables
from uos_billing.horizon import api
from uos_billing.horizon import listing
from uos_billing.horizon import modal

INDEX_URL = 'horizon:admin:billing_products:index'


class IndexView(listing.PagedTableView):
    table_class = tables.ProductsTable
    template_name = 'uos_billing/products/index.html'
    page_title = _('Products')
    not_listed = _('The price book could not be listed.')

    def read_page(self, marker):
        return api.product_list(self.request, marker=marker)


class CreateProductView(modal.ModalFormView):
    form_class = forms.CreateProductForm
    template_name = 'uos_billing/products/create.html'
    modal_id = 'create_product_modal'
    form_id = 'create_product_form'
    modal_header = _('Create a product')
    submit_label = _('Create')
    submit_url = reverse_lazy('horizon:admin:billing_products:create')
    success_url = reverse_lazy(INDEX_URL)


class _ProductView(modal.ObjectFormView):
    index_url = INDEX_URL
    url_kwarg = 'product_id'
    not_shown = _('The product could not be shown.')
    context_object_name = 'product'

    def fetch(self, product_id):
        return api.product_get(self.request, product_id)

    def get_initial(self):
        return {'product_id': self.get_object().id}


class EditProductView(_ProductView):
    form_class = forms.EditProductForm
    template_name = 'uos_billing/products/edit.html'
    modal_id = 'edit_product_modal'
    form_id = 'edit_product_form'
    modal_header = _('Edit a product')
    submit_label = _('Save')
    submit_url_name = 'horizon:admin:billing_products:edit'

    def get_initial(self):
        initial = super().get_initial()
        product = self.get_object()
        for key in ('name', 'description', 'on_demand_price',
                    'monthly_price', 'yearly_price'):
            initial[key] = product.get(key)
        return initial


class EndProductView(_ProductView):
    form_class = forms.EndProductForm
    template_name = 'uos_billing/products/end.html'
    modal_id = 'end_product_modal'
    form_id = 'end_product_form'
    modal_header = _('End a product')
    submit_label = _('End')
    submit_url_name = 'horizon:admin:billing_products:end'
