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
"""The orders table and its actions."""

from django import shortcuts
from django.template import defaultfilters
from django.utils.translation import gettext_lazy as _
from horizon import messages
from horizon import tables

from uos_billing.horizon import actions
from uos_billing.horizon import api
from uos_billing.horizon import api_errors
from uos_billing.horizon import columns
from uos_billing.horizon import labels


def _prepaid_and_active(order):
    return order.status == 'active' and order.mode in ('monthly', 'yearly')


class BuyTerm(actions.ModalAction):
    name = 'buy'
    verbose_name = _('Buy a term')
    url = 'horizon:project:billing_orders:buy'
    icon = 'plus'


class CancelOrder(actions.ModalAction):
    name = 'cancel'
    verbose_name = _('Cancel')
    url = 'horizon:project:billing_orders:cancel'
    classes = ('ajax-modal', 'btn-danger')
    allowed = actions.only_for(_prepaid_and_active)


class RenewOrder(actions.ModalAction):
    name = 'renew'
    verbose_name = _('Renew now')
    url = 'horizon:project:billing_orders:renew'
    allowed = actions.only_for(_prepaid_and_active)


class _SetAutoRenew(tables.Action):
    requires_input = True
    auto_renew = None
    done = None
    failed = None

    def allowed(self, request, order=None):
        return order is None or (_prepaid_and_active(order) and
                                 bool(order.auto_renew) != self.auto_renew)

    def single(self, table, request, order_id):
        try:
            api.order_set_auto_renew(request, order_id, self.auto_renew)
        except api_errors.BillingAPIError as error:
            api_errors.report(request, error, self.failed)
        else:
            messages.success(request, self.done % order_id)
        return shortcuts.redirect(request.get_full_path())


class TurnAutoRenewOn(_SetAutoRenew):
    name = 'auto_renew_on'
    verbose_name = _('Turn auto-renew on')
    auto_renew = True
    done = _('Order %s will renew automatically.')
    failed = _('Auto-renew was not turned on.')


class TurnAutoRenewOff(_SetAutoRenew):
    name = 'auto_renew_off'
    verbose_name = _('Turn auto-renew off')
    auto_renew = False
    done = _('Order %s will not renew automatically.')
    failed = _('Auto-renew was not turned off.')


class OrdersTable(tables.DataTable):
    id = tables.Column('id', verbose_name=_('Order'))
    resource = tables.Column('resource_name', verbose_name=_('Instance'))
    mode = tables.Column(columns.choice('mode', labels.MODES),
                         verbose_name=_('Mode'))
    status = tables.Column(columns.choice('status', labels.ORDER_STATUSES),
                           verbose_name=_('Status'))
    term_start = tables.Column(columns.instant('term_start'),
                               verbose_name=_('Term from'))
    term_end = tables.Column(columns.instant('term_end'),
                             verbose_name=_('Term to'))
    count = tables.Column('count', verbose_name=_('Terms'), empty_value='-')
    unit_price = tables.Column(columns.money('unit_price'),
                               verbose_name=_('Price per term'))
    auto_renew = tables.Column('auto_renew', verbose_name=_('Auto-renew'),
                               filters=(defaultfilters.yesno,
                                        defaultfilters.capfirst))
    renewals = tables.Column('renewals', verbose_name=_('Renewals'))

    class Meta(object):
        name = 'orders'
        verbose_name = _('Orders')
        table_actions = (BuyTerm,)
        row_actions = (CancelOrder, RenewOrder, TurnAutoRenewOn,
                       TurnAutoRenewOff)
