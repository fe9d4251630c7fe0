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
"""/orders: prepaid terms bought, cancelled and renewed (SPEC 4 and 5).

GET /orders/{id}/renewal quotes what POST /orders/{id}/renew charges,
through the same BillingService rule, and writes nothing. Every write
takes an optional idempotency_key: the same request sent again answers
its first result; a renewal also names the term_end it renews.
"""

import pecan
from pecan import rest

from uos_billing.rating.api import base
from uos_billing.rating.api import schemas
from uos_billing.rating.api import views
from uos_billing.rating.db import api as db_api
from uos_billing.rating import projects
from uos_billing.rating import service


def _billing():
    return service.BillingService(db_api.get_instance())


def _owned_order(order_id, action):
    return base.owned('order', order_id,
                      db_api.get_instance().get_order_row(order_id), action)


class OrdersController(rest.RestController):

    _custom_actions = {'cancel': ['POST'], 'renew': ['POST'],
                       'renewal': ['GET']}

    @pecan.expose('json')
    @base.handled
    def get_all(self, **params):
        base.authorize('order:get_all')
        limit, marker = base.paging(params)
        query = base.validate(schemas.ORDER_QUERY, params)
        if not base.is_admin():
            own = base.context().project_id
            if query.get('project_id', own) != own:
                raise base.Refused(403, 'you may list the orders of your '
                                        'own project only')
            query['project_id'] = own
        rows = db_api.get_instance().list_orders_page(
            limit, marker, **query)
        return base.page('orders', [views.order(r) for r in rows], limit,
                         'id', params)

    @pecan.expose('json')
    @base.handled
    def get_one(self, order_id):
        return views.order(_owned_order(order_id, 'order:get'))

    @pecan.expose('json')
    @base.handled
    def post(self):
        fields = base.validate(schemas.ORDER_CREATE, base.body())
        project_id = base.target_project(fields)
        base.authorize('order:create', project_id)
        project_id = projects.resolve(project_id)
        order = _billing().buy(project_id, created_by=base.context().user_id,
                               **fields)
        # A replay of the same request answers the first order, 200.
        pecan.response.status = 200 if order['replayed'] else 201
        return views.order(order)

    @pecan.expose('json')
    @base.handled
    def put(self, order_id):
        fields = base.validate(schemas.ORDER_UPDATE, base.body())
        order = _owned_order(order_id, 'order:update')
        return views.order(_billing().set_auto_renew(
            order['project_id'], order_id, fields['auto_renew'],
            idempotency_key=fields.get('idempotency_key'),
            created_by=base.context().user_id))

    @pecan.expose('json')
    @base.handled
    def post_cancel(self, order_id):
        # Another project's order is not found, whatever the body.
        order = _owned_order(order_id, 'order:cancel')
        fields = base.validate(schemas.ORDER_CANCEL, base.body())
        result = _billing().cancel(
            order['project_id'], order_id,
            idempotency_key=fields.get('idempotency_key'),
            created_by=base.context().user_id)
        return views.order(result, refund=result['refund'])

    @pecan.expose('json')
    @base.handled
    def post_renew(self, order_id):
        order = _owned_order(order_id, 'order:renew')
        fields = base.validate(schemas.ORDER_RENEW, base.body())
        return views.order(_billing().renew(
            order['project_id'], order_id, fields['term_end'],
            idempotency_key=fields.get('idempotency_key'),
            created_by=base.context().user_id))

    @pecan.expose('json')
    @base.handled
    def get_renewal(self, order_id):
        """What POST /orders/{id}/renew would charge now; writes nothing."""
        order = _owned_order(order_id, 'order:renewal')
        return views.renewal(_billing().renewal_quote(order['project_id'],
                                                      order_id))
