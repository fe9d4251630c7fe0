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
"""The demo's data source: a recorded month replayed as a collector.

The recording (data/month.json) keeps, per VM, a list of state intervals
relative to the start of the month. ReplayCollector is a CloudKitty
collector that expands them into the points a state-reducing collector
would emit: one point per (VM, state) and period, qty = hours spent in that
state within the period (0.5 when the VM stopped at half past).
"""

import dataclasses
import datetime
import decimal
import json
import os
import re
import typing

from cloudkitty import collector
from cloudkitty.utils import tz as tzutils
from oslo_config import cfg

from uos_billing.core import clock

CONF = cfg.CONF

FIXTURE = os.path.join(os.path.dirname(__file__), 'data', 'month.json')

SECONDS_PER_HOUR = 3600
_OFFSET = re.compile(r'^(\d+)d (\d{2}):(\d{2})$')
# Quantities are exact ratios of seconds: enough digits for any of them.
_QTY_CONTEXT = decimal.Context(prec=28)


def parse_offset(text):
    """Seconds from the month start of an instant written 'Nd HH:MM'."""
    found = _OFFSET.match(text or '')
    if not found:
        raise ValueError("bad instant %r in the recording: expected "
                         "'Nd HH:MM', e.g. '7d 14:15'" % (text,))
    days, hours, minutes = (int(g) for g in found.groups())
    if hours > 23 or minutes > 59:
        raise ValueError('bad instant %r in the recording: hours or '
                         'minutes out of range' % (text,))
    return ((days * 24 + hours) * 60 + minutes) * 60


@dataclasses.dataclass(frozen=True)
class Interval:
    """[begin, end) seconds from the month start, in one state."""
    begin: int
    end: typing.Optional[int]
    state: str


@dataclasses.dataclass(frozen=True)
class VM:
    id: str
    name: str
    project_id: str
    flavor_name: str
    flavor: dict
    intervals: tuple

    def fields(self, state):
        """Every field a point of this VM in state can carry."""
        return {
            'id': self.id, 'project_id': self.project_id,
            'flavor_name': self.flavor_name, 'state': state,
            'flavor_id': self.flavor['id'], 'vcpus': self.flavor['vcpus'],
            'ram': self.flavor['ram'], 'disk': self.flavor['disk'],
            'display_name': self.name,
        }


def _vm(raw, project_id, flavors):
    flavor_name = raw['flavor']
    if flavor_name not in flavors:
        raise ValueError('VM %s: unknown flavor %r' % (raw['name'],
                                                       flavor_name))
    intervals = []
    for begin, end, state in raw['states']:
        interval = Interval(parse_offset(begin),
                            None if end is None else parse_offset(end), state)
        if interval.end is not None and interval.end <= interval.begin:
            raise ValueError('VM %s: interval %s ends before it begins' % (
                raw['name'], (begin, end)))
        intervals.append(interval)
    return VM(raw['id'], raw['name'], project_id, flavor_name,
              flavors[flavor_name], tuple(intervals))


class Recording(object):
    """The recorded month, anchored on a real month start (UTC)."""

    def __init__(self, raw, month_start, span_end):
        self.raw = raw
        self.month_start = clock.instant(month_start)
        self.span_end = clock.instant(span_end)
        self.projects = [(p['id'], p['name']) for p in raw['projects']]
        self.vms = [_vm(vm, p['id'], raw['flavors'])
                    for p in raw['projects'] for vm in p['vms']]

    @classmethod
    def load(cls, month_start, span_end, path=FIXTURE):
        with open(path) as f:
            return cls(json.load(f), month_start, span_end)

    def at(self, text):
        """The instant of an offset written 'Nd HH:MM'."""
        return self.month_start + datetime.timedelta(
            seconds=parse_offset(text))

    def ended_at(self, vm):
        """When a deleted VM ended, as Gnocchi's ended_at, or ''."""
        end = vm.intervals[-1].end
        if end is None:
            return ''
        moment = self.month_start + datetime.timedelta(seconds=end)
        return moment.isoformat()

    def project_id(self, name):
        for project_id, project_name in self.projects:
            if project_name == name:
                return project_id
        raise ValueError('unknown project %r in the recording' % (name,))

    def vm_id(self, name):
        for vm in self.vms:
            if vm.name == name:
                return vm.id
        raise ValueError('unknown VM %r in the recording' % (name,))

    def _seconds(self, at):
        return clock.seconds_between(self.month_start, clock.instant(at))

    def usage(self, begin, end, project_id=None):
        """(VM, state, qty in hours) for the window [begin, end)."""
        span = clock.seconds_between(self.month_start, self.span_end)
        lo, hi = self._seconds(begin), min(self._seconds(end), span)
        found = []
        for vm in self.vms:
            if project_id is not None and vm.project_id != project_id:
                continue
            seconds = {}
            for interval in vm.intervals:
                stop = span if interval.end is None else interval.end
                inside = min(stop, hi) - max(interval.begin, lo)
                if inside > 0:
                    seconds[interval.state] = (
                        seconds.get(interval.state, 0) + inside)
            for state, total in seconds.items():
                found.append((vm, state, _QTY_CONTEXT.divide(
                    decimal.Decimal(total), SECONDS_PER_HOUR)))
        return found


class ReplayCollector(collector.BaseCollector):
    """A CloudKitty collector that serves the recording's points.

    Built with the keyword arguments of any collector (period, conf: the
    metrics.yml content) plus recording. The metric's groupby and metadata
    lists select which of the recorded fields go where, as with CloudKitty's
    own collectors. A window without usage returns [] (CloudKitty then
    treats the period as empty).
    """

    collector_name = 'uos_demo_replay'

    def __init__(self, **kwargs):
        self.recording = kwargs.pop('recording')
        super().__init__(**kwargs)

    def fetch_all(self, metric_name, start, end, project_id=None,
                  q_filter=None):
        metric = self.conf[metric_name]
        if metric_name.split('@#')[0] != 'instance':
            return []
        points = []
        for vm, state, qty in self.recording.usage(
                tzutils.local_to_utc(start), tzutils.local_to_utc(end),
                project_id):
            fields = vm.fields(state)
            fields['ended_at'] = self.recording.ended_at(vm)
            groupby = {k: fields.get(k, '') for k in metric['groupby']}
            metadata = {k: fields.get(k, '') for k in metric['metadata']}
            points.append(self._create_data_point(
                metric, qty, 0, groupby, metadata, start))
        return points
