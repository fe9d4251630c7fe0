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
"""/quote: what usage or a prepaid term would cost; writes nothing."""

import pecan
from pecan import rest

from uos_billing.rating.api import base
from uos_billing.rating.api import schemas
from uos_billing.rating.api import views
from uos_billing.rating.db import api as db_api
from uos_billing.rating import quotes


class QuoteController(rest.RestController):

    @pecan.expose('json')
    @base.handled
    def post(self):
        base.authorize('quote')
        fields = base.validate(schemas.QUOTE, base.body())
        return views.value(quotes.quote(
            fields['items'], fields.get('currency'),
            db_api.get_instance()))
