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
"""The stack demo's report: billed next to expected, per project.

Billed seconds per VM and state come from CloudKitty's v2 summary (what
its storage holds, rated by the billing module); money from the billing
API (the ledger and the account), which is exact. A project passes when
every line's seconds are within a polling interval per state change of
the script's, its charges within the same allowance of the expected
amount, and its balance moved by exactly the sum of its new ledger
entries.
"""

import dataclasses
import datetime
import decimal
import typing

from uos_billing.core import money as core_money
from uos_billing.demo.stack import expected

D = decimal.Decimal


@dataclasses.dataclass
class Snapshot:
    balance: D
    entry_ids: frozenset


def account_snapshot(billing, project_id):
    """The account's balance and ledger entries (none yet: zero)."""
    try:
        account = billing.get('/accounts/%s' % project_id)
    except Exception:  # noqa: the account is opened by the first posting
        return Snapshot(D(0), frozenset())
    entries = billing.list('/accounts/%s/transactions' % project_id,
                           'transactions')
    return Snapshot(D(account['balance']),
                    frozenset(e['id'] for e in entries))


@dataclasses.dataclass
class ProjectFigures:
    name: str
    project_id: str
    orders: list
    lines: typing.List[expected.Line]
    entries: list
    before: Snapshot
    balance: D
    currency: str
    charged: D
    expected_charged: D
    allowance: D
    line_checks: list
    poll_interval: int

    @property
    def ledger_ok(self):
        return self.before.balance + sum(
            (D(e['amount']) for e in self.entries), D(0)) == self.balance

    @property
    def charges_ok(self):
        return abs(self.charged - self.expected_charged) <= self.allowance

    @property
    def ok(self):
        return self.ledger_ok and self.charges_ok and all(self.line_checks)


def billed_seconds(cloud, project_id, begin, end):
    """{(resource id, flavor, state): seconds} from CloudKitty's summary."""
    out = {}
    for row in cloud.summary(project_id, begin, end,
                             ['id', 'flavor_name', 'state']):
        hours = D(str(row['qty']))
        out[(row['id'], row['flavor_name'], row['state'])] = int(
            (hours * 3600).to_integral_value())
    return out


def project_figures(cloud, key, project, before, timeline, lines, specs,
                    prices, poll_interval, begin, end):
    billing = cloud.billing
    project_id = project['id']
    account = billing.get('/accounts/%s' % project_id)
    entries = [e for e in billing.list(
        '/accounts/%s/transactions' % project_id, 'transactions')
        if e['id'] not in before.entry_ids]
    ids = {timeline.ids[vm] for vm in timeline.ids
           if specs[vm].project == key}
    orders = [o for o in billing.list('/orders', 'orders', params={
        'project_id': project_id}) if o['resource_id'] in ids]
    billed = billed_seconds(cloud, project_id, begin, end)
    mine = [line for line in lines.values() if line.project == key]
    checks = []
    for line in mine:
        line.billed_seconds = billed.get((timeline.ids[line.vm],
                                          line.flavor, line.state), 0)
        checks.append(abs(line.billed_seconds - line.seconds)
                      <= poll_interval * line.edges)
    # The periods of the script's window (CloudKitty may be one ahead).
    charged = -sum((D(e['amount']) for e in entries
                    if e['kind'] in ('charge', 'adjustment')
                    and begin <= _instant(e['period_begin']) < end), D(0))
    return ProjectFigures(
        name=project['name'], project_id=project_id, orders=orders,
        lines=sorted(mine, key=lambda line: (line.vm, line.flavor,
                                             line.state)),
        entries=entries, before=before, balance=D(account['balance']),
        currency=account['currency'], charged=charged,
        expected_charged=sum((line.amount for line in mine), D(0)),
        allowance=sum((expected.tolerance(line, prices, poll_interval)
                       for line in mine), D(0)),
        line_checks=checks, poll_interval=poll_interval)


def _instant(text):
    return datetime.datetime.fromisoformat(text)


def money(text, currency):
    """An API amount for reading: at the currency's places.

    Every figure of a table then has the same places (-0.06 under -0.80,
    not -0.062); the checks compare the exact amounts.
    """
    if text in (None, ''):
        return ''
    return core_money.display(D(text), currency)


def _table(out, header, rows):
    widths = [max(len(str(c)) for c in column)
              for column in zip(header, *rows)]
    for row in [header] + rows:
        out.write('  ' + '  '.join(
            str(c).rjust(w) if i else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(row, widths))) + '\n')


def _daily(entries, currency):
    """(kind, day, entries, sum) rows; entries without a period: '-'."""
    days = {}
    for e in entries:
        day = e['period_begin'][:10] if e['period_begin'] else '-'
        count, total = days.get((e['kind'], day), (0, D(0)))
        days[(e['kind'], day)] = (count + 1, total + D(e['amount']))
    return [(kind, day, count, money(str(total), currency))
            for (kind, day), (count, total) in sorted(days.items())]


def print_project(out, figures, daily_ledger=False):
    currency = figures.currency

    def amount(value):
        return money(str(value), currency)

    out.write('\n== %s (%s), %s\n' % (figures.name, figures.project_id,
                                      figures.currency))
    if figures.orders:
        out.write('orders:\n')
        _table(out, ('resource', 'mode', 'status', 'term start',
                     'term end', 'closed', 'unit price'), [
            (o['resource_id'][:8], o['mode'], o['status'],
             o['term_start'] or '', o['term_end'] or '',
             o['closed_at'] or '', money(o['unit_price'], currency))
            for o in figures.orders])
    out.write('billed seconds per VM, flavor and state (CloudKitty '
              'summary) next to the script\'s:\n')
    _table(out, ('vm', 'flavor', 'state', 'expected s', 'billed s',
                 'allowed +/-', 'charged s', 'expected amount', 'check'), [
        (line.vm, line.flavor, line.state, line.seconds,
         line.billed_seconds,
         figures.poll_interval * line.edges,
         line.charged_seconds, amount(line.amount),
         'ok' if ok else 'OFF')
        for line, ok in zip(figures.lines, figures.line_checks)])
    if daily_ledger:
        out.write('ledger (this run), per kind and day of its period:\n')
        _table(out, ('kind', 'day', 'entries', 'amount'),
               _daily(figures.entries, currency))
    else:
        out.write('ledger (this run):\n')
        _table(out, ('kind', 'period begin', 'amount', 'balance after'), [
            (e['kind'], e['period_begin'] or '', amount(e['amount']),
             amount(e['balance_after'])) for e in figures.entries])
    out.write('charged %s, expected %s (allowance %s): %s\n' % (
        amount(figures.charged), amount(figures.expected_charged),
        amount(figures.allowance), 'ok' if figures.charges_ok else 'OFF'))
    out.write('balance %s -> %s, ledger adds up: %s\n' % (
        amount(figures.before.balance), amount(figures.balance),
        'ok' if figures.ledger_ok else 'NO'))
