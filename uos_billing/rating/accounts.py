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
"""Account operations of the API: settings, summary and statements."""

import dataclasses
import datetime

from oslo_utils import timeutils

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import ledger
from uos_billing.core import money
from uos_billing.core import statement as core_statement
from uos_billing.rating.db import api as db_api
from uos_billing.rating.db.sqlalchemy import api as sql_api
from uos_billing.rating import service


def _now(now):
    return clock.instant(now or timeutils.utcnow(with_timezone=True))


def _limit(value, field, allow_none=False):
    if value is None and allow_none:
        return None
    return money.parse(value, field, allow_negative=field != 'credit_limit')


class AccountService(object):

    def __init__(self, dbapi=None):
        self.db = dbapi or db_api.get_instance()

    def summary(self, project_id, now=None):
        """The account with its burn rate and the days until it is owed."""
        now = _now(now)
        account = self.db.get_account(project_id)
        since = now - datetime.timedelta(days=core_statement.BURN_RATE_DAYS)
        rate = core_statement.burn_rate(
            self.db.charged_since(project_id, since))
        available = account['balance'] + account['credit_limit']
        return dict(account, burn_rate=rate,
                    days_until_owed=core_statement.days_until_owed(
                        available, rate))

    @service.operation
    def update(self, project_id, fields, now=None):
        """Set credit limit, thresholds, currency or frozen (SPEC 5).

        The currency may change only while the ledger is empty; the status
        follows the new limits at once (owed, restored).
        """
        now = _now(now)
        currency = fields.get('currency')
        if currency is not None:
            money.check_currency(currency)
        with self.db.project_transaction(project_id, now,
                                         currency=currency) as book:
            account = book.account
            if currency is not None and currency != account.currency:
                if self.db.has_ledger(book.session, project_id):
                    raise errors.Conflict(
                        'the currency of project %s cannot change: its '
                        'ledger has entries' % project_id)
                account.currency = currency
                # The limits kept must fit the new currency's places too.
                for field in ('credit_limit', 'low_balance_threshold'):
                    kept = getattr(account, field)
                    if field not in fields and kept is not None:
                        money.check_places(kept, currency, field)
            if 'credit_limit' in fields:
                limit = _limit(fields['credit_limit'], 'credit_limit')
                account.credit_limit = money.check_places(
                    limit, account.currency, 'credit_limit')
            if 'low_balance_threshold' in fields:
                threshold = _limit(fields['low_balance_threshold'],
                                   'low_balance_threshold', allow_none=True)
                account.low_balance_threshold = (
                    threshold if threshold is None else money.check_places(
                        threshold, account.currency,
                        'low_balance_threshold'))
            state = book.state
            frozen = fields.get('frozen')
            if frozen is not None and not isinstance(frozen, bool):
                raise errors.InvalidInput('frozen', 'must be true or false')
            if frozen is True:
                state, events = dataclasses.replace(
                    state, status=ledger.FROZEN), []
            elif fields.get('frozen') is False and \
                    state.status == ledger.FROZEN:
                state, events = ledger.unfreeze(state, now)
            else:
                state, events = ledger.evaluate(state, now)
            book.set_state(state, events)
            book.session.flush()
            result = sql_api.row_dict(account)
        return result, book.events

    def statement(self, project_id, month):
        window = core_statement.month_window(month)
        currency, opening, entries, lines = self.db.statement_data(
            project_id, window)
        result = core_statement.statement(
            currency, opening if opening is not None else money.ZERO,
            entries, lines)
        return dict(result.__dict__, project_id=project_id, month=month)
