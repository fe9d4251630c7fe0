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
"""Exactly once under concurrency: two OS processes rate one period.

Two processors that both believe they own a scope (a lost Tooz lock, a
reprocessing task racing the processor) rate the same (scope, period) at
the same moment on MariaDB and PostgreSQL. The account row lock and the
ledger's idempotency keys must leave one charge entry per period and a
balance equal to the sum of the ledger.
"""

import datetime
import multiprocessing
import traceback

from uos_billing.core import ledger
from uos_billing.tests import base
from uos_billing.tests import samples

D = samples.D
POINTS = 200
PERIODS = 6
START = base.utc(2026, 11, 2)
HOUR = datetime.timedelta(hours=1)


def rate_in_child(url, project, period_index, barrier, results):
    """Body of one rating process: configure, wait for the other, rate."""
    try:
        from oslo_config import cfg

        from uos_billing import rating

        cfg.CONF([], project='cloudkitty')
        cfg.CONF.set_override('connection', url, 'database')
        start = START + period_index * HOUR
        frame = samples.frame(start, start + HOUR, [
            samples.point('vm-%03d' % i, 'm1.small', project=project)
            for i in range(POINTS)])
        module = rating.BillingRating(tenant_id=project)
        module.reload_config(start)
        barrier.wait(timeout=60)
        module.process(frame)
        results.put(('ok', period_index))
    except Exception:
        results.put(('error', traceback.format_exc()))


class TestTwoProcessors(base.DBTestCase):

    scenarios = [(name, {'backend': name})
                 for name in ('mysql', 'postgresql')]

    def setUp(self):
        super().setUp()
        self.db.create_product(samples.product('small', 'm1.small',
                                               '0.02'))

    def race(self, project, period_index):
        context = multiprocessing.get_context('spawn')
        barrier = context.Barrier(2)
        results = context.Queue()
        children = [context.Process(target=rate_in_child,
                                    args=(self.database.url, project,
                                          period_index, barrier, results))
                    for _ in range(2)]
        for child in children:
            child.start()
        outcomes = [results.get(timeout=120) for _ in children]
        for child in children:
            child.join(timeout=60)
        self.assertEqual([('ok', period_index)] * 2, outcomes)

    def test_one_charge_entry_per_period(self):
        # The first race also opens the account: both processes insert it.
        for period_index in range(PERIODS):
            self.race('acme', period_index)
        entries = self.db.list_ledger('acme')
        self.assertEqual(
            [(ledger.CHARGE, D('-4.00'), START + i * HOUR)
             for i in range(PERIODS)],
            [(e['kind'], e['amount'], e['period_begin']) for e in entries])
        account = self.db.get_account('acme')
        self.assertEqual(D('-24.00'), account['balance'])
        self.assertEqual(account['balance'],
                         sum(e['amount'] for e in entries))
        self.assertEqual(account['balance'], entries[-1]['balance_after'])
        self.assertEqual(POINTS * PERIODS,
                         len(self.db.list_charges('acme')))
        self.assertEqual(POINTS, len(self.db.list_orders('acme')))
