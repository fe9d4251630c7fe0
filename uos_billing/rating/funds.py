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
"""Funds a project's live holds set aside: not available to pay with."""

import sqlalchemy as sa

from uos_billing.core import clock
from uos_billing.core import holds as core_holds
from uos_billing.rating.db.sqlalchemy import models


def held_funds(book, at, exclude=None):
    """What the project's live funds holds set aside at instant at.

    Read in the project's transaction, under its account lock: a hold or
    a purchase that commits after it sees this one. exclude is a hold
    that does not count (the one being confirmed).
    """
    return held(book.session, book.project_id, at, exclude)


def held(session, project_id, at, exclude=None):
    hold = models.Hold
    query = sa.select(hold.status, hold.expires_at, hold.amount).where(
        hold.project_id == project_id, hold.status == core_holds.HELD,
        hold.expires_at > clock.naive_utc(at))
    if exclude is not None:
        query = query.where(hold.id != exclude)
    return core_holds.held_total(
        [(status, clock.instant(expires_at), amount)
         for status, expires_at, amount in session.execute(query)], at)
