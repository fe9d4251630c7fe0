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
"""Product writes of the API: edits, price changes and deletion.

Every product write locks the price book row first (serialising admins on
every backend) and moves its revision, which tells rating processes to
reload their cached price book.
"""

import json

from cloudkitty import db
import sqlalchemy as sa

from uos_billing.core import catalog
from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import pricebook
from uos_billing.rating.db.sqlalchemy import listing
from uos_billing.rating.db.sqlalchemy import models
from uos_billing.rating.db.sqlalchemy import retry

UNSET = object()


def _naive(dt):
    return None if dt is None else clock.naive_utc(dt)


class Catalog(object):
    """Product writes, mixed into BillingDB."""

    def _locked_product(self, session, product_id):
        self._lock_price_book(session)
        row = session.execute(sa.select(models.Product).where(
            models.Product.id == product_id).with_for_update()
        ).scalar_one_or_none()
        if row is None:
            raise errors.NotFound('product', product_id)
        return row

    @retry.transaction()
    def edit_product(self, product_id, now, name=None, description=UNSET,
                     effective_to=UNSET):
        """Rename, describe or (re)set the end of a product in place.

        A used product may not end in the past: that would re-price
        usage already billed.
        """
        now = clock.instant(now)
        with db.session_for_write() as session:
            row = self._locked_product(session, product_id)
            if name is not None:
                row.name = catalog.check_text(name, 'name')
            if description is not UNSET:
                row.description = description
            if effective_to is not UNSET:
                end = None if effective_to is None else clock.instant(
                    effective_to)
                begin = clock.instant(row.effective_from)
                if end is not None and end <= begin:
                    raise errors.InvalidInput(
                        'effective_to', 'must be after effective_from (%s)'
                        % begin.isoformat())
                if (end is not None and end < now
                        and self.product_in_use(session, product_id)):
                    raise errors.InvalidInput(
                        'effective_to', 'product %s is used by orders or '
                        'charges: it can end now or later, not at %s' % (
                            product_id, end.isoformat()))
                row.effective_to = _naive(end)
                self._check_overlap(session, self.product_of(row))
            row.updated_at = _naive(now)
            session.flush()
            return listing.row_dict(row)

    @retry.transaction()
    def change_prices(self, product_id, prices, at, successor_id, now,
                      created_by=None):
        """End a product at at and insert its successor with new prices."""
        at, now = clock.instant(at), clock.instant(now)
        with db.session_for_write() as session:
            row = self._locked_product(session, product_id)
            ended, successor = catalog.price_change(
                self.product_of(row), successor_id, prices, at)
            row.effective_to = _naive(ended.effective_to)
            row.updated_at = _naive(now)
            session.flush()
            self._check_overlap(session, successor)
            new_row = self._insert_product(session, successor,
                                           row.description, created_by, now)
            session.flush()
            return listing.row_dict(new_row)

    @retry.transaction()
    def delete_product(self, product_id):
        """Delete a product nothing refers to (Conflict otherwise)."""
        with db.session_for_write() as session:
            row = self._locked_product(session, product_id)
            if self.product_in_use(session, product_id):
                raise errors.Conflict(
                    'product %s is used by orders or charges: end it '
                    '(effective_to) instead of deleting it' % product_id)
            session.delete(row)

    def _check_overlap(self, session, product):
        same_service = [self.product_of(row) for row in session.execute(
            sa.select(models.Product).where(
                models.Product.service == product.service)).scalars()]
        conflict = pricebook.find_conflict(product, same_service)
        if conflict is not None:
            raise errors.Conflict(
                'product overlaps product %s (service %s, region %s, match '
                '%s, equally specific, in effect at the same time)' % (
                    conflict.id, conflict.service, conflict.region,
                    json.dumps(conflict.match_dict, sort_keys=True)))

    @staticmethod
    def _insert_product(session, product, description, created_by, now):
        row = models.Product(
            id=product.id, name=product.name, service=product.service,
            region=product.region,
            match=json.dumps(product.match_dict, sort_keys=True),
            unit=product.unit, on_demand_price=product.on_demand_price,
            monthly_price=product.monthly_price,
            yearly_price=product.yearly_price, currency=product.currency,
            effective_from=_naive(product.effective_from),
            effective_to=_naive(product.effective_to),
            description=description, created_at=_naive(now),
            created_by=created_by, updated_at=_naive(now))
        session.add(row)
        return row
