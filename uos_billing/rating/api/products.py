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
"""/products: the price book (SPEC section 5)."""

import pecan
from pecan import rest
import webob

from uos_billing.rating.api import base
from uos_billing.rating.api import schemas
from uos_billing.rating.api import views
from uos_billing.rating.db import api as db_api
from uos_billing.rating import products


class ProductsController(rest.RestController):

    @staticmethod
    def _service():
        return products.ProductService(db_api.get_instance())

    @pecan.expose('json')
    @base.handled
    def get_all(self, **params):
        base.authorize('product:get_all')
        limit, marker = base.paging(params)
        query = base.validate(schemas.PRODUCT_QUERY, params)
        rows = db_api.get_instance().list_products(limit, marker, **query)
        return base.page('products', [views.product(r) for r in rows],
                         limit, 'id', params)

    @pecan.expose('json')
    @base.handled
    def get_one(self, product_id):
        base.authorize('product:get')
        return views.product(db_api.get_instance().get_product_row(
            product_id))

    @pecan.expose('json')
    @base.handled
    def post(self):
        base.authorize('product:create')
        fields = base.validate(schemas.PRODUCT_CREATE, base.body())
        row = self._service().create(fields,
                                     created_by=base.context().user_id)
        pecan.response.status = 201
        return views.product(row)

    @pecan.expose('json')
    @base.handled
    def put(self, product_id):
        base.authorize('product:update')
        fields = base.validate(schemas.PRODUCT_UPDATE, base.body())
        row = self._service().update(product_id, fields,
                                     created_by=base.context().user_id)
        return views.product(row)

    @pecan.expose('json')
    @base.handled
    def delete(self, product_id):
        base.authorize('product:delete')
        self._service().delete(product_id)
        # A 204 carries no body (not even JSON's null).
        return webob.Response(status=204)
