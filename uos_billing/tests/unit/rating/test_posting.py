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
"""What a posting writes: no zero entries, per-service records, ended
periods only."""

import datetime

from cloudkitty import dataframe
from oslo_utils import timeutils
import sqlalchemy as sa

from cloudkitty import db as ck_db

from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing import rating
from uos_billing.rating import accounts
from uos_billing.rating.db.sqlalchemy import models
from uos_billing.tests import base
from uos_billing.tests import samples
from uos_billing.tests.unit.rating import test_module

D = samples.D
utc = base.utc
H0, H1, H2 = test_module.H0, test_module.H1, test_module.H2


def volume(vol, qty):
    return dataframe.DataPoint(
        unit='GiB', qty=qty, price=0,
        groupby={'id': vol, 'project_id': 'acme'}, metadata={})


def at(now):
    """Set the clock of the posting (its entries' created_at)."""
    timeutils.set_time_override(now)


class PostingTestCase(test_module.ModuleTestCase):

    def setUp(self):
        super().setUp()
        self.addCleanup(timeutils.clear_time_override)
        self.db.create_product(samples.product('vol', on_demand='0.01',
                                               service='volume'))

    def rate_services(self, start, end, instances, volumes=()):
        module = rating.BillingRating(tenant_id='acme')
        module.reload_config(start)
        return module.process(dataframe.DataFrame(
            start=start, end=end,
            usage={'instance': list(instances), 'volume': list(volumes)}))

    def service_charges(self):
        with ck_db.session_for_read() as session:
            return [tuple(row) for row in session.execute(
                sa.select(models.ServiceCharge.period_begin,
                          models.ServiceCharge.service,
                          models.ServiceCharge.amount)
                .order_by(models.ServiceCharge.id))]

    def naive(self, rows):
        return [(clock.naive_utc(begin), service, amount)
                for begin, service, amount in rows]


class TestNoZeroEntries(PostingTestCase):

    def test_a_period_under_a_prepaid_term_has_lines_and_no_entry(self):
        self.svc.recharge('acme', '100', now=utc(2026, 11, 1))
        self.svc.buy('acme', 'vm-1', 'instance', 'small', 'monthly', 1,
                     now=utc(2026, 11, 1))
        for begin, end in ((H0, H1), (H1, H2)):
            self.rate(begin, end, [samples.point('vm-1', 'm1.small')])
        self.assertEqual([('recharge', D('100')),
                          ('order_payment', D('-10'))],
                         self.ledger_amounts())
        self.assertEqual([(H0, 'monthly', D('0')), (H1, 'monthly', D('0'))],
                         [(c['period_begin'], c['mode'], c['amount'])
                          for c in self.db.list_charges('acme')])
        # Rated once: again with the same data writes nothing at all.
        before = (self.db.list_ledger('acme'), self.db.list_charges('acme'),
                  self.db.get_account('acme'))
        self.rate(H0, H1, [samples.point('vm-1', 'm1.small')])
        self.assertEqual(before, (self.db.list_ledger('acme'),
                                  self.db.list_charges('acme'),
                                  self.db.get_account('acme')))
        self.assertEqual([], self.service_charges())

    def test_the_first_charge_after_a_zero_rating_is_the_charge(self):
        self.rate(H0, H1, [samples.point('vm-9', 'm1.huge')])
        self.assertEqual([], self.ledger_amounts())
        self.rate(H0, H1, [samples.point('vm-9', 'm1.huge'),
                           samples.point('vm-1', 'm1.small')])
        self.rate(H0, H1, [samples.point('vm-9', 'm1.huge')])
        self.assertEqual(
            [('charge', D('-0.02'), 'charge:acme:2026-11-02T10:00:00Z'),
             ('adjustment', D('0.02'),
              'adjustment:acme:2026-11-02T10:00:00Z:1')],
            [(e['kind'], e['amount'], e['idempotency_key'])
             for e in self.db.list_ledger('acme')])
        self.assertEqual(D('0'), self.balance())
        self.assertEqual(['vm-9'], [c['resource_id']
                                    for c in self.db.list_charges('acme')])

    def test_a_period_posted_by_a_processor_before_the_upgrade(self):
        # Such a processor wrote the charge entry and lines, no rated row.
        self.rate(H0, H1, [samples.point('vm-1', 'm1.small')])
        with ck_db.session_for_write() as session:
            session.execute(sa.delete(models.RatedPeriod))
        self.rate(H0, H1, [samples.point('vm-1', 'm1.small'),
                           samples.point('vm-2', 'm1.medium')])
        self.assertEqual([('charge', D('-0.02')),
                          ('adjustment', D('-0.05'))], self.ledger_amounts())
        self.assertEqual(['vm-1', 'vm-2'], [
            c['resource_id'] for c in self.db.list_charges('acme')])

    def test_a_period_without_usage_writes_nothing(self):
        self.rate(H0, H1, [])
        self.assertEqual([], self.ledger_amounts())
        self.assertEqual([], self.db.list_charges('acme'))


class TestServiceCharges(PostingTestCase):

    def statement(self, month):
        result = accounts.AccountService().statement('acme', month)
        return (result['charges'], result['charges_total'],
                result['adjustments'])

    def test_each_entry_records_what_it_charged_per_service(self):
        at(utc(2026, 11, 2, 12))
        self.rate_services(H0, H1, [samples.point('vm-1', 'm1.small'),
                                    samples.point('vm-2', 'm1.medium')],
                           [volume('vol-1', 1)])
        self.assertEqual(self.naive([(H0, 'instance', D('0.07')),
                                     (H0, 'volume', D('0.01'))]),
                         self.service_charges())
        november = self.statement('2026-11')
        self.assertEqual(({'instance': D('0.07'), 'volume': D('0.01')},
                          D('0.08'), D('0')), november)

        # Re-rated in December: vm-2's point is gone, vol-1 is 3 GiB.
        at(utc(2026, 12, 1, 1))
        self.rate_services(H0, H1, [samples.point('vm-1', 'm1.small')],
                           [volume('vol-1', 3)])
        self.assertEqual([('charge', D('-0.08')), ('adjustment', D('0.03'))],
                         self.ledger_amounts())
        self.assertEqual(self.naive([(H0, 'instance', D('0.07')),
                                     (H0, 'volume', D('0.01')),
                                     (H0, 'instance', D('-0.05')),
                                     (H0, 'volume', D('0.02'))]),
                         self.service_charges())
        # The closed month keeps its breakdown; December's is the
        # adjustment's difference, adding up to charges minus adjustments.
        self.assertEqual(november, self.statement('2026-11'))
        self.assertEqual(({'instance': D('-0.05'), 'volume': D('0.02')},
                          D('0'), D('0.03')), self.statement('2026-12'))

    def test_an_unchanged_rerating_records_nothing_more(self):
        at(utc(2026, 11, 2, 12))
        points = [samples.point('vm-1', 'm1.small')]
        self.rate_services(H0, H1, points, [volume('vol-1', 2)])
        self.rate_services(H0, H1, points, [volume('vol-1', 2)])
        self.assertEqual(self.naive([(H0, 'instance', D('0.02')),
                                     (H0, 'volume', D('0.02'))]),
                         self.service_charges())


class TestPeriodNotOver(PostingTestCase):

    def test_a_period_not_over_is_refused_and_nothing_written(self):
        at(H1 - datetime.timedelta(seconds=1))
        e = self.assertRaises(errors.PeriodNotOver, self.rate, H0, H1,
                              [samples.point('vm-1', 'm1.small')])
        self.assertIn('the period ending at 2026-11-02T11:00:00+00:00 is '
                      'not over at 2026-11-02T10:59:59+00:00', str(e))
        self.assertRaises(errors.NotFound, self.db.get_account, 'acme')
        self.assertEqual([], self.db.list_charges('acme'))
        self.assertEqual([], self.db.list_orders('acme'))

    def test_the_refusal_says_once_which_option_lets_it_happen(self):
        self.conf.set_override('wait_periods', 0, 'collect')
        self.addCleanup(rating._HINTED.clear)
        rating._HINTED.clear()
        at(H1 - datetime.timedelta(seconds=1))
        with self.assertLogs('uos_billing.rating', 'WARNING') as logs:
            for _cycle in range(3):
                self.assertRaises(errors.PeriodNotOver, self.rate, H0, H1,
                                  [samples.point('vm-1', 'm1.small')])
        [hint] = [r.getMessage() for r in logs.records
                  if 'wait_periods' in r.getMessage()]
        self.assertIn('[collect] wait_periods = 0', hint)

    def test_a_quote_of_it_is_priced(self):
        at(H0)
        module = rating.BillingRating(tenant_id='acme')
        module.reload_config(H0)
        priced = module.quote(samples.frame(
            H0, H1, [samples.point('vm-1', 'm1.small')]))
        self.assertEqual({('vm-1', 'running'): D('0.02')},
                         samples.prices(priced))
        self.assertEqual([], self.db.list_charges('acme'))

    def test_a_period_ending_now_is_rated(self):
        at(H1)
        self.rate(H0, H1, [samples.point('vm-1', 'm1.small')])
        self.assertEqual([('charge', D('-0.02'))], self.ledger_amounts())
