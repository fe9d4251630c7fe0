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
"""The ledger and statement tables of the Balance panel."""

from urllib import parse

from django.utils.translation import gettext_lazy as _
from horizon import tables

from uos_billing.horizon import columns
from uos_billing.horizon import labels


class LedgerTable(tables.DataTable):
    id = tables.Column('id', verbose_name=_('Entry'))
    created_at = tables.Column(columns.instant('created_at'),
                               verbose_name=_('Date'))
    kind = tables.Column(columns.choice('kind', labels.TRANSACTION_KINDS),
                         verbose_name=_('Kind'))
    amount = tables.Column(columns.money('amount'), verbose_name=_('Amount'))
    balance_after = tables.Column(columns.money('balance_after'),
                                  verbose_name=_('Balance after'))
    period_begin = tables.Column(columns.instant('period_begin'),
                                 verbose_name=_('Period from'))
    period_end = tables.Column(columns.instant('period_end'),
                               verbose_name=_('Period to'))
    order_id = tables.Column('order_id', verbose_name=_('Order'),
                             empty_value='-')
    note = tables.Column('note', verbose_name=_('Note'), empty_value='')

    def __init__(self, request, data=None, needs_form_wrapper=None,
                 **kwargs):
        super().__init__(request, data, needs_form_wrapper, **kwargs)
        # The ledger filters, kept in the next page's link.
        self.filter_query = {}

    def get_object_id(self, datum):
        return str(datum.id)

    def get_pagination_string(self):
        query = dict(self.filter_query)
        query[self._meta.pagination_param] = self.get_object_id(
            self.data[-1]) if self.data else ''
        return parse.urlencode(query)

    class Meta(object):
        name = 'ledger'
        verbose_name = _('Ledger')
        pagination_param = 'marker'


class StatementTable(tables.DataTable):
    """The statement of a month, one line per figure."""

    item = tables.Column('item', verbose_name=_('Item'))
    amount = tables.Column(columns.money('amount'), verbose_name=_('Amount'))

    def get_object_id(self, datum):
        return datum['key']

    class Meta(object):
        name = 'statement'
        verbose_name = _('Statement')
