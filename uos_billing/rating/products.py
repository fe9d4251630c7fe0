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
"""The price book operations of the API (SPEC sections 3 and 5)."""

from oslo_config import cfg
from oslo_utils import timeutils
from oslo_utils import uuidutils

from uos_billing.core import catalog
from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.rating.db import api as db_api
from uos_billing.rating.db.sqlalchemy import catalog as sql_catalog

CONF = cfg.CONF
EDIT_FIELDS = ('name', 'description', 'effective_to')


def _now(now):
    return clock.instant(now or timeutils.utcnow(with_timezone=True))


class ProductService(object):

    def __init__(self, dbapi=None):
        self.db = dbapi or db_api.get_instance()

    def create(self, fields, created_by=None, now=None):
        """Add a product; its row as a dict."""
        now = _now(now)
        product = catalog.new_product(uuidutils.generate_uuid(), fields,
                                      CONF.billing.default_currency, now)
        self.db.create_product(product, created_by=created_by,
                               description=fields.get('description'),
                               now=now)
        return self.db.get_product_row(product.id)

    def update(self, product_id, fields, created_by=None, now=None):
        """Edit a product in place, or change its prices from an instant.

        Prices never change in place (SPEC 3): new prices end the product
        at effective_from (default now) and start its successor there,
        which is returned.
        """
        now = _now(now)
        prices = {k: fields[k] for k in catalog.PRICE_FIELDS if k in fields}
        edits = {k: fields[k] for k in EDIT_FIELDS if k in fields}
        if 'effective_from' in fields and not prices:
            raise errors.InvalidInput(
                'effective_from', 'is set at creation; it can only come '
                'with new prices (a price change)')
        if prices and 'effective_to' in edits:
            raise errors.InvalidInput(
                'effective_to', 'cannot be changed together with prices')
        if prices:
            at = fields.get('effective_from') or now
            successor = self.db.change_prices(
                product_id, prices, at, uuidutils.generate_uuid(), now,
                created_by)
            if edits:
                successor = self._edit(successor['id'], edits, now)
            return successor
        return self._edit(product_id, edits, now)

    def _edit(self, product_id, edits, now):
        return self.db.edit_product(
            product_id, now, name=edits.get('name'),
            description=edits.get('description', sql_catalog.UNSET),
            effective_to=edits.get('effective_to', sql_catalog.UNSET))

    def delete(self, product_id):
        self.db.delete_product(product_id)
