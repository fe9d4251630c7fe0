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
"""A period after one this process posted: the scope read by the posting."""

from uos_billing import rating
from uos_billing.rating import service
from uos_billing.tests import base
from uos_billing.tests import samples

D = samples.D
utc = base.utc
H0 = utc(2026, 11, 2, 10)
H1 = utc(2026, 11, 2, 11)
H2 = utc(2026, 11, 2, 12)


class TestSteadyState(base.DBTestCase):

    def setUp(self):
        super().setUp()
        self.svc = service.BillingService()
        self.db.create_product(samples.product('small', 'm1.small', '0.02',
                                               monthly='10'))

    def rate(self, start, end, points, project='acme'):
        module = rating.BillingRating(tenant_id=project)
        module.reload_config(start)
        return module.process(samples.frame(start, end, points))

    def charges(self):
        return [(e['kind'], e['amount'], e['period_begin'])
                for e in self.db.list_ledger('acme')
                if e['kind'] in ('charge', 'adjustment')]

    def test_a_period_posted_before_is_not_charged_again(self):
        # CloudKitty reprocessing: H1 is rated, then H0, then H1 again, by
        # this process, nobody else writing in between.
        points = [samples.point('vm-1', 'm1.small')]
        self.rate(H1, H2, points)
        self.rate(H0, H1, points)
        self.rate(H1, H2, points)
        self.assertEqual([('charge', D('-0.02'), H1),
                          ('charge', D('-0.02'), H0)], self.charges())
        self.assertEqual(D('-0.04'), self.db.get_account('acme')['balance'])
        # Rated again with more usage: one adjustment.
        self.rate(H0, H1, points)
        self.rate(H1, H2, points + [samples.point('vm-2', 'm1.small')])
        self.assertEqual([('charge', D('-0.02'), H1),
                          ('charge', D('-0.02'), H0),
                          ('adjustment', D('-0.02'), H1)], self.charges())
        self.assertEqual(2, len(self.db.list_orders('acme')))

    def test_quote_after_reload_reads_the_prepaid_coverage(self):
        self.svc.recharge('acme', '100')
        self.svc.buy('acme', 'vm-1', 'instance', 'small', 'monthly', 1,
                     now=H0)
        points = [samples.point('vm-1', 'm1.small'),
                  samples.point('vm-2', 'm1.small')]
        self.rate(H0, H1, points)
        module = rating.BillingRating(tenant_id='acme')
        module.reload_config(H1)
        self.assertEqual({('vm-1', 'running'): D('0'),
                          ('vm-2', 'running'): D('0.02')},
                         samples.prices(module.quote(
                             samples.frame(H1, H2, points))))
        self.assertEqual({('vm-1', 'running'): D('0'),
                          ('vm-2', 'running'): D('0.02')},
                         samples.prices(module.process(
                             samples.frame(H1, H2, points))))
        self.assertEqual(D('100') - D('10') - D('0.04'),
                         self.db.get_account('acme')['balance'])
