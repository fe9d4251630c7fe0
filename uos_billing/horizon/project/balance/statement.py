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
"""A monthly statement as lines for the table and for the CSV file."""

import csv
import io

from django.utils.translation import gettext as _


def lines(statement):
    """[{key, item, amount, currency}] in the statement's reading order."""
    currency = statement.currency

    def line(key, item, amount):
        return {'key': key, 'item': item, 'amount': amount,
                'currency': currency}

    rows = [line('opening_balance', _('Opening balance'),
                 statement.opening_balance),
            line('recharges', _('Recharges'), statement.recharges)]
    for service, amount in sorted((statement.charges or {}).items()):
        rows.append(line('charges:%s' % service,
                         _('Charges: %s') % service, amount))
    rows += [
        line('charges_total', _('Charges in all'), statement.charges_total),
        line('order_payments', _('Prepaid term payments'),
             statement.order_payments),
        line('refunds', _('Refunds'), statement.refunds),
        line('adjustments', _('Adjustments'), statement.adjustments),
        line('closing_balance', _('Closing balance'),
             statement.closing_balance),
    ]
    return rows


def csv_text(statement):
    """The statement as CSV: item key, label, exact amount, currency."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\r\n')
    writer.writerow(['project_id', 'month', 'item', 'label', 'amount',
                     'currency'])
    for row in lines(statement):
        writer.writerow([statement.project_id, statement.month, row['key'],
                         str(row['item']), str(row['amount']),
                         row['currency']])
    return out.getvalue()
