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
"""A month of one project, rated day by day, with figures worked by hand.

Price book (EUR): m1.small 0.02/h (monthly 10.00; from Nov 8 a new row
prices the month 12.00), m1.medium 0.05/h (monthly 25.00), a stopped
m1.small 0.005/h (state: shutoff). November 2026 has 30 days; CloudKitty
rates daily periods and each point's qty is the hours of its state.

- vm-a m1.small on demand all month:          720 h x 0.02  = 14.40
- vm-b m1.medium on demand all month:         720 h x 0.05  = 36.00
- vm-c m1.small running Nov 1-10 and 21-30,   480 h x 0.02  =  9.60
  shut off Nov 11-20:                         240 h x 0.005 =  1.20
- vm-d m1.medium, monthly term bought Nov 5 12:00 (25.00); on demand
  before that: 4 days + 12 h = 108 h x 0.05                  =  5.40
- vm-e m1.small, monthly term bought Nov 1 00:00 (10.00), cancelled
  Nov 16 00:00: refund 10.00 x 15/30 days = 5.00; on demand
  Nov 16-30: 360 h x 0.02                                    =  7.20
- vm-f m1.small, term bought Oct 10 (10.00) with auto-renew: renewed at
  Nov 10 00:00 at the price then in effect, 12.00; never on demand.

Ledger: Oct 1 recharge 100.00, Oct 10 vm-f -10.00 -> 90.00; November:
payments -10.00 (vm-e) -25.00 (vm-d) -12.00 (vm-f renewal), refund +5.00,
30 daily charges totalling -73.80 -> -25.80, owed since Nov 21 (the day
charge of 2.64 takes 0.60 to -2.04); Dec 1 recharge 30.00 -> 4.20,
restored. The balance first drops under the 20.00 threshold on Nov 10
(renewal: 30.16 -> 18.16).
"""

import datetime

from uos_billing.core import ledger
from uos_billing import rating
from uos_billing.rating import posting
from uos_billing.tests import base
from uos_billing.tests import samples
from uos_billing.tests.unit.rating import test_module

D = samples.D
utc = base.utc
DAY = 86400

# (vm, flavor, state) per day of November, 1-based days inclusive.
LIVES = {
    'vm-a': [(1, 30, 'm1.small', 'running')],
    'vm-b': [(1, 30, 'm1.medium', 'running')],
    'vm-c': [(1, 10, 'm1.small', 'running'), (11, 20, 'm1.small', 'shutoff'),
             (21, 30, 'm1.small', 'running')],
    'vm-d': [(1, 30, 'm1.medium', 'running')],
    'vm-e': [(1, 30, 'm1.small', 'running')],
    'vm-f': [(1, 30, 'm1.small', 'running')],
}


def points_of_day(day):
    for vm, lives in sorted(LIVES.items()):
        for first, last, flavor, state in lives:
            if first <= day <= last:
                yield samples.point(vm, flavor, qty=24, state=state)


class TestMonth(test_module.ModuleTestCase):

    def setUp(self):
        super().setUp()
        self.conf.set_override('period', DAY, 'collect')
        # The price book of ModuleTestCase, with the m1.small price change
        # of Nov 8 as a new row.
        self.db.end_product('small', utc(2026, 11, 8))
        self.db.create_product(samples.product(
            'small-nov8', 'm1.small', '0.02', monthly='12',
            since=utc(2026, 11, 8)))
        self.conf.set_override('default_low_balance_threshold', '20',
                               'billing')

    def rate_day(self, day):
        start = utc(2026, 11, day)
        end = start + datetime.timedelta(seconds=DAY)
        module = rating.BillingRating(tenant_id='acme')
        module.reload_config(start)
        module.process(samples.frame(start, end, points_of_day(day)))

    def run_month(self):
        self.svc.recharge('acme', '100.00', now=utc(2026, 10, 1))
        vm_f = self.svc.buy('acme', 'vm-f', 'instance', 'small', 'monthly',
                            1, auto_renew=True, now=utc(2026, 10, 10))
        vm_e = self.svc.buy('acme', 'vm-e', 'instance', 'small', 'monthly',
                            1, now=utc(2026, 11, 1))
        for day in range(1, 31):
            if day == 5:
                self.svc.buy('acme', 'vm-d', 'instance', 'medium',
                             'monthly', 1, now=utc(2026, 11, 5, 12))
            if day == 16:
                self.svc.cancel('acme', vm_e['id'], now=utc(2026, 11, 16))
            self.rate_day(day)
        return vm_e, vm_f

    def test_month(self):
        vm_e, vm_f = self.run_month()
        self.assertEqual(D('-25.80'), self.balance())
        self.assertEqual('owed', self.db.get_account('acme')['status'])

        charges = {}
        for charge in self.db.list_charges('acme'):
            key = (charge['resource_id'], charge['line_key'].split(
                'state=')[1])
            charges[key] = charges.get(key, D(0)) + charge['amount']
        self.assertEqual({('vm-a', 'running'): D('14.40'),
                          ('vm-b', 'running'): D('36.00'),
                          ('vm-c', 'running'): D('9.60'),
                          ('vm-c', 'shutoff'): D('1.20'),
                          ('vm-d', 'running'): D('5.40'),
                          ('vm-e', 'running'): D('7.20'),
                          ('vm-f', 'running'): D('0')}, charges)

        entries = self.db.list_ledger('acme')
        others = [(e['kind'], e['amount'], e['order_id'])
                  for e in entries if e['kind'] != ledger.CHARGE]
        vm_d = [o for o in self.db.list_orders('acme')
                if o['resource_id'] == 'vm-d' and o['mode'] == 'monthly'][0]
        self.assertEqual([('recharge', D('100.00'), None),
                          ('order_payment', D('-10.00'), vm_f['id']),
                          ('order_payment', D('-10.00'), vm_e['id']),
                          ('order_payment', D('-25.00'), vm_d['id']),
                          ('order_payment', D('-12.00'), vm_f['id']),
                          ('refund', D('5.00'), vm_e['id'])], others)
        daily = [e['amount'] for e in entries if e['kind'] == ledger.CHARGE]
        self.assertEqual(
            [D('-3.36')] * 4 + [D('-2.76')] + [D('-2.16')] * 5 +
            [D('-1.80')] * 5 + [D('-2.28')] * 5 + [D('-2.64')] * 10, daily)
        self.assertEqual(
            (D('-25.80'), D('-25.80')),
            (sum(e['amount'] for e in entries), entries[-1]['balance_after']))

        renewed = [o for o in self.db.list_orders('acme')
                   if o['id'] == vm_f['id']][0]
        self.assertEqual(('active', 1, 'small-nov8', D('12'),
                          utc(2026, 11, 10), utc(2026, 12, 10)),
                         (renewed['status'], renewed['renewals'],
                          renewed['product_id'], renewed['unit_price'],
                          renewed['term_start'], renewed['term_end']))
        self.assertEqual([ledger.EVENT_BALANCE_LOW, posting.EVENT_RENEWED,
                          ledger.EVENT_OWED],
                         sorted([e for e, _ in self.notifications()],
                                key=[ledger.EVENT_BALANCE_LOW,
                                     posting.EVENT_RENEWED,
                                     ledger.EVENT_OWED].index))

        self.svc.recharge('acme', '30.00', now=utc(2026, 12, 1))
        account = self.db.get_account('acme')
        self.assertEqual((D('4.20'), 'active', None),
                         (account['balance'], account['status'],
                          account['owed_since']))
        self.assertEqual(ledger.EVENT_RESTORED, self.notifications()[-1][0])

    def test_rerating_the_month_changes_nothing(self):
        self.run_month()
        before = (self.db.list_ledger('acme'), self.db.list_charges('acme'),
                  self.db.list_orders('acme'), self.db.get_account('acme'))
        for day in range(1, 31):
            self.rate_day(day)
        self.assertEqual(before, (self.db.list_ledger('acme'),
                                  self.db.list_charges('acme'),
                                  self.db.list_orders('acme'),
                                  self.db.get_account('acme')))
