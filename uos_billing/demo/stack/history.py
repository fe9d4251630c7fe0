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
"""VMs' scripted lives played on the script's clock, as polled samples.

The backfill's history is played on a libvirt test driver of its own
(in this process, from a node file holding the script's domains): at
every polling interval of the script's window, in order, the script's
actions due by then are applied to the domains through libvirt (suspend,
resume, shutdown, create), then the real vm.state pollster polls the VMs
that exist at that instant, and its samples get that instant as their
timestamp. Nothing but the clock is scripted.
"""

import datetime

from uos_billing.demo.stack import domains as node
from uos_billing.demo.stack import life

# Script actions -> the libvirt call that makes the domain's state so.
LIBVIRT_CALLS = {'pause': 'suspend', 'resume': 'resume', 'stop': 'shutdown',
                 'start': 'create'}
LIFE_ACTIONS = ('create', 'delete')


def check_script(script, specs):
    """Refuse what a history cannot hold, naming the step."""
    created, deleted = set(), set()
    for step in sorted(script, key=lambda s: s.at):
        if step.vm not in specs:
            raise ValueError('step %r: no VM named %s' % (step, step.vm))
        if step.action not in LIBVIRT_CALLS and \
                step.action not in LIFE_ACTIONS:
            # Gnocchi dates a resource's revisions by its own clock and a
            # purchase happens now: neither can be placed in the past.
            raise ValueError('step %r: %s cannot be played in the past' % (
                step, step.action))
        if step.action == 'create':
            if step.vm in created:
                raise ValueError('step %r: %s exists already' % (
                    step, step.vm))
            created.add(step.vm)
        elif step.vm not in created or step.vm in deleted:
            raise ValueError('step %r: %s does not exist then' % (
                step, step.vm))
        if step.action == 'delete':
            deleted.add(step.vm)


def timeline(script, specs, start, ids):
    """The life.Timeline of script from start (VM name -> id in ids)."""
    check_script(script, specs)
    out = life.Timeline(ids=dict(ids))
    for step in sorted(script, key=lambda s: s.at):
        at = start + datetime.timedelta(seconds=step.at)
        out.states.setdefault(step.vm, []).append(
            (life.STATES[step.action], at))
        if step.action == 'create':
            out.flavors[step.vm] = [(specs[step.vm].flavor, at)]
    out.end = start + datetime.timedelta(
        seconds=max(s.at for s in script))
    return out


def lifespans(tl):
    """{vm: (created, deleted or None)} of a timeline."""
    spans = {}
    for vm, changes in tl.states.items():
        deleted = changes[-1][1] if changes[-1][0] is None else None
        spans[vm] = (changes[0][1], deleted)
    return spans


class History(object):
    """Plays a script on a private test driver, polled by the pollster.

    pollster and discovery: Ceilometer's vm.state pollster and
    libvirt_metadata instance discovery, on a conf whose libvirt_uri is
    test://<node_file>; ids: {vm: the uuid of its domain}.
    """

    def __init__(self, pollster, discovery, node_file, domains, ids):
        import libvirt

        node.write_node_file(node_file, list(domains))
        self.pollster = pollster
        self.discovery = discovery
        # The script's calls need a read-write connection (Ceilometer opens
        # read-only ones), and the test driver keeps each connection's
        # domains apart: the pollster and the discovery are given this one,
        # through the attribute Ceilometer caches its connection in.
        self.connection = libvirt.open('test://' + node_file)
        for user in (pollster, discovery):
            user._libvirt_connection = self.connection
        self.ids = ids

    def samples(self, script, start, end, interval):
        """Yield (instant, [samples]) for every poll in [start, end)."""
        steps = sorted(script, key=lambda s: s.at)
        alive, instances = [], []
        at = start
        while at < end:
            due = []
            while steps and start + datetime.timedelta(
                    seconds=steps[0].at) <= at:
                due.append(steps.pop(0))
            if due:
                for step in due:
                    self._apply(step, alive)
                ids = {self.ids[vm] for vm in alive}
                instances = [i for i in self.discovery.discover(None)
                             if i.id in ids]
            polled = list(self.pollster.get_samples(None, {}, instances))
            stamp = at.isoformat()
            for sample in polled:
                sample.timestamp = stamp
            yield at, polled
            at += datetime.timedelta(seconds=interval)

    def _apply(self, step, alive):
        if step.action == 'create':
            alive.append(step.vm)
        elif step.action == 'delete':
            alive.remove(step.vm)
        else:
            domain = self.connection.lookupByUUIDString(self.ids[step.vm])
            getattr(domain, LIBVIRT_CALLS[step.action])()
