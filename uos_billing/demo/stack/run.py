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
"""uos-billing-demo stack: scripted VM lives billed by the real pipeline.

On the running local stack (tools/stack/start): creates the price book,
two projects (demo-a, demo-b) with a member each, recharges them, then
plays VMs' lives on libvirt's test driver while Ceilometer polls their
states into Gnocchi and CloudKitty's two processors collect them with
uos_gnocchi and rate them with the billing module, in periods of the
stack's (30 s by default). When CloudKitty has rated the script's last
period, prints per project the orders, the billed seconds per VM and state
next to those expected from the script's clock, the ledger and the
balance, and exits 1 if a figure is off by more than a polling interval's
worth (or the ledger does not add up).

Then the backfill (``backfill``): a week of history published with its
own timestamps and rated by CloudKitty from the week's start, whose
figures must match exactly. ``--part live|backfill`` runs one of the two.
"""

import configparser
import datetime
import decimal
import os
import subprocess
import sys
import tempfile
import time

from uos_billing.demo.stack import backfill
from uos_billing.demo.stack import cloud as stack_cloud
from uos_billing.demo.stack import domains
from uos_billing.demo.stack import expected
from uos_billing.demo.stack import life
from uos_billing.demo.stack import pricebook
from uos_billing.demo.stack import report

D = decimal.Decimal
UTC = datetime.timezone.utc
MEMBER_PASSWORD = 'demo-secret'
PROJECTS = {'a': ('demo-a', 'carol', D('100.00')),
            'b': ('demo-b', 'dave', D('1000.00'))}
SPECS = {spec.name: spec for spec in (
    life.VMSpec('a-web', 'a', 'm1.small'),
    life.VMSpec('a-db', 'a', 'm1.medium'),
    life.VMSpec('b-web', 'b', 'm1.small'),
    life.VMSpec('b-batch', 'b', 'm1.medium'),
)}
S = life.Step
SCRIPT = (
    S(0, 'a-web', 'create'), S(0, 'a-db', 'create'), S(0, 'b-web', 'create'),
    S(20, 'b-web', life.BUY_MONTHLY),
    S(60, 'a-web', 'pause'), S(60, 'b-batch', 'create'),
    S(90, 'a-web', 'resume'), S(90, 'a-db', 'stop'),
    S(150, 'a-web', 'stop'), S(150, 'a-db', life.RESIZE + 'm1.small'),
    S(180, 'b-batch', 'delete'), S(180, 'a-db', 'start'),
    S(210, 'a-web', 'start'),
    S(240, 'a-web', 'delete'),
)


def stack_settings(stack_dir):
    """(period, polling interval, collector) the stack runs with."""
    ck = configparser.ConfigParser(interpolation=None, strict=False)
    ck.read(os.path.join(stack_dir, 'etc', 'cloudkitty', 'cloudkitty.conf'))
    period = ck.getint('collect', 'period')
    collector = ck.get('collect', 'collector')
    with open(os.path.join(stack_dir, 'etc', 'ceilometer',
                           'polling.yaml')) as f:
        interval = [int(line.split(':')[1]) for line in f
                    if line.strip().startswith('interval:')][0]
    return period, interval, collector


def run(repo, stack_dir, transport_url, out=sys.stdout):
    period, poll_interval, collector = stack_settings(stack_dir)
    cloud = stack_cloud.Cloud(os.path.join(stack_dir, 'stack.json'))
    say = lambda text: print(text, file=out, flush=True)  # noqa: E731
    say('live: scripted VM lives on the local stack: CloudKitty period '
        '%d s, vm.state polled every %d s, collector %s' % (
            period, poll_interval, collector))
    products = pricebook.create_products(cloud.billing)
    projects = {}
    for key, (name, member, _amount) in sorted(PROJECTS.items()):
        projects[key] = dict(cloud.create_project(
            name, member, MEMBER_PASSWORD, period, collector), name=name)
    before = {key: report.account_snapshot(cloud.billing, p['id'])
              for key, p in projects.items()}
    run_id = life.now().strftime('%Y%m%dT%H%M%S')
    for key, (name, _member, amount) in sorted(PROJECTS.items()):
        cloud.billing.post('/accounts/%s/recharge' % projects[key]['id'], {
            'amount': str(amount), 'note': 'demo %s' % run_id,
            'idempotency_key': 'demo-%s-%s' % (run_id, key)})
    # The script starts on a period boundary a few seconds ahead.
    start = expected.period_ceil(life.now() + datetime.timedelta(seconds=5),
                                 period)
    say('live: script starts at %s (a period boundary); projects %s' % (
        start.isoformat(), ', '.join('%s=%s' % (p['name'], p['id'])
                                     for p in projects.values())))

    def buy(resource_id, spec):
        order = cloud.billing.post('/orders', {
            'project_id': projects[spec.project]['id'],
            'resource_id': resource_id, 'service': 'instance',
            'product_id': products['demo %s' % spec.flavor]['id'],
            'mode': 'monthly', 'count': 1})
        return order, datetime.datetime.fromisoformat(order['term_start'])

    player = life.Life(repo, os.path.join(stack_dir, 'data', 'libvirt',
                                          'domains.xml'),
                       projects, buy,
                       life.nova_notifier(transport_url,
                                          'uosb-stack-compute'),
                       log=say, base_domains=[
                           domains.Domain(**d['domain'])
                           for d in (cloud.stack.get('domains', []) +
                                     cloud.stack.get('servers', []))
                           if 'domain' in d])
    try:
        timeline = player.play(SCRIPT, SPECS, start)
        figures = report_live(cloud, out, projects, before, timeline,
                              start, period, poll_interval)
    finally:
        # The stack keeps running: no VM of the demo is left billed.
        deleted = player.delete_all()
        if deleted:
            say('live: the script\'s VMs left (%s) deleted, as Nova '
                'deletes them; the stack keeps running (tools/stack/stop '
                'stops it)' % ', '.join(deleted))
    return figures


def report_live(cloud, out, projects, before, timeline, start, period,
                poll_interval):
    """Wait until CloudKitty rated the script, then print each project."""
    say = lambda text: print(text, file=out, flush=True)  # noqa: E731
    end = expected.period_ceil(timeline.end, period)
    say('live: script over at %s; waiting for CloudKitty to rate up to %s'
        % (timeline.end.isoformat(), end.isoformat()))
    started_wait = time.monotonic()
    wait_rated_until(cloud, [p['id'] for p in projects.values()], end,
                     period, timeout=6 * period + 120)
    say('live: CloudKitty rated it %.0f s after the script ended' % (
        time.monotonic() - started_wait))
    lines = expected.expected_lines(timeline, SPECS, pricebook.PRICES,
                                    start, end)
    figures = []
    for key, project in sorted(projects.items()):
        figures.append(report.project_figures(
            cloud, key, project, before[key], timeline, lines, SPECS,
            pricebook.PRICES, poll_interval, start, end))
    for project_figures in figures:
        report.print_project(out, project_figures)
    return figures


def wait_rated_until(cloud, project_ids, end, period, timeout):
    """Until every scope's last processed period ends at or after end."""
    deadline = time.monotonic() + timeout
    while True:
        last = {p: cloud.last_processed(p) for p in project_ids}
        if all(at is not None and
               at + datetime.timedelta(seconds=period) >= end
               for at in last.values()):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(
                'CloudKitty did not rate up to %s within %d s (last '
                'processed periods: %s)' % (end.isoformat(), timeout, {
                    p: at and at.isoformat() for p, at in last.items()}))
        time.sleep(3)


def main(argv):
    import argparse
    parser = argparse.ArgumentParser(
        prog='uos-billing-demo stack', description=__doc__.splitlines()[0])
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__),
                                        '..', '..', '..'))
    parser.add_argument('--stack-dir', default=os.environ.get(
        'UOS_BILLING_STACK_DIR') or os.path.join(repo, 'work', 'stack'))
    parser.add_argument('--transport-url', default=os.environ.get(
        'UOS_BILLING_STACK_TRANSPORT_URL',
        'rabbit://guest:guest@127.0.0.1:5672/'))
    parser.add_argument('--part', choices=('all', 'live', 'backfill'),
                        default='all', help='the live script, the week\'s '
                        'backfill, or both (default)')
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.part == 'backfill':
        return _report('backfill', [run_backfill(args.stack_dir)], started)
    week = None
    if args.part == 'all':
        # The live script mostly waits for its clock: the week is played,
        # published and rated meanwhile, by a process of its own (Ceilometer
        # wants the main thread), whose report and summary follow the live
        # part's.
        week = BackgroundBackfill(args.stack_dir, args.transport_url)
    try:
        rc = _report('live', run(repo, args.stack_dir, args.transport_url),
                     started)
    finally:
        failed = week and week.finish(sys.stdout)
    return 1 if failed else rc


def run_backfill(stack_dir, out=sys.stdout):
    _period, poll_interval, collector = stack_settings(stack_dir)
    week = backfill.run(stack_dir, poll_interval, collector, out=out)
    report.print_project(out, week, daily_ledger=True)
    return week


class BackgroundBackfill(object):
    """``uos-billing-demo stack --part backfill`` in a child process."""

    def __init__(self, stack_dir, transport_url):
        self.out = tempfile.TemporaryFile()
        self.child = subprocess.Popen(
            [sys.executable, '-m', 'uos_billing.demo.run', 'stack',
             '--stack-dir', stack_dir, '--transport-url', transport_url,
             '--part', 'backfill'],
            stdout=self.out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL)

    def finish(self, out):
        """Wait for it, copy its report to out; True if it failed."""
        rc = self.child.wait()
        self.out.seek(0)
        out.write(self.out.read().decode('utf-8', 'replace'))
        out.flush()
        self.out.close()
        return rc != 0


def _report(part, figures, started):
    """The part's summary, one line labelled with its name; the rc."""
    failed = [f.name for f in figures if not f.ok]
    took = time.monotonic() - started
    if failed:
        print('\n%s: FAILED checks for %s (%.1f s)' % (
            part, ', '.join(failed), took), flush=True)
        return 1
    print('\n%s: all checks passed for %s (%.1f s)' % (
        part, ', '.join(f.name for f in figures), took), flush=True)
    return 0
