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
"""What the scripted lives should cost, from the script's own clock.

Independent of the billing code on purpose: plain arithmetic over the
demo's price list. A VM is priced per second at its flavor's hourly
price while running or paused, at the flavor's stopped price while shut
off; a monthly term makes the seconds its product prices free from the
purchase on (the stopped price is another product: still charged).
"""

import dataclasses
import datetime
import decimal

D = decimal.Decimal
HOUR = D(3600)


@dataclasses.dataclass(frozen=True)
class Prices:
    """Hourly prices of one flavor."""
    running: D
    shutoff: D
    monthly: D

    def hourly(self, state):
        return self.shutoff if state == 'shutoff' else self.running


@dataclasses.dataclass
class Line:
    """One (VM, flavor, state): expected seconds, billed ones when known."""
    vm: str
    project: str
    flavor: str
    state: str
    seconds: int = 0
    # Seconds charged for (not under the prepaid term).
    charged_seconds: int = 0
    amount: D = D(0)
    # Interval edges inside the window: each may be off by one polling
    # interval (the state is known to the poll).
    edges: int = 0
    billed_seconds: int = 0


def intervals(changes, begin, end):
    """[(state, since, until)] inside [begin, end) from (state, since)s."""
    out = []
    for (state, since), following in zip(changes, changes[1:] + [(None,
                                                                  end)]):
        lo, hi = max(since, begin), min(following[1], end)
        if state is not None and lo < hi:
            out.append((state, lo, hi))
    return out


def _seconds(lo, hi):
    return max(0, int((hi - lo).total_seconds()))


def _split(state_intervals, flavor_changes, default_flavor):
    """(flavor, state, lo, hi) pieces: state intervals cut at resizes."""
    changes = flavor_changes or [(default_flavor, None)]
    for state, lo, hi in state_intervals:
        for i, (flavor, since) in enumerate(changes):
            until = changes[i + 1][1] if i + 1 < len(changes) else None
            a = lo if since is None or i == 0 else max(lo, since)
            b = hi if until is None else min(hi, until)
            if a < b:
                yield flavor, state, a, b


def expected_lines(timeline, specs, prices, begin, end):
    """{(vm, flavor, state): Line} for the window [begin, end)."""
    lines = {}
    for vm, changes in sorted(timeline.states.items()):
        spec = specs[vm]
        bought_at = timeline.purchases.get(vm, (None, None))[1]
        for flavor, state, lo, hi in _split(
                intervals(changes, begin, end), timeline.flavors.get(vm),
                spec.flavor):
            line = lines.setdefault((vm, flavor, state), Line(
                vm, spec.project, flavor, state))
            line.seconds += _seconds(lo, hi)
            charged = _seconds(lo, hi)
            if bought_at is not None and state != 'shutoff':
                charged -= _seconds(max(lo, bought_at), max(hi, bought_at))
            line.charged_seconds += charged
            line.amount += prices[flavor].hourly(state) * charged / HOUR
            line.edges += (lo > begin) + (hi < end)
    return lines


def tolerance(line, prices, poll_interval):
    """The money one line may be off by: a polling interval per edge."""
    hourly = prices[line.flavor].hourly(line.state)
    return hourly * poll_interval * line.edges / HOUR


def period_ceil(at, period):
    seconds = int(at.timestamp())
    return datetime.datetime.fromtimestamp(
        seconds + (-seconds) % period, datetime.timezone.utc)
