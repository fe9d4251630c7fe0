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
"""The stack under failures: processors killed, Gnocchi down, reprocessing.

Each test opens a project of its own (rated from the current period),
runs one VM on libvirt's test driver next to the stack's own domains, and
reads the outcome through the billing API: the ledger's charge entries
per period are the proof that a period was charged once, not twice, and
not skipped.
"""

import datetime
import decimal
import os
import signal
import time

from uos_billing.demo.stack import cloud as stack_cloud
from uos_billing.demo.stack import domains
from uos_billing.demo.stack import expected
from uos_billing.demo.stack import life
from uos_billing.demo.stack import pricebook
from uos_billing.demo.stack import run as stack_run
from uos_billing.tests.functional import test_stack

D = decimal.Decimal
UTC = datetime.timezone.utc
TRANSPORT_URL = os.environ.get('UOS_BILLING_STACK_TRANSPORT_URL',
                               'rabbit://guest:guest@127.0.0.1:5672/')


def instant(text):
    """An ISO 8601 instant of an API answer (UTC when it has no offset)."""
    at = datetime.datetime.fromisoformat(text)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def reprocessed_up_to(task, last):
    try:
        return instant(task['current_reprocess_time']) >= last
    except (TypeError, ValueError):  # not started: None
        return False


class StackWorld(object):
    """One project with one VM on the running stack."""

    def __init__(self, test, name, flavor='m1.small'):
        self.test = test
        self.cloud = stack_cloud.Cloud(os.path.join(test_stack.STACK_DIR,
                                                    'stack.json'))
        self.period, self.poll_interval, collector = stack_run.\
            stack_settings(test_stack.STACK_DIR)
        self.products = pricebook.create_products(self.cloud.billing)
        self.project = dict(self.cloud.create_project(
            name, name + '-member', 'e2e-secret', self.period, collector),
            name=name)
        self.project_id = self.project['id']
        self.cloud.billing.post('/accounts/%s/recharge' % self.project_id, {
            'amount': '100.00', 'idempotency_key': '%s-%s' % (
                name, time.time())})
        self.spec = life.VMSpec(name + '-vm', 'p', flavor)
        self.player = life.Life(
            test_stack.REPO, os.path.join(test_stack.STACK_DIR, 'data',
                                          'libvirt', 'domains.xml'),
            {'p': self.project}, None,
            life.nova_notifier(TRANSPORT_URL, 'uosb-stack-compute'),
            log=lambda text: None, base_domains=[
                domains.Domain(**d['domain'])
                for d in self.cloud.stack.get('domains', ())
                if 'domain' in d])
        self.start = None
        self.timeline = None

    def create_vm(self):
        """Start the VM at the next period boundary; its Timeline."""
        self.start = expected.period_ceil(
            life.now() + datetime.timedelta(seconds=3), self.period)
        self.timeline = self.player.play(
            [life.Step(0, self.spec.name, 'create')],
            {self.spec.name: self.spec}, self.start)
        return self.timeline

    def wait_rated(self, end, timeout=None):
        stack_run.wait_rated_until(self.cloud, [self.project_id], end,
                                   self.period,
                                   timeout or 6 * self.period + 120)

    def entries(self, kind=None):
        return [e for e in self.cloud.billing.list(
            '/accounts/%s/transactions' % self.project_id, 'transactions')
            if kind is None or e['kind'] == kind]

    def charges_by_period(self, begin, end):
        """{period begin: [charge entries]} for the periods in [begin, end)."""
        out = {}
        for entry in self.entries('charge'):
            at = instant(entry['period_begin'])
            if begin <= at < end:
                out.setdefault(at, []).append(entry)
        return out

    def periods(self, begin, end):
        step = datetime.timedelta(seconds=self.period)
        out, at = [], begin
        while at < end:
            out.append(at)
            at += step
        return out

    def balance(self):
        return D(self.cloud.billing.get('/accounts/%s' % self.project_id)[
            'balance'])


class TestStackFailures(test_stack.StackTestCase):

    def assert_each_period_charged_once(self, world, begin, end):
        charges = world.charges_by_period(begin, end)
        periods = world.periods(begin, end)
        self.assertEqual(periods, sorted(charges), 'periods charged')
        twice = {at: len(e) for at, e in charges.items() if len(e) != 1}
        self.assertEqual({}, twice, 'periods charged more than once')
        return charges

    def test_processors_killed_while_rating_lose_and_double_nothing(self):
        world = StackWorld(self, 'e2e-kill')
        world.create_vm()
        # For six periods and ten kills at least, SIGKILL a processor
        # (the two in turn) every 7 s and start it again: a rating, a
        # Redis lock held, a posting committed before CloudKitty saved its
        # state are all cut off. On a loaded machine a start takes longer,
        # so the kills, not the clock, bound the loop there.
        deadline = time.monotonic() + 6 * world.period
        kills = 0
        while time.monotonic() < deadline or kills < 10:
            service = 'cloudkitty-processor-%d' % (kills % 2 + 1)
            os.killpg(self.pid(service), signal.SIGKILL)
            kills += 1
            done = test_stack._run('start', 300)
            self.assertEqual(0, done.returncode, done.stderr[-3000:])
            time.sleep(7)
        end = expected.period_ceil(life.now(), world.period)
        world.wait_rated(end)
        charges = self.assert_each_period_charged_once(world, world.start,
                                                       end)
        # Each period of a running m1.small: 36.00/h x 30 s = 0.30, but for
        # the first (the VM appears a few seconds in) and polling edges.
        full = D('36.00') * world.period / 3600
        amounts = [-D(e[0]['amount']) for _, e in sorted(charges.items())]
        self.assertEqual([full] * (len(amounts) - 2), amounts[1:-1])

    def test_gnocchi_down_periods_rated_late_not_skipped(self):
        world = StackWorld(self, 'e2e-gnocchi')
        world.create_vm()
        time.sleep(world.period)
        down_at = life.now()
        test_stack._run_args('stop', 'gnocchi-api')
        time.sleep(3 * world.period)
        up_at = life.now()
        done = test_stack._run('start', 300)
        self.assertEqual(0, done.returncode, done.stderr[-3000:])
        end = expected.period_ceil(life.now() + datetime.timedelta(
            seconds=world.period), world.period)
        world.wait_rated(end)
        charges = world.charges_by_period(world.start, end)
        self.assertEqual({}, {at: len(e) for at, e in charges.items()
                              if len(e) != 1}, 'periods charged twice')
        # Samples published while Gnocchi was down are lost (Ceilometer's
        # publisher drops them): a period with no measure has nothing to
        # bill. Every period with measures out of the outage's reach (a
        # polling interval plus the gap allowance) is charged.
        reach = datetime.timedelta(seconds=world.period + 40)
        measured = [at for at in world.periods(world.start, end)
                    if at + reach <= down_at or at >= up_at + reach]
        self.assertEqual([], [at for at in measured if at not in charges],
                         'periods skipped')
        # The period the outage began in has measures from before it: it
        # was rated once Gnocchi answered again, not skipped.
        first_down = expected.period_ceil(down_at, world.period) - \
            datetime.timedelta(seconds=world.period)
        self.assertIn(first_down, charges)
        self.assertGreater(instant(charges[first_down][0]['created_at']),
                           up_at)
        # CloudKitty's state went on past the outage.
        self.assertGreaterEqual(world.cloud.last_processed(
            world.project_id) + datetime.timedelta(seconds=world.period),
            end)

    def test_reprocessing_after_a_price_change_adjusts_each_period(self):
        world = StackWorld(self, 'e2e-reprocess', flavor='m1.tiny')
        billing = world.cloud.billing
        product = [p for p in billing.list('/products', 'products', params={
            'service': 'instance'}) if p['name'] == 'e2e m1.tiny'
            and p['effective_to'] is None]
        if not product:
            product = [billing.post('/products', {
                'name': 'e2e m1.tiny', 'service': 'instance',
                'match': {'flavor_name': 'm1.tiny'}, 'unit': 'hour',
                'on_demand_price': '36.00', 'currency': 'EUR',
                'effective_from': '2000-01-01T00:00:00+00:00'})]
        old_price = D(product[0]['on_demand_price'])
        new_price = old_price + D('36.00')
        world.create_vm()
        begin = world.start + datetime.timedelta(seconds=world.period)
        end = begin + 3 * datetime.timedelta(seconds=world.period)
        world.wait_rated(end)
        before = world.charges_by_period(begin, end)
        # The price was wrong from the VM's start: a successor product
        # from then, and CloudKitty's reprocessing of three whole periods.
        billing.put('/products/%s' % product[0]['id'], {
            'on_demand_price': str(new_price),
            'effective_from': world.start.isoformat()})
        last = end - datetime.timedelta(seconds=world.period)
        world.cloud.rating.post('/v2/task/reprocesses', json={
            'scope_ids': world.project_id,
            'start_reprocess_time': begin.isoformat(),
            'end_reprocess_time': last.isoformat(),
            'reason': 'm1.tiny price corrected'})
        deadline = time.monotonic() + 10 * world.period + 120
        while True:
            tasks = world.cloud.rating.get('/v2/task/reprocesses', params={
                'scope_ids': world.project_id}).json()['results']
            # This test's task (an earlier run's may be listed too).
            mine = [t for t in tasks
                    if instant(t['start_reprocess_time']) == begin
                    and instant(t['end_reprocess_time']) == last]
            if mine and all(reprocessed_up_to(t, last) for t in mine):
                break
            self.assertLess(time.monotonic(), deadline, tasks)
            time.sleep(3)
        adjustments = [e for e in world.entries('adjustment')
                       if begin <= instant(e['period_begin']) < end]
        self.assertEqual(3, len(adjustments), adjustments)
        for entry in adjustments:
            charged = -D(before[instant(entry['period_begin'])][0]['amount'])
            # The difference of the period's total at the new price.
            self.assertEqual(-(charged * new_price / old_price - charged),
                             D(entry['amount']), entry)
        # The account's balance is the ledger's sum (re-rated total in).
        self.assertEqual(sum((D(e['amount']) for e in world.entries()),
                             D(0)), world.balance())
