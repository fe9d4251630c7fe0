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
"""Sized resources reduced to billed seconds x size.

A volume, a snapshot, an image is billed for each second of its life
inside the period times its size at that second: a 100 GiB volume that
exists 600 s is 100 x 600 GiB-seconds (100 x 600/3600 GiB-hours). Its life
is its Gnocchi resource's [started_at, ended_at), which the service's
create and delete notifications set to the second. Its size comes from
one of two sources:

* ``attribute``: a resource attribute, kept in the resource's revisions
  (set from the create and resize notifications): each revision's size
  holds from the revision's start, to the second;
* ``measures``: the size metric's polled measures, each covering from
  its instant to the next by the rules of core/states.py (duplicates,
  order, granularity, gaps not billed).

Either way the result is seconds per size, so that an extend from 100 to
150 GiB splits the period where it happened, and a quantity exact to the
second. Bad sizes (missing, negative, not a number) are refused with
InvalidInput naming the resource; the caller logs and skips it.
No I/O.
"""

import dataclasses
import decimal
import fractions

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import states

ATTRIBUTE = 'attribute'
MEASURES = 'measures'
SIZE_SOURCES = (ATTRIBUTE, MEASURES)


@dataclasses.dataclass(frozen=True)
class SizedUsage(states.Usage):
    """A states.Usage whose keys are sizes (Decimal), not state codes."""

    @property
    def size_seconds(self):
        """Sum of size x seconds, exact (a Fraction)."""
        return sum((fractions.Fraction(size) * seconds
                    for size, seconds in self.seconds.items()),
                   fractions.Fraction(0))


EMPTY = SizedUsage({}, 0)


def size_of(value, resource_id, field='size'):
    """A size as a Decimal >= 0; InvalidInput naming what is wrong.

    Gnocchi answers measures as floats and attributes as JSON numbers or
    strings; a float is read as it prints (1.5, not its binary value).
    """
    if isinstance(value, bool) or value is None or value == '':
        raise errors.InvalidInput(field, 'resource %s has no size' % (
            resource_id,))
    try:
        size = decimal.Decimal(str(value) if isinstance(value, float)
                               else value)
    except (decimal.InvalidOperation, TypeError, ValueError):
        raise errors.InvalidInput(field, 'resource %s: size %r is not a '
                                  'number' % (resource_id, value))
    if not size.is_finite() or size < 0:
        raise errors.InvalidInput(field, 'resource %s: size %r must be a '
                                  'finite number >= 0' % (resource_id,
                                                          value))
    return size


def _life(window, started_at, ended_at):
    return states.life_window(window, started_at, ended_at)


def from_attribute(revision, window, resource_id, field, started_at=None,
                   ended_at=None):
    """SizedUsage of one attribute window (its revision's size).

    window is one of states.attribute_windows(...) for fields that
    include field: the size held through it. Clipped to the life.
    """
    life = _life(window, started_at, ended_at)
    if life is None:
        return EMPTY
    size = size_of(revision.get(field), resource_id, field)
    return SizedUsage({size: life.seconds})


def from_measures(measures, window, resource_id, granularity, gap_threshold,
                  started_at=None, ended_at=None):
    """SizedUsage of one window from polled size measures.

    measures: (instant, value) pairs in any order, duplicates allowed (the
    largest size at an instant wins). Each covers from its instant to the
    next, as states.reduce_states covers a state.
    """
    series = [states.Measure(clock.instant(at), size_of(value, resource_id))
              for at, value in measures]
    usage = states.reduce_states(series, window, granularity, gap_threshold,
                                 started_at, ended_at)
    return SizedUsage(dict(usage.seconds), usage.gap_seconds)
