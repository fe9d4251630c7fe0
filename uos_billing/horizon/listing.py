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
"""The bases of the panels' table views.

What every table of the panels shares: its rows are read from the billing
API, and when the API refuses, the refusal is shown and the table is empty
(BillingTableView); a list the API pages is shown a page at a time, the
next one after the ?marker= of the table's "Next" link (PagedTableView).
"""

from horizon import tables as horizon_tables

from uos_billing.horizon import api_errors


class BillingTableView(horizon_tables.DataTableView):
    """A table whose rows the billing API gives.

    Subclasses read the rows in read() and name the headline of a refused
    read (not_listed).
    """

    not_listed = None

    def read(self):
        raise NotImplementedError

    def get_data(self):
        try:
            return self.read()
        except api_errors.BillingAPIError as error:
            api_errors.report(self.request, error, self.not_listed)
            return []


class PagedTableView(BillingTableView):
    """A table of one page of a list the billing API pages.

    Subclasses read the page after a marker (None: the first page) in
    read_page(), which returns the rows and whether the API has more.
    """

    _more = False

    def read_page(self, marker):
        raise NotImplementedError

    def has_more_data(self, table):
        return self._more

    def read(self):
        rows, self._more = self.read_page(self.request.GET.get('marker'))
        return rows
