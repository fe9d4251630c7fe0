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
"""State samples reduced to billed seconds per state (SPEC section 7).

A VM's ``vm.state`` measures (instant, libvirt state code) are turned into
the whole seconds it spent in each state inside a period. The rules:

* Measures are taken in time order; several measures at the same instant
  (duplicates, revisions) count as one, the highest state code winning, so
  the result never depends on the order they came in.
* A measure covers from its instant up to the next measure, but not
  further than ``granularity`` seconds when the next measure is more than
  ``gap_threshold`` seconds after that: the stretch after the granularity
  is then a *gap* (no data), which is not billed but counted in
  ``gap_seconds`` (the usage is ``estimated``).
* Before the first measure and after the last measure's granularity, the
  VM's life (its resource's started_at/ended_at, clipped to the period)
  may hold a stretch without data: up to ``gap_threshold`` seconds it goes
  to the nearest measure's state (polling jitter), longer it is a gap.
  The stretch is measured whole, from the measure, even where it began
  before the period.
* Everything is clipped to the period and to [started_at, ended_at).

Instants are UTC billing instants (``clock.instant``: whole seconds);
seconds are ints. No I/O.
"""

import dataclasses
import datetime
import typing

from uos_billing.core import clock

# libvirt's virDomainState codes and the names points carry (as the
# vm.state pollster's state_name metadata).
STATE_NAMES = {
    0: 'nostate',
    1: 'running',
    2: 'blocked',
    3: 'paused',
    4: 'shutdown',
    5: 'shutoff',
    6: 'crashed',
    7: 'pmsuspended',
}
UNKNOWN = 'unknown'


def state_name(code, names=None):
    """The name of a state code ('unknown' for a code not in names)."""
    return (names or STATE_NAMES).get(code, UNKNOWN)


def state_code(value):
    """A measure's value (a float in Gnocchi) as an int state code."""
    code = int(value)
    if code != value:
        raise ValueError('not a state code: %r' % (value,))
    return code


@dataclasses.dataclass(frozen=True)
class Measure:
    """A state sample: at (a billing instant) and the state code."""
    at: datetime.datetime
    state: int

    @classmethod
    def of(cls, at, state):
        """From a datetime or an ISO 8601 string and a number."""
        if isinstance(at, str):
            at = datetime.datetime.fromisoformat(at)
        return cls(clock.instant(at), state_code(state))


@dataclasses.dataclass(frozen=True)
class Usage:
    """Seconds per state code of one VM in a period, and its gap."""
    seconds: typing.Mapping[int, int]
    gap_seconds: int = 0

    @property
    def estimated(self):
        return self.gap_seconds > 0

    @property
    def billed_seconds(self):
        return sum(self.seconds.values())

    def __bool__(self):
        return any(self.seconds.values())


EMPTY = Usage({}, 0)


def ordered(measures):
    """Measures in time order, one per instant (the highest code wins)."""
    by_instant = {}
    for measure in measures:
        known = by_instant.get(measure.at)
        if known is None or measure.state > known:
            by_instant[measure.at] = measure.state
    return [Measure(at, by_instant[at]) for at in sorted(by_instant)]


def _check(period, granularity, gap_threshold):
    if not isinstance(period, clock.Window):
        raise TypeError('period must be a clock.Window')
    if not isinstance(granularity, int) or granularity <= 0:
        raise ValueError('granularity must be a positive int, got %r' % (
            granularity,))
    if not isinstance(gap_threshold, int) or gap_threshold < 0:
        raise ValueError('gap_threshold must be an int >= 0, got %r' % (
            gap_threshold,))


def life_window(period, started_at=None, ended_at=None):
    """The part of period in [started_at, ended_at), or None."""
    begin, end = period.begin, period.end
    if started_at is not None:
        begin = max(begin, clock.instant(started_at))
    if ended_at is not None:
        end = min(end, clock.instant(ended_at))
    if end <= begin:
        return None
    return clock.Window(begin, end)


def reduce_states(measures, period, granularity, gap_threshold,
                  started_at=None, ended_at=None):
    """Billed seconds per state of one VM inside period; returns a Usage.

    measures: iterable of Measure (any order, duplicates allowed);
    period: clock.Window; granularity, gap_threshold: int seconds;
    started_at/ended_at: the resource's life bounds (None: unbounded).
    """
    _check(period, granularity, gap_threshold)
    life = life_window(period, started_at, ended_at)
    if life is None:
        return EMPTY
    series = ordered(measures)
    if not series:
        return EMPTY
    lo, hi = life.begin, life.end
    step = datetime.timedelta(seconds=granularity)
    seconds = {}
    gap = 0

    def add(state, begin, end):
        begin, end = max(begin, lo), min(end, hi)
        if end > begin:
            seconds[state] = (seconds.get(state, 0) +
                              clock.seconds_between(begin, end))

    def add_gap(begin, end):
        nonlocal gap
        begin, end = max(begin, lo), min(end, hi)
        if end > begin:
            gap += clock.seconds_between(begin, end)

    def stretch(state, begin, end):
        """A stretch without data next to a measure of state.

        Its length is taken before clipping to the period: a stretch that
        began long before the period is a gap all through it.
        """
        if end <= begin:
            return
        if clock.seconds_between(begin, end) <= gap_threshold:
            add(state, begin, end)
        else:
            add_gap(begin, end)

    first = series[0]
    stretch(first.state, lo, first.at)
    for current, following in zip(series, series[1:]):
        nominal_end = current.at + step
        if following.at <= nominal_end:
            add(current.state, current.at, following.at)
        elif clock.seconds_between(nominal_end,
                                   following.at) <= gap_threshold:
            add(current.state, current.at, following.at)
        else:
            add(current.state, current.at, nominal_end)
            add_gap(nominal_end, following.at)
    last = series[-1]
    add(last.state, last.at, last.at + step)
    stretch(last.state, last.at + step, hi)
    return Usage({k: v for k, v in seconds.items() if v}, gap)


@dataclasses.dataclass(frozen=True)
class Series:
    """One VM's measures and life bounds, as reduce_all takes them."""
    measures: typing.Sequence[Measure]
    started_at: typing.Optional[datetime.datetime] = None
    ended_at: typing.Optional[datetime.datetime] = None


def reduce_all(series, period, granularity, gap_threshold):
    """{vm: Usage} of {vm: Series}, leaving out VMs with nothing billed."""
    found = {}
    for vm in sorted(series):
        one = series[vm]
        usage = reduce_states(one.measures, period, granularity,
                              gap_threshold, one.started_at, one.ended_at)
        if usage:
            found[vm] = usage
    return found


def attribute_windows(revisions, fields, period):
    """[(revision, Window)]: period split where the fields' values changed.

    revisions: a resource's revisions (dicts with ``revision_start``,
    ``revision_end`` and the attributes), any order. A window runs from the
    start of a revision whose fields differ from the previous revision's
    to the start of the next such revision (the first one reaches back,
    the last one on, without end); revisions that changed other attributes
    only are merged into the window before. Each window is clipped to
    period; the revision given with it is the window's last (its
    attributes are those of the whole window).
    """
    ordered_revisions = sorted(revisions, key=lambda r: clock.instant(
        _parse(r['revision_start'])))
    windows = []
    for revision in ordered_revisions:
        values = tuple(revision.get(field) for field in fields)
        if windows and windows[-1][1] == values:
            windows[-1][0] = revision
            continue
        windows.append([revision, values,
                        clock.instant(_parse(revision['revision_start']))])
    out = []
    for i, (revision, _values, begin) in enumerate(windows):
        lo = period.begin if i == 0 else max(period.begin, begin)
        hi = (period.end if i + 1 == len(windows)
              else min(period.end, windows[i + 1][2]))
        if lo < hi:
            out.append((revision, clock.Window(lo, hi)))
    return out


def _parse(value):
    if isinstance(value, str):
        return datetime.datetime.fromisoformat(value)
    return value
