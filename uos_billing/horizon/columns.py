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
"""Table column helpers shared by the panels (money, instants, labels)."""

from uos_billing.horizon import display
from uos_billing.horizon import labels


def money(field):
    """A column getter: the object's field with the object's currency."""
    def get(datum):
        return display.format_money(datum.get(field), datum.get('currency'))
    get.__name__ = field
    return get


def instant(field):
    """A column getter: the object's instant field, readable."""
    def get(datum):
        return display.format_instant(datum.get(field))
    get.__name__ = field
    return get


def choice(field, choices):
    """A column getter: the translated name of an enumeration's value."""
    def get(datum):
        return labels.label(choices, datum.get(field))
    get.__name__ = field
    return get
