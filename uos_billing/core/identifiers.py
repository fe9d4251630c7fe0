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
"""What a project id and a resource id may look like, before any lookup.

A value refused here is refused with a 400 without asking Keystone or
Gnocchi: it cannot name anything they know.
"""

import re

from uos_billing.core import errors

# Keystone's project ids are String(64) and made of uuid4().hex; the
# default domain's id is "default". Letters, digits, "-", "_" and "." cover
# every id Keystone makes and keep quotes, slashes, spaces and control
# characters out.
PROJECT_ID_MAX = 64
PROJECT_ID = re.compile(r'[A-Za-z0-9_.-]{1,%d}\Z' % PROJECT_ID_MAX)
# The orders' and charges' resource_id column.
RESOURCE_ID_MAX = 255
SHOWN = 80


def _shown(value):
    text = repr(value)
    return text if len(text) <= SHOWN else text[:SHOWN - 3] + '...'


def check_project_id(value, field='project_id'):
    """value, when it can be a Keystone project id; else InvalidInput."""
    if not isinstance(value, str) or not PROJECT_ID.match(value):
        raise errors.InvalidInput(
            field, 'not a Keystone project id: 1 to %d letters, digits, '
                   '"-", "_" or "." expected, got %s' % (
                       PROJECT_ID_MAX, _shown(value)))
    return value


def check_resource_id(value, field='resource_id'):
    """value, when it is not blank and fits the column; else InvalidInput."""
    if not isinstance(value, str) or not value.strip():
        raise errors.InvalidInput(field, 'must not be empty or blank')
    if len(value) > RESOURCE_ID_MAX:
        raise errors.InvalidInput(field, 'at most %d characters' %
                                  RESOURCE_ID_MAX)
    return value
