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
"""VMs' scripted lives, played on the stack's libvirt test driver.

The test driver's domains live in the polling agent's process, read from
its node file when the agent connects: a change of the VMs is a new node
file and a restart of the agent (tools/stack/restart), after which the
agent polls the new states. A deletion is also told the way Nova tells it:
a ``compute.instance.delete.start`` notification on the bus, which
Ceilometer's notification agent turns into the Gnocchi resource's
ended_at.

Each change is recorded at the instant it took effect (the new agent's
first poll, or the notification's sending): the script's own clock, from
which ``expected`` works out the bill.
"""

import dataclasses
import datetime
import subprocess
import time
import typing
import uuid

from oslo_config import cfg
import oslo_messaging

from uos_billing.demo.stack import domains as node

UTC = datetime.timezone.utc
#: The actions of a script and the state each leaves the VM in.
STATES = {'create': 'running', 'pause': 'paused', 'resume': 'running',
          'stop': 'shutoff', 'start': 'running', 'delete': None}
#: A prepaid purchase: not a state change.
BUY_MONTHLY = 'buy-monthly'
#: 'resize:<flavor>': the VM keeps its state, with another flavor.
RESIZE = 'resize:'


@dataclasses.dataclass(frozen=True)
class Step:
    """At `at` seconds after the script's start, `action` on VM `vm`."""
    at: int
    vm: str
    action: str


@dataclasses.dataclass(frozen=True)
class VMSpec:
    name: str
    project: str   # a key of the demo's projects
    flavor: str


@dataclasses.dataclass
class Timeline:
    """What happened, on the script's clock."""
    # vm name -> [(state or None once deleted, since)]
    states: typing.Dict[str, list] = dataclasses.field(default_factory=dict)
    # vm name -> [(flavor, since)]
    flavors: typing.Dict[str, list] = dataclasses.field(
        default_factory=dict)
    # vm name -> (order, purchase instant)
    purchases: typing.Dict[str, tuple] = dataclasses.field(
        default_factory=dict)
    ids: typing.Dict[str, str] = dataclasses.field(default_factory=dict)
    end: typing.Optional[datetime.datetime] = None


def now():
    """The current instant, whole second (billing instants are)."""
    return datetime.datetime.now(UTC).replace(microsecond=0)


def nova_notifier(transport_url, host):
    """A notifier sending Nova's (unversioned) notifications on the bus."""
    conf = cfg.ConfigOpts()
    conf([], project='uos-billing-demo', default_config_files=[],
         default_config_dirs=[])
    # Ceilometer's notification agent listens to Nova on its exchange.
    oslo_messaging.set_transport_defaults('nova')
    transport = oslo_messaging.get_notification_transport(
        conf, url=transport_url)
    return oslo_messaging.Notifier(transport, 'compute.%s' % host,
                                   driver='messagingv2',
                                   topics=['notifications'])


class Life(object):
    """Plays a script on the stack; returns its Timeline."""

    def __init__(self, repo, node_file, projects, buy, notifier,
                 sleep=time.sleep, log=print, base_domains=()):
        self.repo = repo
        self.node_file = node_file
        # The stack's own domains (tools/stack/make_domains.py) stay.
        self.base_domains = list(base_domains)
        self.projects = projects
        self.buy = buy
        self.notifier = notifier
        self.sleep = sleep
        self.log = log
        self.domains = {}

    def restart_agent(self):
        subprocess.run([self.repo + '/tools/stack/restart',
                        'ceilometer-polling'], check=True,
                       stdout=subprocess.DEVNULL)

    def delete_notification(self, domain):
        self.notifier.info({}, 'compute.instance.delete.start', {
            'instance_id': domain.id, 'tenant_id': domain.project_id,
            'user_id': domain.user_id, 'display_name': domain.name,
            'state': 'active', 'host': 'uosb-stack-compute'})

    def _apply(self, step, specs, timeline, changed, resized):
        spec = specs[step.vm]
        if step.action == 'create':
            project = self.projects[spec.project]
            domain = self.domains[step.vm] = node.Domain(
                id=str(uuid.uuid4()), name=step.vm, flavor=spec.flavor,
                project_id=project['id'], project_name=project['name'],
                user_id=project['member_id'], user_name=project['member'])
            timeline.ids[step.vm] = domain.id
            changed.append((step.vm, 'running'))
            resized.append((step.vm, spec.flavor))
        elif step.action == 'delete':
            domain = self.domains.pop(step.vm)
            self.delete_notification(domain)
            timeline.states[step.vm].append((None, now()))
        elif step.action.startswith(RESIZE):
            flavor = step.action[len(RESIZE):]
            self.domains[step.vm].flavor = flavor
            resized.append((step.vm, flavor))
        else:
            self.domains[step.vm].state = STATES[step.action]
            changed.append((step.vm, STATES[step.action]))

    def delete_all(self):
        """Delete the VMs the script left, as Nova would; their names."""
        names = sorted(self.domains)
        if not names:
            return names
        for name in names:
            self.delete_notification(self.domains.pop(name))
        node.write_node_file(self.node_file, self.base_domains)
        self.restart_agent()
        return names

    def play(self, script, specs, start):
        """Run script (Steps by time) from start; return the Timeline."""
        timeline = Timeline()
        for at in sorted({step.at for step in script}):
            wait = (start + datetime.timedelta(seconds=at) -
                    datetime.datetime.now(UTC)).total_seconds()
            if wait > 0:
                self.sleep(wait)
            steps = [s for s in script if s.at == at]
            changed, resized = [], []
            for step in steps:
                if step.action != BUY_MONTHLY:
                    self._apply(step, specs, timeline, changed, resized)
            if changed or resized or any(s.action == 'delete'
                                         for s in steps):
                node.write_node_file(self.node_file, self.base_domains +
                                     list(self.domains.values()))
                self.restart_agent()
            effective = now()
            for vm, state in changed:
                timeline.states.setdefault(vm, []).append((state, effective))
            for vm, flavor in resized:
                timeline.flavors.setdefault(vm, []).append((flavor,
                                                            effective))
            for step in steps:
                if step.action == BUY_MONTHLY:
                    order = self.buy(timeline.ids[step.vm], specs[step.vm])
                    timeline.purchases[step.vm] = order
            self.log('  +%3d s  %s' % (at, ', '.join(
                '%s %s' % (s.action, s.vm) for s in steps)))
        timeline.end = now()
        return timeline
