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
"""The demo's backfill: a week of VM history, rated by CloudKitty.

A week of scripted lives (``history``) is polled by Ceilometer's real
vm.state pollster on a libvirt test driver of its own, every polling
interval of the week, each sample stamped with its poll's instant, and
published to the stack's Gnocchi by Ceilometer's Gnocchi publisher of the
stack's pipeline. Each VM's Gnocchi resource is created, with the
publisher's own attributes, as starting at the VM's creation, and ended
at its deletion: the instants Nova's notifications give a live cloud.

CloudKitty then rates the week from its start: a cloudkitty-processor with
the stack's configuration but one-hour periods and the week's project as
its only scope (fetcher ``source``), until the scope's state reaches the
week's end. The stack's own processors never see the project (their
fetcher lists the projects where CloudKitty holds the rating role).

The week ends one period before the current hour (CloudKitty's
wait_periods is 1). Resizes and prepaid terms are left to the live demo:
Gnocchi dates a resource's revisions by its own clock and a purchase
happens now, so neither can be placed in the past.
"""

import configparser
import datetime
import decimal
import os
import signal
import subprocess
import sys
import time
import uuid

import yaml

from uos_billing.demo.stack import cloud as stack_cloud
from uos_billing.demo.stack import domains as node
from uos_billing.demo.stack import expected
from uos_billing.demo.stack import history
from uos_billing.demo.stack import life
from uos_billing.demo.stack import pricebook
from uos_billing.demo.stack import report

D = decimal.Decimal
UTC = datetime.timezone.utc
PERIOD = 3600
WEEK = datetime.timedelta(days=7)
KEY = 'w'
MEMBER = 'erin'
MEMBER_PASSWORD = 'demo-secret'
AMOUNT = D('20000.00')
#: Samples per call of the publisher: six hours of the week.
CHUNK = datetime.timedelta(hours=6)
H, M, DAY = 3600, 60, 86400
SPECS = {spec.name: spec for spec in (
    life.VMSpec('w-web', KEY, 'm1.small'),
    life.VMSpec('w-db', KEY, 'm1.medium'),
    life.VMSpec('w-batch', KEY, 'm1.small'),
)}
S = life.Step
#: Seconds from the week's start; changes fall inside periods, not on
#: their edges, and on the polling grid (multiples of 10 s).
SCRIPT = (
    S(0, 'w-web', 'create'),
    S(6 * H + 25 * M, 'w-db', 'create'),
    S(DAY + 9 * H + 12 * M + 30, 'w-web', 'pause'),
    S(DAY + 11 * H + 47 * M + 10, 'w-web', 'resume'),
    S(2 * DAY + 1 * H + 30 * M, 'w-batch', 'create'),
    S(2 * DAY + 10 * H + 5 * M + 40, 'w-batch', 'delete'),
    S(2 * DAY + 20 * H, 'w-web', 'stop'),
    S(3 * DAY + 7 * H + 59 * M + 50, 'w-web', 'start'),
    S(4 * DAY + 18 * H + 30 * M, 'w-db', 'stop'),
    S(5 * DAY + 12 * H + 10 * M + 20, 'w-db', 'delete'),
)


def week_window(now):
    """[start, end) of the week: it ends a period before now's period."""
    end = stack_cloud.period_floor(now, PERIOD) - datetime.timedelta(
        seconds=PERIOD)
    return end - WEEK, end


def publisher_url(stack_dir):
    """The Gnocchi publisher of the stack's pipeline that vm.state takes."""
    with open(os.path.join(stack_dir, 'etc', 'ceilometer',
                           'pipeline.yaml')) as f:
        pipeline = yaml.safe_load(f)
    sinks = {sink['name']: sink for sink in pipeline['sinks']}
    for source in pipeline['sources']:
        if 'vm.state' in source.get('meters', ()):
            for name in source['sinks']:
                for url in sinks[name].get('publishers', ()):
                    if url.startswith('gnocchi://'):
                        return url
    raise RuntimeError('no gnocchi:// publisher takes vm.state in %s' %
                       stack_dir)


class Ceilometer(object):
    """Ceilometer's pollster, discovery and publisher, as the stack's."""

    def __init__(self, stack_dir, node_file):
        # Imported here: only the stack's virtualenv has Ceilometer.
        from ceilometer.compute import discovery
        from ceilometer import gnocchi_client
        from ceilometer import publisher
        from ceilometer import service

        from uos_billing.pollsters import vm_state

        self.conf = service.prepare_service(
            argv=['uos-billing-demo'], config_files=[os.path.join(
                stack_dir, 'etc', 'ceilometer', 'ceilometer.conf')])
        self.conf.set_override('libvirt_uri', 'test://' + node_file)
        self.pollster = vm_state.VMStatePollster(self.conf)
        self.discovery = discovery.InstanceDiscovery(self.conf)
        self.publisher = publisher.get_publisher(
            self.conf, publisher_url(stack_dir),
            'ceilometer.sample.publisher')
        self.gnocchi = gnocchi_client.get_gnocchiclient(self.conf)

    def create_resource(self, sample, started_at):
        """The sample's resource, as the publisher makes it, from then."""
        definition = self.publisher.metric_map[sample.name]
        self.gnocchi.resource.create(definition.cfg['resource_type'], dict(
            definition.sample_attributes(sample), id=sample.resource_id,
            user_id=sample.user_id, project_id=sample.project_id,
            started_at=started_at.isoformat()))

    def end_resource(self, resource_id, ended_at):
        self.gnocchi.resource.update('instance', resource_id, {
            'ended_at': ended_at.isoformat()})

    def wait_processed(self, timeout, log):
        """Until metricd has aggregated every measure Gnocchi received."""
        deadline = time.monotonic() + timeout
        while True:
            left = self.gnocchi.status.get()['storage']['summary']['measures']
            if not left:
                return
            if time.monotonic() > deadline:
                raise RuntimeError('Gnocchi still has %d measures to process '
                                   'after %d s' % (left, timeout))
            log('  Gnocchi: %d measures left to aggregate' % left)
            time.sleep(5)

    def measures(self, resource_id, begin, end, granularity):
        """How many samples Gnocchi holds for the resource's vm.state."""
        points = self.gnocchi.metric.get_measures(
            'vm.state', resource_id=resource_id, aggregation='count',
            granularity=granularity, start=begin.isoformat(),
            stop=end.isoformat())
        return int(sum(D(str(value)) for _at, _g, value in points))


def publish_week(ceilometer, player, tl, start, end, interval):
    """Poll and publish the week; {vm: samples published}."""
    spans = history.lifespans(tl)
    names = {tl.ids[vm]: vm for vm in tl.ids}
    published = dict.fromkeys(tl.ids, 0)
    chunk, chunk_end = [], start + CHUNK
    for at, samples in player.samples(SCRIPT, start, end, interval):
        for sample in samples:
            vm = names[sample.resource_id]
            if not published[vm]:
                ceilometer.create_resource(sample, spans[vm][0])
            published[vm] += 1
        chunk.extend(samples)
        if at + datetime.timedelta(seconds=interval) >= chunk_end:
            ceilometer.publisher.publish_samples(chunk)
            chunk, chunk_end = [], chunk_end + CHUNK
    if chunk:
        ceilometer.publisher.publish_samples(chunk)
    for vm, (_created, deleted) in sorted(spans.items()):
        if deleted is not None:
            ceilometer.end_resource(tl.ids[vm], deleted)
    return published


def processor_conf(stack_dir, project_id, path):
    """The stack's CloudKitty configuration, for the week's scope only."""
    ck = configparser.ConfigParser(interpolation=None, strict=False)
    ck.read(os.path.join(stack_dir, 'etc', 'cloudkitty', 'cloudkitty.conf'))
    ck['collect']['period'] = str(PERIOD)
    ck['fetcher']['backend'] = 'source'
    ck['fetcher_source'] = {'sources': project_id}
    with open(path, 'w') as f:
        ck.write(f)
    return ck['collect']['collector']


def rate_week(cloud, stack_dir, project_id, end, run_id, log,
              timeout=1200):
    """Run a cloudkitty-processor until the scope is rated up to end."""
    conf = os.path.join(stack_dir, 'etc', 'cloudkitty',
                        'cloudkitty-backfill-%s.conf' % run_id)
    processor_conf(stack_dir, project_id, conf)
    log_path = os.path.join(stack_dir, 'log',
                            'cloudkitty-processor-backfill.log')
    # The stack's CloudKitty (tools/stack/lib.sh's STACK_VENV).
    venv = os.environ.get('UOS_BILLING_STACK_VENV') or os.path.expanduser(
        '~/.cache/uos-billing/stack-venv')
    command = [os.path.join(venv, 'bin', 'cloudkitty-processor'),
               '--config-file', conf]
    started = time.monotonic()
    with open(log_path, 'ab') as out:
        processor = subprocess.Popen(command, stdout=out,
                                     stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL,
                                     start_new_session=True)
    try:
        deadline, said = started + timeout, started
        while True:
            last = cloud.last_processed(project_id)
            if last is not None and \
                    last + datetime.timedelta(seconds=PERIOD) >= end:
                return time.monotonic() - started
            if processor.poll() is not None:
                raise RuntimeError('cloudkitty-processor (backfill) exited '
                                   'with %s; see %s' % (processor.returncode,
                                                        log_path))
            if time.monotonic() > deadline:
                raise RuntimeError('CloudKitty did not rate the week within '
                                   '%d s (last processed period: %s); see %s'
                                   % (timeout, last, log_path))
            if last is not None and time.monotonic() - said > 30:
                said = time.monotonic()
                log('  CloudKitty: rated up to %s' % (
                    last + datetime.timedelta(seconds=PERIOD)).isoformat())
            time.sleep(5)
    finally:
        os.killpg(processor.pid, signal.SIGTERM)
        try:
            processor.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(processor.pid, signal.SIGKILL)
            processor.wait()


def run(stack_dir, poll_interval, collector, now=None, out=sys.stdout):
    """Play, publish and rate the week; its ProjectFigures."""
    say = lambda text: print(text, file=out, flush=True)  # noqa: E731
    cloud = stack_cloud.Cloud(os.path.join(stack_dir, 'stack.json'))
    start, end = week_window(now or life.now())
    run_id = start.strftime('%Y%m%dT%H%M') + '-' + uuid.uuid4().hex[:6]
    say('\nbackfill: the week %s to %s, polled every %d s, rated by '
        'CloudKitty in %d s periods' % (start.isoformat(), end.isoformat(),
                                        poll_interval, PERIOD))
    pricebook.create_products(cloud.billing)
    name = 'demo-week-%s' % run_id
    project = dict(cloud.create_project(
        name, MEMBER, MEMBER_PASSWORD, PERIOD, collector,
        fetcher='source', begin=start), name=name)
    before = report.account_snapshot(cloud.billing, project['id'])
    cloud.billing.post('/accounts/%s/recharge' % project['id'], {
        'amount': str(AMOUNT), 'note': 'demo backfill %s' % run_id,
        'idempotency_key': 'demo-backfill-%s' % run_id})
    domains = {vm: node.Domain(
        id=str(uuid.uuid4()), name=vm, flavor=spec.flavor,
        project_id=project['id'], project_name=name,
        user_id=project['member_id'], user_name=MEMBER)
        for vm, spec in sorted(SPECS.items())}
    tl = history.timeline(SCRIPT, SPECS, start,
                          {vm: d.id for vm, d in domains.items()})
    node_file = os.path.join(stack_dir, 'data', 'libvirt',
                             'backfill-%s.xml' % run_id)
    ceilometer = Ceilometer(stack_dir, node_file)
    player = history.History(ceilometer.pollster, ceilometer.discovery,
                             node_file, domains.values(),
                             {vm: d.id for vm, d in domains.items()})
    began = time.monotonic()
    try:
        published = publish_week(ceilometer, player, tl, start, end,
                                 poll_interval)
    finally:
        os.remove(node_file)
    ceilometer.wait_processed(600, say)
    held = {vm: ceilometer.measures(tl.ids[vm], start, end, poll_interval)
            for vm in published}
    say('backfill: %d samples published in %.0f s; Gnocchi holds %s' % (
        sum(published.values()), time.monotonic() - began, ', '.join(
            '%s %d/%d' % (vm, held[vm], published[vm])
            for vm in sorted(published))))
    if held != published:
        raise RuntimeError('Gnocchi lost samples: %s held of %s published'
                           % (held, published))
    seconds = rate_week(cloud, stack_dir, project['id'], end, run_id, say)
    say('backfill: CloudKitty rated the week\'s %d periods in %.0f s' % (
        WEEK.total_seconds() // PERIOD, seconds))
    lines = expected.expected_lines(tl, SPECS, pricebook.PRICES, start, end)
    # Samples on the polling grid, changes on it: no allowance.
    return report.project_figures(
        cloud, KEY, project, before, tl, lines, SPECS, pricebook.PRICES, 0,
        start, end)
