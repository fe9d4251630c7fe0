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
from uos_billing.rating.api import guard
from uos_billing.rating.api import holds
from uos_billing.rating.api import orders
from uos_billing.rating.api import products
from uos_billing.rating.api import quote

# Set by the routing on a request refused before any handler runs.
REFUSAL = 'uos_billing.refusal'


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
        # Every answer under this path is JSON, whatever Accept asks for
        # (pecan would answer 406 in HTML otherwise).
        request.pecan['content_type'] = guard.JSON
        try:
            guard.check(_ROUTES, args, request)
        except Exception as exc:
            request.environ[REFUSAL] = exc
            # Pecan decodes the query and a JSON body to look for
            # arguments, even for this handler: it must not see the
            # refused ones.
            request.environ['QUERY_STRING'] = ''
            request.body = b''
            return self._refused, []
        return super()._route(args, request)

    @pecan.expose('json')
    @base.handled
    def _refused(self, *args, **kwargs):
        exc = pecan.request.environ[REFUSAL]
        if getattr(exc, 'extra', {}).get('allow'):
            pecan.response.allow = exc.extra.pop('allow')
        raise exc


_ROUTES = guard.route_table(BillingController)
