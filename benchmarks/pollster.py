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
"""vm.state against Ceilometer's power.state, one polling cycle each.

Run with ``tox -e bench-pollster`` or ``python benchmarks/pollster.py
--help``.

N domains (500 by default) with Nova 1.1 metadata on libvirt's test driver
(a ``test:///<file>.xml`` node: a third running, a third paused, a third
shut off), ``[compute] report_stopped_instance_metrics = True`` so that
power.state covers the shut-off domains too. Both pollsters are loaded from
their ``ceilometer.poll.compute`` entry points, in the same process.

Two measures, each a median over ``--rounds`` rounds in which both run
once, alternating which goes first:

* pollster: ``get_samples`` over the instances Ceilometer's
  ``local_instances`` discovery found (one discovery shared by both, a
  fresh per-cycle cache for each): the pollster's own cost. The bar is on
  this one: vm.state per domain at most 1.5 x power.state per domain.
* cycle: one whole polling task of Ceilometer's AgentManager with a
  polling.yaml selecting just that meter (discovery, pollster, samples
  through the real Notifier to oslo.messaging's test driver), for scale.

Exit status 1 when the bar is missed.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid

import libvirt
from oslo_messaging import conffixture
from oslo_messaging.notify import _impl_test as notify_test_driver
from stevedore import extension

from ceilometer.compute import discovery
from ceilometer.polling import manager
from ceilometer import service

from uos_billing.tests.unit.pollsters import fakes

BAR = 1.5
METERS = ('vm.state', 'power.state')


def _quiet(ctx, err):
    pass


def write_node(path, count):
    domains = []
    for i in range(count):
        domains.append(fakes.domain_xml(
            str(uuid.uuid4()), 'instance-%05d' % i, 'vm-%05d' % i,
            'user-%d' % (i % 7), 'project-%d' % (i % 13),
            runstate=(1, 3, 5)[i % 3], image_id='img-1',
            flavor_id='fl-%d' % (i % 4), flavor_name='m1.f%d' % (i % 4)))
    with open(path, 'w') as f:
        f.write(fakes.node_xml(domains))


def make_conf(uri):
    conf = service.prepare_service([], [])
    conf.set_override('libvirt_uri', uri)
    conf.set_override('host', 'bench-compute')
    conf.set_override('report_stopped_instance_metrics', True,
                      group='compute')
    conf.set_override('instance_discovery_method', 'libvirt_metadata',
                      group='compute')
    conf.set_override('pollsters_definitions_dirs', [])
    conf.set_override('telemetry_driver', 'test', group='publisher_notifier')
    fixture = conffixture.ConfFixture(conf)
    fixture.setUp()
    return conf


def load_pollsters(conf):
    mgr = extension.ExtensionManager('ceilometer.poll.compute')
    found = {}
    for ext in mgr:
        if ext.name in METERS:
            found[ext.name] = ext.plugin(conf)
    return found


def time_pollster(pollster, agent, instances):
    start = time.perf_counter()
    samples = list(pollster.get_samples(agent, {}, instances))
    return time.perf_counter() - start, samples


def cycle_task(conf, workdir, meter):
    path = os.path.join(workdir, 'polling-%s.yaml' % meter)
    with open(path, 'w') as f:
        f.write('---\nsources:\n  - name: bench\n    interval: 60\n'
                '    meters: ["%s"]\n' % meter)
    conf.set_override('cfg_file', path, group='polling')
    agent = manager.AgentManager(0, conf, namespaces=['compute'])
    agent.polling_manager = manager.PollingManager(conf)
    return agent.setup_polling_tasks()[60]


def time_cycle(task):
    notify_test_driver.reset()
    start = time.perf_counter()
    task.poll_and_notify()
    elapsed = time.perf_counter() - start
    count = sum(len(m['payload']['samples'])
                for _c, m, _p, _r in notify_test_driver.NOTIFICATIONS)
    return elapsed, count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--domains', type=int, default=500)
    parser.add_argument('--rounds', type=int, default=7)
    args = parser.parse_args(argv)
    libvirt.registerErrorHandler(_quiet, None)

    with tempfile.TemporaryDirectory(prefix='bench-pollster-') as workdir:
        node = os.path.join(workdir, 'node.xml')
        write_node(node, args.domains)
        conf = make_conf('test://' + node)
        agent = manager.AgentManager(0, conf, namespaces=['compute'])
        instances = discovery.InstanceDiscovery(conf).discover(agent)
        if len(instances) != args.domains:
            print('discovery found %d of %d domains'
                  % (len(instances), args.domains))
            return 1
        pollsters = load_pollsters(conf)
        tasks = {m: cycle_task(conf, workdir, m) for m in METERS}

        pollster_times = {m: [] for m in METERS}
        cycle_times = {m: [] for m in METERS}
        for r in range(args.rounds + 1):     # round 0 warms up
            order = METERS if r % 2 else tuple(reversed(METERS))
            for meter in order:
                elapsed, samples = time_pollster(pollsters[meter], agent,
                                                 instances)
                if len(samples) != args.domains:
                    print('%s gave %d samples for %d domains'
                          % (meter, len(samples), args.domains))
                    return 1
                c_elapsed, c_count = time_cycle(tasks[meter])
                if c_count != args.domains:
                    print('%s cycle published %d samples for %d domains'
                          % (meter, c_count, args.domains))
                    return 1
                if r:
                    pollster_times[meter].append(elapsed)
                    cycle_times[meter].append(c_elapsed)

    print('%d domains on libvirt test driver (1/3 running, 1/3 paused, '
          '1/3 shut off), report_stopped_instance_metrics=True, '
          'median of %d rounds' % (args.domains, args.rounds))
    print('%-26s %14s %14s' % ('', 'vm.state', 'power.state'))
    per = {}
    for label, times in (('pollster, us/domain', pollster_times),
                         ('whole cycle, us/domain', cycle_times)):
        per[label] = {m: statistics.median(times[m]) / args.domains * 1e6
                      for m in METERS}
        print('%-26s %14.1f %14.1f' % (label, per[label]['vm.state'],
                                       per[label]['power.state']))
    ratio = (per['pollster, us/domain']['vm.state']
             / per['pollster, us/domain']['power.state'])
    cycle_ratio = (per['whole cycle, us/domain']['vm.state']
                   / per['whole cycle, us/domain']['power.state'])
    print('ratio vm.state / power.state: pollster %.2f, whole cycle %.2f'
          % (ratio, cycle_ratio))
    ok = ratio <= BAR
    print('%s: pollster ratio %.2f %s %.1f'
          % ('PASS' if ok else 'FAIL', ratio, '<=' if ok else '>', BAR))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
