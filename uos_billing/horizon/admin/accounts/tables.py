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
"""The accounts table: every project with its balance and status."""

import sys

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from horizon import exceptions
from horizon import tables

from uos_billing.horizon import actions
from uos_billing.horizon import api
from uos_billing.horizon import api_errors
from uos_billing.horizon import columns
from uos_billing.horizon import labels


def _frozen(account):
    return account.status == 'frozen'


class Recharge(actions.ModalAction):
    name = 'recharge'
    verbose_name = _('Recharge')
    url = 'horizon:admin:billing_accounts:recharge'
    icon = 'plus'


class SetCreditLimit(actions.ModalAction):
    name = 'credit_limit'
    verbose_name = _('Set credit limit')
    url = 'horizon:admin:billing_accounts:credit_limit'


class _SetFrozen(tables.BatchAction):
    frozen = None

    def action(self, request, project_id):
        try:
            api.account_update(request, project_id, frozen=self.frozen)
        except api_errors.BillingAPIError as error:
            api_errors.report(request, error, self.failed % project_id)
            raise exceptions.HandledException(sys.exc_info())


class Freeze(_SetFrozen):
    name = 'freeze'
    frozen = True
    failed = _('Project %s was not frozen.')
    classes = ('btn-danger',)
    help_text = _('A frozen account cannot buy terms or start new '
                  'resources.')

    @staticmethod
    def action_present(count):
        return ngettext_lazy('Freeze Account', 'Freeze Accounts', count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy('Froze Account', 'Froze Accounts', count)

    allowed = actions.only_for(lambda account: not _frozen(account))


class Unfreeze(_SetFrozen):
    name = 'unfreeze'
    frozen = False
    failed = _('Project %s was not unfrozen.')

    @staticmethod
    def action_present(count):
        return ngettext_lazy('Unfreeze Account', 'Unfreeze Accounts', count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy('Unfroze Account', 'Unfroze Accounts', count)

    allowed = actions.only_for(_frozen)


class AccountsTable(tables.DataTable):
    project_name = tables.Column('project_name', verbose_name=_('Project'))
    balance = tables.Column(columns.money('balance'),
                            verbose_name=_('Balance'))
    credit_limit = tables.Column(columns.money('credit_limit'),
                                 verbose_name=_('Credit limit'))
    status = tables.Column(columns.choice('status', labels.ACCOUNT_STATUSES),
                           verbose_name=_('Status'))
    currency = tables.Column('currency', verbose_name=_('Currency'),
                             empty_value='-')
    owed_since = tables.Column(columns.instant('owed_since'),
                               verbose_name=_('Owed since'))
    project_id = tables.Column('project_id', verbose_name=_('Project ID'))

    def get_object_id(self, datum):
        return datum.project_id

    def get_object_display(self, datum):
        return datum.project_name

    class Meta(object):
        name = 'accounts'
        verbose_name = _('Accounts')
        table_actions = (Freeze, Unfreeze)
        row_actions = (Recharge, SetCreditLimit, Freeze, Unfreeze)
