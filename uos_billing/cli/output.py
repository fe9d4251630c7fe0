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
"""What the billing commands print, per output format.

cliff's formatters fall in two kinds. ``json`` and ``yaml`` are for
programs: they get the API's values as they are (money exact, to 10
places; null as null), and their encoders escape control characters.
The others (``table``, ``value``, ``shell``, ``csv``) write text to a
terminal or a shell: there a null is empty, and a control character from
the data (NUL, an ANSI escape sequence, a bidirectional override) is
written as a backslash escape (``\\x1b``), never raw. In a table, money is
shown at its currency's places (``100.00``; a unit price keeps the places
it has beyond them, ``0.0125``); ``value``, ``shell`` and ``csv`` print it
exact, as cliff gives them a column's machine-readable value.

The commands' bases, ``ShowOne`` and ``Lister``, do this in
``produce_output``, the step between a command's data and cliff's
formatter.
"""

import decimal
import urllib.parse

from cliff import columns as cliff_columns
from osc_lib.command import command
from osc_lib import exceptions

from uos_billing.cli import client
from uos_billing.cli import text
from uos_billing.core import money

#: The formats that get the values untouched.
STRUCTURED_FORMATS = frozenset(('json', 'yaml'))


class MoneyColumn(cliff_columns.FormattableColumn):
    """An amount: at its currency's places for people, exact for programs.

    The currency is the row's (``currency``) when it has one; for rows
    without (orders, ledger entries) it is the account's of the row's
    project, looked up by the command when it prints a table. Without a
    known currency the amount is shown exact.
    """

    def __init__(self, value, currency=None, project_id=None):
        super().__init__(value)
        self.currency = currency
        self.project_id = project_id

    @property
    def amount(self):
        return decimal.Decimal(self._value)

    def _display(self, amount, currency):
        return money.display(amount, currency)

    def human_readable(self):
        if self.currency not in money.MINOR_UNITS:
            return text.escape(str(self._value))
        try:
            return self._display(self.amount, self.currency)
        except decimal.InvalidOperation:
            return text.escape(str(self._value))

    def __eq__(self, other):
        # The column stands for the API's string: equal to it.
        if isinstance(other, str):
            return self._value == other
        return super().__eq__(other)

    def __hash__(self):
        return hash(self._value)

    def __lt__(self, other):
        # cliff's --sort-column: by amount, not by the text.
        if isinstance(other, MoneyColumn):
            return self.amount < other.amount
        return NotImplemented


class PriceColumn(MoneyColumn):
    """A price per unit or per term: never rounded, only trimmed."""

    def _display(self, amount, currency):
        return money.display_price(amount, currency)


class LinesColumn(cliff_columns.FormattableColumn):
    """A quote's price lines: one text line each, the list for programs.

    The line breaks are the column's own: each line's data is escaped.
    """

    #: Its human-readable text is escaped already.
    escaped = True

    def __init__(self, value, currency=None):
        super().__init__(value)
        self.currency = currency

    def _money(self, text, column):
        if text is None:
            return ''
        return column(text, self.currency).human_readable()

    def human_readable(self):
        return '\n'.join(text.escape(self._line(line))
                         for line in self._value or [])

    def _line(self, line):
        head = '%s qty=%s %s x%s' % (line.get('service'), line.get('qty'),
                                     line.get('mode'), line.get('count'))
        if line.get('unpriced'):
            # No product prices it: no amount, never a 0 that reads free.
            return '%s UNPRICED: %s' % (head, line.get('message'))
        return '%s product=%s unit_price=%s amount=%s' % (
            head, line.get('product_id') or '',
            self._money(line.get('unit_price'), PriceColumn),
            self._money(line.get('amount'), MoneyColumn))

    def machine_readable(self):
        return [dict(line) for line in self._value or []]


class _EscapedColumn(cliff_columns.FormattableColumn):
    """Another column's text, escaped (for the text formats)."""

    def human_readable(self):
        return text.escape(self._value.human_readable())

    def machine_readable(self):
        return text.escape(str(self._value.machine_readable()))


class _PartlyEscapedColumn(_EscapedColumn):
    """A column that escapes its own text: only its values escaped."""

    def human_readable(self):
        return self._value.human_readable()


class _Empty(cliff_columns.FormattableColumn):
    """A null: empty text; sorted after every value, as cliff sorts None."""

    def __init__(self):
        super().__init__(None)

    def human_readable(self):
        return ''

    def machine_readable(self):
        return ''

    def __lt__(self, other):
        return False

    def __gt__(self, other):
        return not isinstance(other, _Empty)

    __hash__ = cliff_columns.FormattableColumn.__hash__


def text_cell(cell):
    """One value as the text formats get it."""
    if cell is None:
        return _Empty()
    if isinstance(cell, str):
        return text.escape(cell)
    if isinstance(cell, MoneyColumn):
        return cell
    if isinstance(cell, cliff_columns.FormattableColumn):
        if getattr(cell, 'escaped', False):
            # Its line breaks are its own; machine_readable() is data.
            return _PartlyEscapedColumn(cell)
        return _EscapedColumn(cell)
    return cell


class _TextOutput(object):
    """produce_output for json/yaml (untouched) and the text formats."""

    def _text_rows(self, rows, human):
        rows = [list(row) for row in rows]
        if human:
            self._resolve_currencies(
                [c for row in rows for c in row
                 if isinstance(c, MoneyColumn) and c.currency is None
                 and c.project_id])
        return [tuple(text_cell(c) for c in row) for row in rows]

    def _resolve_currencies(self, cells):
        """The account currency of each cell's project (tables only)."""
        projects = {c.project_id for c in cells}
        if not projects:
            return
        billing = client.get_client(self)
        currencies = {}
        try:
            if len(projects) == 1:
                project = next(iter(projects))
                account = billing.get(
                    '/accounts/' + urllib.parse.quote(project, safe=''))
                currencies[project] = (account or {}).get('currency')
            else:
                currencies = {a.get('project_id'): a.get('currency')
                              for a in billing.list('/accounts', 'accounts')}
        except exceptions.CommandError:
            # The account cannot be read: the amounts are shown exact.
            return
        for cell in cells:
            cell.currency = currencies.get(cell.project_id)


class ShowOne(_TextOutput, command.ShowOne):
    """A ShowOne whose output follows this module's rules."""

    def produce_output(self, parsed_args, column_names, data):
        if parsed_args.formatter not in STRUCTURED_FORMATS:
            data = self._text_rows(
                [data], parsed_args.formatter == 'table')[0]
        return super().produce_output(parsed_args, column_names, data)


class Lister(_TextOutput, command.Lister):
    """A Lister whose output follows this module's rules."""

    def produce_output(self, parsed_args, column_names, data):
        if parsed_args.formatter not in STRUCTURED_FORMATS:
            data = self._text_rows(data, parsed_args.formatter == 'table')
        return super().produce_output(parsed_args, column_names, data)
