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
"""What the demo month left in the database, per project, and its checks.

Figures are read back through the billing DB API (account, charge rows,
orders, ledger) and CloudKitty's v1 storage (the rated frames' total).
Checks: the account balance equals the sum of the ledger and the last
balance_after; CloudKitty's stored total equals the billing charges (v1
storage keeps prices as floats, hence a tolerance); every recorded hour
was rated.
"""

import dataclasses
import decimal
import typing

from uos_billing.core import ledger
from uos_billing.core import money

# v1 storage keeps prices as floats: agreement within this is agreement.
STORAGE_TOLERANCE = decimal.Decimal('0.000001')
# Charge rows keep quantities at a fixed scale: an hour fraction such as
# 1/3 comes back rounded.
HOURS_TOLERANCE = decimal.Decimal('0.000001')


def amount_str(amount):
    """An exact amount without trailing zeros, at least two places."""
    amount = amount.normalize(context=money.CONTEXT)
    if amount.as_tuple().exponent > -2:
        amount = amount.quantize(decimal.Decimal('0.01'))
    return money.to_str(amount)


def signed_str(amount):
    return ('+' if amount > 0 else '') + amount_str(amount)


def hours_str(hours):
    return money.to_str(hours.normalize()) if hours else '0'


def instant_str(at):
    return at.strftime('%Y-%m-%d %H:%M') if at else ''


def line_fields(line_key):
    """'flavor_name=m1.small,state=running' -> its fields, in order."""
    return tuple(tuple(part.split('=', 1)) for part in line_key.split(',')
                 if '=' in part)


@dataclasses.dataclass
class ChargeLine:
    resource: str
    fields: tuple
    mode: str
    periods: int = 0
    hours: decimal.Decimal = money.ZERO
    amount: decimal.Decimal = money.ZERO

    @property
    def label(self):
        return ' '.join(value for _key, value in self.fields)

    @property
    def state(self):
        return dict(self.fields).get('state')


def charge_lines(charges, names):
    """Charge rows summed per resource, line (flavor, state) and mode."""
    lines = {}
    for row in charges:
        key = (names.get(row['resource_id'], row['resource_id']),
               line_fields(row['line_key']), row['mode'])
        line = lines.setdefault(key, ChargeLine(*key))
        line.periods += 1
        line.hours += row['qty']
        line.amount += row['amount']
    return [lines[k] for k in sorted(lines)]


@dataclasses.dataclass
class LedgerRow:
    kind: str
    count: int
    amount: decimal.Decimal
    balance_after: decimal.Decimal
    begin: typing.Any
    end: typing.Any
    note: str


def ledger_rows(entries):
    """Ledger entries in order, runs of hourly charges folded into one."""
    rows = []
    for entry in entries:
        last = rows[-1] if rows else None
        if (entry['kind'] == ledger.CHARGE and last is not None
                and last.kind == ledger.CHARGE):
            last.count += 1
            last.amount += entry['amount']
            last.balance_after = entry['balance_after']
            last.end = entry['period_end']
            continue
        rows.append(LedgerRow(entry['kind'], 1, entry['amount'],
                              entry['balance_after'], entry['period_begin'],
                              entry['period_end'], entry['note'] or ''))
    return rows


@dataclasses.dataclass
class ProjectFigures:
    """A project's month as the database holds it, and the checks."""
    project_id: str
    name: str
    account: dict
    lines: list
    orders: list
    ledger: list
    ledger_sum: decimal.Decimal
    charges_total: decimal.Decimal
    storage_total: decimal.Decimal
    missing_hours: list

    @property
    def last_balance_after(self):
        return self.ledger[-1].balance_after if self.ledger else money.ZERO

    @property
    def ledger_ok(self):
        balance = self.account['balance']
        return balance == self.ledger_sum == self.last_balance_after

    @property
    def storage_ok(self):
        return (abs(self.storage_total - self.charges_total)
                <= STORAGE_TOLERANCE)

    @property
    def ok(self):
        return self.ledger_ok and self.storage_ok and not self.missing_hours


def stored_total(storage, scope, begin, end):
    """CloudKitty's total for scope over [begin, end).

    The v1 storage sums float prices: the float is taken as it prints.
    """
    results = storage.total(begin=begin, end=end,
                            filters={'project_id': scope})['results']
    return sum((decimal.Decimal(repr(r['rate'] or 0)) for r in results),
               money.ZERO)


def missing_hours(recording, scope, lines):
    """(VM, state, recorded hours, rated hours) that disagree."""
    rated = {}
    for line in lines:
        key = (line.resource, line.state)
        rated[key] = rated.get(key, money.ZERO) + line.hours
    found = []
    for vm, state, hours in recording.usage(recording.month_start,
                                            recording.span_end, scope):
        got = rated.pop((vm.name, state), money.ZERO)
        if abs(got - hours) > HOURS_TOLERANCE:
            found.append((vm.name, state, hours, got))
    found.extend((vm, state, money.ZERO, got)
                 for (vm, state), got in rated.items())
    return found


def collect(dbapi, storage, recording, scope):
    """Read back one project's figures."""
    names = {vm.id: vm.name for vm in recording.vms}
    charges = dbapi.list_charges(scope)
    entries = dbapi.list_ledger(scope)
    lines = charge_lines(charges, names)
    return ProjectFigures(
        project_id=scope,
        name=dict(recording.projects).get(scope, scope),
        account=dbapi.get_account(scope), lines=lines,
        orders=dbapi.list_orders(scope), ledger=ledger_rows(entries),
        ledger_sum=sum((e['amount'] for e in entries), money.ZERO),
        charges_total=sum((c['amount'] for c in charges), money.ZERO),
        storage_total=stored_total(storage, scope, recording.month_start,
                                   recording.span_end),
        missing_hours=missing_hours(recording, scope, lines))


def _table(out, header, rows):
    widths = [max(len(str(c)) for c in column)
              for column in zip(header, *rows)]
    for row in [header] + rows:
        out.write('    ' + '  '.join(
            str(c).ljust(w) for c, w in zip(row, widths)).rstrip() + '\n')


def print_charges(out, figures):
    out.write('  Charges (billing charge rows per resource, line and mode):\n')
    rows = [[line.resource, line.label, line.mode, line.periods,
             hours_str(line.hours), amount_str(line.amount)]
            for line in figures.lines]
    rows.append(['total', '', '', sum(line.periods for line in figures.lines),
                 hours_str(sum((line.hours for line in figures.lines),
                               money.ZERO)),
                 amount_str(figures.charges_total)])
    _table(out, ['resource', 'line', 'mode', 'periods', 'hours', 'amount'],
           rows)


def print_orders(out, figures, names, products):
    out.write('  Orders:\n')
    rows = []
    for order in figures.orders:
        term = ''
        if order['term_start'] is not None:
            # An on-demand order has no term end: it runs until closed.
            end = order['term_end'] or order['closed_at']
            term = '%s .. %s' % (instant_str(order['term_start']),
                                 instant_str(end))
        price = order['unit_price']
        rows.append([names.get(order['resource_id'], order['resource_id']),
                     order['mode'], order['status'],
                     products.get(order['product_id'], ''), term,
                     '' if price is None else amount_str(price)])
    _table(out, ['resource', 'mode', 'status', 'product', 'term',
                 'unit price'], rows)


def print_ledger(out, figures):
    out.write('  Ledger (runs of hourly charge entries folded):\n')
    rows = []
    for row in figures.ledger:
        kind = row.kind if row.count == 1 else '%s x%d' % (row.kind,
                                                           row.count)
        period = ''
        if row.begin is not None:
            period = '%s .. %s' % (instant_str(row.begin),
                                   instant_str(row.end))
        note = '' if row.count > 1 else row.note
        rows.append([kind, signed_str(row.amount),
                     amount_str(row.balance_after), period, note])
    _table(out, ['kind', 'amount', 'balance after', 'period', 'note'], rows)


def print_checks(out, figures):
    account = figures.account
    out.write('  Balance: %s %s, status %s\n' % (
        amount_str(account['balance']), account['currency'],
        account['status']))
    out.write('  Check ledger: balance %s, sum of ledger %s, last '
              'balance_after %s: %s\n' % (
                  amount_str(account['balance']),
                  amount_str(figures.ledger_sum),
                  amount_str(figures.last_balance_after),
                  'OK' if figures.ledger_ok else 'FAILED'))
    out.write('  Check storage: CloudKitty v1 storage total %s, billing '
              'charges %s: %s\n' % (
                  money.to_str(figures.storage_total),
                  amount_str(figures.charges_total),
                  'OK' if figures.storage_ok else 'FAILED'))
    for vm, state, recorded, rated in figures.missing_hours:
        out.write('  Check hours: %s %s recorded %s h, rated %s h: FAILED\n'
                  % (vm, state, hours_str(recorded), hours_str(rated)))
    if not figures.missing_hours:
        out.write('  Check hours: every recorded hour was rated: OK\n')


def print_project(out, figures, recording, products):
    names = {vm.id: vm.name for vm in recording.vms}
    out.write('\n== Project %s (%s), account currency %s\n' % (
        figures.name, figures.project_id, figures.account['currency']))
    print_charges(out, figures)
    print_orders(out, figures, names, products)
    print_ledger(out, figures)
    print_checks(out, figures)
