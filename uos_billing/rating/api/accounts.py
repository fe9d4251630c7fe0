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
"""/accounts: balances, recharges, ledgers and statements (SPEC 5)."""

import uuid

import pecan
from pecan import rest

from uos_billing.core import errors
from uos_billing.rating import accounts
from uos_billing.rating.api import base
from uos_billing.rating.api import schemas
from uos_billing.rating.api import views
from uos_billing.rating.db import api as db_api
from uos_billing.rating import projects
from uos_billing.rating import service


class AccountsController(rest.RestController):

    _custom_actions = {'recharge': ['POST'], 'statement': ['GET'],
                       'transactions': ['GET']}

    @pecan.expose('json')
    @base.handled
    def get_all(self, **params):
        base.authorize('account:get_all')
        limit, marker = base.paging(params)
        query = base.validate(schemas.ACCOUNT_QUERY, params)
        # A project member lists its own account only.
        own = None if base.is_admin() else base.context().project_id
        rows = db_api.get_instance().list_accounts(
            limit, marker, project_id=own, **query)
        return base.page('accounts', [views.account(r) for r in rows],
                         limit, 'project_id', params)

    @pecan.expose('json')
    @base.handled
    def get_one(self, project_id):
        base.authorize('account:get', project_id)
        summary = accounts.AccountService(db_api.get_instance()).summary(
            project_id)
        return views.account(summary, burn_rate=summary['burn_rate'],
                             days_until_owed=summary['days_until_owed'])

    @pecan.expose('json')
    @base.handled
    def put(self, project_id):
        base.authorize('account:update', project_id)
        fields = base.validate(schemas.ACCOUNT_UPDATE, base.body())
        project_id = projects.resolve(project_id)
        row = accounts.AccountService(db_api.get_instance()).update(
            project_id, fields)
        return views.account(row)

    @pecan.expose('json')
    @base.handled
    def post_recharge(self, project_id):
        base.authorize('account:recharge', project_id)
        fields = base.validate(schemas.RECHARGE, base.body())
        project_id = projects.resolve(project_id)
        billing = service.BillingService(db_api.get_instance())
        entry = billing.recharge(
            project_id, fields['amount'], note=fields.get('note'),
            idempotency_key=fields.get('idempotency_key'),
            created_by=base.context().user_id)
        # A replay of the same request answers the first entry, 200.
        pecan.response.status = 200 if entry['replayed'] else 201
        return views.transaction(entry)

    @pecan.expose('json')
    @base.handled
    def get_transactions(self, project_id, **params):
        base.authorize('transaction:get_all', project_id)
        limit, marker = base.paging(params)
        # An unknown account is a 404 here too, as on GET /accounts/{id}.
        db_api.get_instance().get_account(project_id)
        query = base.validate(schemas.TRANSACTION_QUERY, params)
        if marker is not None:
            marker = _entry_id(marker)
        rows = db_api.get_instance().list_transactions(
            project_id, limit, marker, **query)
        return base.page('transactions',
                         [views.transaction(r) for r in rows], limit, 'id',
                         params)

    @pecan.expose('json')
    @base.handled
    def get_statement(self, project_id, **params):
        base.authorize('account:statement', project_id)
        query = base.validate(schemas.STATEMENT_QUERY,
                              base.single_values(params))
        result = accounts.AccountService(db_api.get_instance()).statement(
            project_id, query['month'])
        return views.value(result)


def _entry_id(marker):
    """A transaction id, the uuid of a ledger entry, in its usual form."""
    try:
        return str(uuid.UUID(marker))
    except ValueError:
        raise errors.InvalidInput('marker', 'a transaction id is a uuid, '
                                            'got %r' % marker)
