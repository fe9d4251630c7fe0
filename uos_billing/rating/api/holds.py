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
"""/holds: funds held for a prepaid term until its resource exists.

The admission filter's routes (etc/api-paste/README.rst): it holds a
term's price before Nova creates the server, then confirms the hold into
the server's order or releases it.
"""

import pecan
from pecan import rest

from uos_billing.rating.api import base
from uos_billing.rating.api import schemas
from uos_billing.rating.api import views
from uos_billing.rating import holds
from uos_billing.rating import projects

HOLD = ('id', 'project_id', 'service', 'product_id', 'mode', 'count',
        'amount', 'currency', 'auto_renew', 'status', 'expires_at',
        'resource_id', 'order_id', 'created_at', 'created_by', 'updated_at')


def hold_view(row):
    return views.shaped(row, HOLD)


def _owned_hold(hold_id, action):
    return base.owned('hold', hold_id, holds.get_hold(hold_id), action)


class HoldsController(rest.RestController):

    _custom_actions = {'confirm': ['POST'], 'release': ['POST']}

    @pecan.expose('json')
    @base.handled
    def post(self):
        fields = base.validate(schemas.HOLD_CREATE, base.body())
        project_id = base.target_project(fields)
        base.authorize('hold:create', project_id)
        project_id = projects.resolve(project_id)
        hold = holds.HoldService().hold(
            project_id, fields.pop('service'),
            created_by=base.context().user_id, **fields)
        pecan.response.status = 201
        return hold_view(hold)

    @pecan.expose('json')
    @base.handled
    def post_confirm(self, hold_id):
        fields = base.validate(schemas.HOLD_CONFIRM, base.body())
        _owned_hold(hold_id, 'hold:confirm')
        order, replayed = holds.HoldService().confirm(
            hold_id, fields['resource_id'],
            created_by=base.context().user_id)
        pecan.response.status = 200 if replayed else 201
        return views.order(order)

    @pecan.expose('json')
    @base.handled
    def post_release(self, hold_id):
        base.no_body()
        _owned_hold(hold_id, 'hold:release')
        return hold_view(holds.HoldService().release(hold_id))
