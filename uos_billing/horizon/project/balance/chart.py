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
"""The chart of daily charges: an inline SVG drawn on the server.

No JavaScript library and no CDN: the bars are computed from the ledger's
charge entries (Decimal sums per UTC day) and written as SVG markup that
the page embeds; each bar has a tooltip with the day's exact amount.
"""

import datetime
import decimal

from django.utils import html
from django.utils import safestring
from django.utils.translation import gettext as _

from uos_billing.horizon import display

DAYS = 30
WIDTH = 600
HEIGHT = 120
AXIS = 14
BAR_GAP = 2


def daily_charges(transactions, today, days=DAYS):
    """[(date, Decimal charged that day)] for the days up to today.

    A charge counts on the day its rated period began (its creation day
    when it has none); charges are negative ledger amounts, shown as
    positive spending.
    """
    first = today - datetime.timedelta(days=days - 1)
    totals = {first + datetime.timedelta(days=i): decimal.Decimal(0)
              for i in range(days)}
    for entry in transactions:
        when = display.parse_instant(entry.get('period_begin') or
                                     entry.get('created_at'))
        if when is None:
            continue
        day = when.astimezone(datetime.timezone.utc).date()
        if day in totals:
            totals[day] -= entry.amount
    return sorted(totals.items())


def svg(days, currency):
    """The SVG markup (safe) of the bars of days."""
    peak = max([amount for _day, amount in days] + [decimal.Decimal(0)])
    count = max(len(days), 1)
    bar_width = decimal.Decimal(WIDTH) / count
    plot = HEIGHT - AXIS
    parts = []
    for index, (day, amount) in enumerate(days):
        height = decimal.Decimal(0)
        if peak > 0 and amount > 0:
            height = (amount / peak * plot).quantize(decimal.Decimal('0.1'))
        x = (bar_width * index).quantize(decimal.Decimal('0.1'))
        parts.append(html.format_html(
            '<rect class="billing-chart-bar" x="{}" y="{}" width="{}" '
            'height="{}"><title>{}: {}</title></rect>',
            x, plot - height,
            (bar_width - BAR_GAP).quantize(decimal.Decimal('0.1')), height,
            day.isoformat(), display.format_money(amount, currency)))
    if days:
        for day, anchor, x in ((days[0][0], 'start', 0),
                               (days[-1][0], 'end', WIDTH)):
            parts.append(html.format_html(
                '<text x="{}" y="{}" text-anchor="{}" font-size="11">{}'
                '</text>', x, HEIGHT - 2, anchor, day.isoformat()))
    title = _('Charges per day over the last %(days)d days, highest '
              '%(peak)s') % {'days': len(days),
                             'peak': display.format_money(peak, currency)}
    return html.format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="billing-chart" '
        'role="img" viewBox="0 0 {} {}" width="100%" height="{}" '
        'preserveAspectRatio="none"><title>{}</title>{}</svg>',
        WIDTH, HEIGHT, HEIGHT, title, safestring.mark_safe(''.join(parts)))
