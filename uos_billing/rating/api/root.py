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
"""The billing module's API root: CloudKitty mounts it as the `billing`
module's config controller, at /v1/rating/module_config/billing.

It does not derive from CloudKitty's RatingRestControllerBase, whose
routing makes every route admin-only: each handler checks its own
billing:<resource>:<action> policy, so that project members reach theirs.
"""

import pecan
from pecan import rest

from uos_billing.rating.api import accounts
from uos_billing.rating.api import base
from uos_billing.rating.api import holds
from uos_billing.rating.api import orders
from uos_billing.rating.api import products
from uos_billing.rating.api import quote


class BillingController(rest.RestController):

    products = products.ProductsController()
    accounts = accounts.AccountsController()
    orders = orders.OrdersController()
    holds = holds.HoldsController()
    # Not "quote": CloudKitty's RatingController routes every POST whose
    # last path segment is "quote" to its own quote action (a pecan custom
    # action), whatever the path before it.
    quotes = quote.QuoteController()

    @pecan.expose()
    def _route(self, args, request=None):
        request = request or pecan.request
        try:
            request.body.decode('utf-8')
        except UnicodeDecodeError:
            # Pecan decodes a JSON body to look for arguments and answers
            # an HTML 400 when it cannot: let the handler refuse it in JSON.
            request.environ[base.NOT_UTF8] = True
            request.body = b''
        return super()._route(args, request)
