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
"""What the state and the sized metrics' schemas share."""

import voluptuous

# A gap_threshold's default, in granularities.
DEFAULT_GAP_GRANULARITIES = 3


def strict_int(value):
    """An int, not a bool (YAML's true is an int to Python)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise voluptuous.Invalid('expected int')
    return value
