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
"""Table action helpers shared by the panels."""

from horizon import tables


class ModalAction(tables.LinkAction):
    """A link that opens one of the panel's modal forms."""

    classes = ('ajax-modal',)


def only_for(applies):
    """An action's allowed(): on the rows that applies(row) is true of.

    Without a row (a table action, which acts on the rows selected) the
    action is allowed.
    """
    def allowed(self, request, datum=None):
        return datum is None or applies(datum)
    return allowed
