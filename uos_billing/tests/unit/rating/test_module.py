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
"""The billing rating module on real DataFrames and a real database."""

import sqlalchemy as sa

from cloudkitty import db as ck_db

from uos_billing.core import errors
from uos_billing.core import ledger
from uos_billing import rating
from uos_billing.rating import posting
from uos_billing.rating import service
from uos_billing.tests import base
from uos_billing.tests import samples

D = samples.D
utc = base.utc
H0 = utc(2026, 11, 2, 10)
H1 = utc(2026, 11, 2, 11)
H2 = utc(2026, 11, 2, 12)


class ModuleTestCase(base.DBTestCase):

    def setUp(self):
        super().setUp()
        self.svc = service.BillingService()
        for p in (samples.product('small', 'm1.small', '0.02', monthly='10'),
                  samples.product('medium', 'm1.medium', '0.05',
                                  monthly='25'),
                  samples.product('small-off', 'm1.small', '0.005',
                                  state='shutoff')):
            self.db.create_product(p)

    def rate(self, start, end, points, project='acme'):
        module = rating.BillingRating(tenant_id=project)
        module.reload_config(start)
        return module.process(samples.frame(start, end, points))

    def ledger_amounts(self, project='acme'):
        return [(e['kind'], e['amount']) for e in self.db.list_ledger(project)]

    def balance(self, project='acme'):
        return self.db.get_account(project)['balance']


class TestProcess(ModuleTestCase):

    def test_prices_each_point_on_demand_and_posts_one_entry(self):
        priced = self.rate(H0, H1, [
            samples.point('vm-1', 'm1.small'),
            samples.point('vm-2', 'm1.medium', qty=2),
            samples.point('vm-3', 'm1.small', state='shutoff')])
        self.assertEqual({('vm-1', 'running'): D('0.02'),
                          ('vm-2', 'running'): D('0.10'),
                          ('vm-3', 'shutoff'): D('0.005')},
                         samples.prices(priced))
        self.assertEqual([('charge', D('-0.125'))], self.ledger_amounts())
        self.assertEqual(D('-0.125'), self.balance())
        entry = self.db.list_ledger('acme')[0]
        self.assertEqual('charge:acme:2026-11-02T10:00:00Z',
                         entry['idempotency_key'])
        self.assertEqual((H0, H1), (entry['period_begin'],
                                    entry['period_end']))
        charges = self.db.list_charges('acme')
        self.assertEqual(
            [('vm-1', 'flavor_name=m1.small,state=running', D('0.02'),
              3600, 'small', 'on_demand'),
             ('vm-2', 'flavor_name=m1.medium,state=running', D('0.10'),
              3600, 'medium', 'on_demand'),
             ('vm-3', 'flavor_name=m1.small,state=shutoff', D('0.005'),
              3600, 'small-off', 'on_demand')],
            [(c['resource_id'], c['line_key'], c['amount'],
              c['billed_seconds'], c['product_id'], c['mode'])
             for c in charges])

    def test_a_point_of_a_region_is_priced_by_that_region(self):
        self.db.create_product(samples.product('small-r2', 'm1.small',
                                               '0.04', region='RegionTwo'))
        priced = self.rate(H0, H1, [
            samples.point('vm-1', 'm1.small'),
            samples.point('vm-2', 'm1.small', region='RegionTwo')])
        self.assertEqual({('vm-1', 'running'): D('0.02'),
                          ('vm-2', 'running'): D('0.04')},
                         samples.prices(priced))

    def test_adds_to_the_price_set_by_earlier_modules(self):
        point = samples.point('vm-1', 'm1.small').set_price(D('1.5'))
        priced = self.rate(H0, H1, [point])
        self.assertEqual(D('1.52'), samples.prices(priced)[('vm-1',
                                                            'running')])

    def test_unpriced_point_is_kept_as_a_line_without_product(self):
        priced = self.rate(H0, H1, [samples.point('vm-9', 'm1.huge')])
        self.assertEqual(D('0'), samples.prices(priced)[('vm-9', 'running')])
        [charge] = self.db.list_charges('acme')
        self.assertIsNone(charge['product_id'])
        self.assertEqual(D('0'), charge['amount'])
        # Nothing charged: the line is the period's record, no entry.
        self.assertEqual([], self.ledger_amounts())

    def test_opens_one_on_demand_order_per_resource(self):
        self.rate(H0, H1, [samples.point('vm-1', 'm1.small'),
                           samples.point('vm-1', 'm1.small',
                                         state='shutoff', qty='0.5')])
        self.rate(H1, H2, [samples.point('vm-1', 'm1.small')])
        orders = self.db.list_orders('acme')
        self.assertEqual([('vm-1', 'instance', 'on_demand', 'active')],
                         [(o['resource_id'], o['service'], o['mode'],
                           o['status']) for o in orders])
        self.assertEqual({orders[0]['id']},
                         {c['order_id'] for c in self.db.list_charges(
                             'acme')})

    def test_an_ended_resource_has_its_orders_closed(self):
        self.svc.recharge('acme', '100')
        self.svc.buy('acme', 'vm-2', 'instance', 'small', 'monthly', 1,
                     now=utc(2026, 11, 1))
        points = [samples.point('vm-1', 'm1.small', qty='0.25',
                                ended_at='2026-11-02T10:15:00+00:00'),
                  samples.point('vm-2', 'm1.small', qty='0.5',
                                ended_at='2026-11-02T10:30:00Z'),
                  samples.point('vm-3', 'm1.small')]
        self.rate(H0, H1, points)
        orders = {(o['resource_id'], o['mode']): o
                  for o in self.db.list_orders('acme')}
        self.assertEqual(
            {('vm-1', 'on_demand'): ('closed', utc(2026, 11, 2, 10, 15)),
             ('vm-2', 'on_demand'): ('closed', utc(2026, 11, 2, 10, 30)),
             ('vm-2', 'monthly'): ('closed', H1),
             ('vm-3', 'on_demand'): ('active', None)},
            {k: (o['status'], o['closed_at']) for k, o in orders.items()})
        self.assertEqual(H0, orders[('vm-1', 'on_demand')]['term_start'])
        # 10.00 for Nov 1 to Dec 1, unused from the end of the period that
        # saw the end, Nov 2 11:00: 2466000 s of 2592000 s.
        refund = self.db.list_ledger('acme')[-2]
        self.assertEqual(('refund', D('9.5138888889')),
                         (refund['kind'], refund['amount']))
        before = (self.db.list_ledger('acme'), self.db.list_orders('acme'),
                  self.db.get_account('acme'))
        self.rate(H0, H1, points)
        self.assertEqual(before, (self.db.list_ledger('acme'),
                                  self.db.list_orders('acme'),
                                  self.db.get_account('acme')))

    def test_an_end_after_alive_points_is_seen(self):
        # As uos_gnocchi sends them: every point has ended_at, empty for
        # the resources alive, and the ended one is not the first.
        points = [samples.point('vm-1', 'm1.small', ended_at=''),
                  samples.point('vm-2', 'm1.small', qty='0.5',
                                ended_at='2026-11-02T10:30:00+00:00')]
        self.rate(H0, H1, points)
        self.assertEqual(
            {'vm-1': ('active', None),
             'vm-2': ('closed', utc(2026, 11, 2, 10, 30))},
            {o['resource_id']: (o['status'], o['closed_at'])
             for o in self.db.list_orders('acme')})

    def test_rerating_an_unchanged_period_writes_nothing(self):
        points = [samples.point('vm-1', 'm1.small'),
                  samples.point('vm-2', 'm1.medium')]
        self.rate(H0, H1, points)
        before = (self.db.list_ledger('acme'), self.db.list_charges('acme'),
                  self.db.get_account('acme'))
        priced = self.rate(H0, H1, points)
        self.assertEqual(before, (self.db.list_ledger('acme'),
                                  self.db.list_charges('acme'),
                                  self.db.get_account('acme')))
        self.assertEqual({('vm-1', 'running'): D('0.02'),
                          ('vm-2', 'running'): D('0.05')},
                         samples.prices(priced))

    def test_rerating_with_the_same_total_rewrites_changed_lines(self):
        self.rate(H0, H1, [samples.point('vm-1', 'm1.small')])
        entries = self.db.list_ledger('acme')
        self.rate(H0, H1, [samples.point('vm-1', 'm1.small'),
                           samples.point('vm-9', 'm1.huge')])
        self.assertEqual(entries, self.db.list_ledger('acme'))
        self.assertEqual([('vm-1', D('0.02')), ('vm-9', D('0'))],
                         [(c['resource_id'], c['amount'])
                          for c in self.db.list_charges('acme')])

    def test_an_end_known_only_at_rerating_closes_the_orders(self):
        self.rate(H0, H1, [samples.point('vm-1', 'm1.small')])
        self.rate(H0, H1, [samples.point(
            'vm-1', 'm1.small', ended_at='2026-11-02T11:00:00Z')])
        [order] = self.db.list_orders('acme')
        self.assertEqual(('closed', H1), (order['status'],
                                          order['closed_at']))
        self.assertEqual(1, len(self.db.list_ledger('acme')))

    def test_rerating_a_changed_period_writes_one_adjustment(self):
        self.rate(H0, H1, [samples.point('vm-1', 'm1.small')])
        self.rate(H0, H1, [samples.point('vm-1', 'm1.small'),
                           samples.point('vm-2', 'm1.medium')])
        self.rate(H0, H1, [samples.point('vm-2', 'm1.medium')])
        entries = self.db.list_ledger('acme')
        self.assertEqual(
            [('charge', D('-0.02'), 'charge:acme:2026-11-02T10:00:00Z'),
             ('adjustment', D('-0.05'),
              'adjustment:acme:2026-11-02T10:00:00Z:1'),
             ('adjustment', D('0.02'),
              'adjustment:acme:2026-11-02T10:00:00Z:2')],
            [(e['kind'], e['amount'], e['idempotency_key'])
             for e in entries])
        self.assertEqual(D('-0.05'), self.balance())
        self.assertEqual(['vm-2'], [c['resource_id'] for c in
                                    self.db.list_charges('acme')])

    def test_prepaid_term_makes_its_seconds_free(self):
        self.svc.recharge('acme', '100')
        self.svc.buy('acme', 'vm-1', 'instance', 'small', 'monthly', 1,
                     now=utc(2026, 11, 2, 10, 15))
        priced = self.rate(H0, H1, [samples.point('vm-1', 'm1.small'),
                                    samples.point('vm-2', 'm1.small')])
        # 15 minutes of 60 on demand: 0.02 x 900 / 3600.
        self.assertEqual({('vm-1', 'running'): D('0.005'),
                          ('vm-2', 'running'): D('0.02')},
                         samples.prices(priced))
        priced = self.rate(H1, H2, [samples.point('vm-1', 'm1.small')])
        self.assertEqual({('vm-1', 'running'): D('0')},
                         samples.prices(priced))
        charges = self.db.list_charges('acme')
        self.assertEqual([(900, 'on_demand'), (3600, 'on_demand'),
                          (0, 'monthly')],
                         [(c['billed_seconds'], c['mode'])
                          for c in charges])
        self.assertEqual(D('100') - D('10') - D('0.025'), self.balance())

    def test_term_does_not_cover_points_its_product_does_not_match(self):
        self.db.create_product(samples.product(
            'small-run', 'm1.small', '0.03', monthly='12', state='running'))
        self.svc.recharge('acme', '100')
        self.svc.buy('acme', 'vm-1', 'instance', 'small-run', 'monthly', 1,
                     now=H0)
        priced = self.rate(H0, H1, [
            samples.point('vm-1', 'm1.small', qty='0.5'),
            samples.point('vm-1', 'm1.small', qty='0.5', state='shutoff')])
        self.assertEqual({('vm-1', 'running'): D('0'),
                          ('vm-1', 'shutoff'): D('0.0025')},
                         samples.prices(priced))

    def test_currency_mismatch_stops_the_period_and_writes_nothing(self):
        self.db.create_product(samples.product('usd', 'm1.tiny', '1',
                                               currency='USD'))
        self.svc.recharge('acme', '5')
        before = self.db.list_ledger('acme')
        with self.assertLogs('uos_billing.rating.posting', 'ERROR') as logs:
            self.assertRaises(errors.CurrencyMismatch, self.rate, H0, H1,
                              [samples.point('vm-1', 'm1.small'),
                               samples.point('vm-2', 'm1.tiny')])
        self.assertIn('project acme', logs.output[0])
        self.assertIn('product usd', logs.output[0])
        self.assertEqual(before, self.db.list_ledger('acme'))
        self.assertEqual([], self.db.list_charges('acme'))
        self.assertEqual([], self.db.list_orders('acme'))

    def test_owed_and_low_balance_notifications(self):
        self.db.create_product(samples.product('big', 'm1.big', '3'))
        self.svc.recharge('acme', '5')
        with ck_db.session_for_write() as session:
            session.execute(sa.text(
                "UPDATE billing_account SET low_balance_threshold = '4'"))
        self.rate(H0, H1, [samples.point('vm-1', 'm1.big')])
        self.assertEqual([], [e for e, _ in self.notifications()
                              if e != ledger.EVENT_BALANCE_LOW])
        self.assertEqual([ledger.EVENT_BALANCE_LOW],
                         [e for e, _ in self.notifications()])
        self.rate(H1, H2, [samples.point('vm-1', 'm1.big')])
        account = self.db.get_account('acme')
        self.assertEqual('owed', account['status'])
        self.assertIsNotNone(account['owed_since'])
        events = self.notifications()
        self.assertEqual([ledger.EVENT_BALANCE_LOW, ledger.EVENT_OWED],
                         [e for e, _ in events])
        self.assertEqual({'project_id': 'acme', 'balance': '-1.0000000000',
                          'status': 'owed', 'currency': 'EUR'},
                         {k: events[1][1][k] for k in
                          ('project_id', 'balance', 'status', 'currency')})
        self.svc.recharge('acme', '1')
        self.assertEqual('active', self.db.get_account('acme')['status'])
        self.assertEqual(ledger.EVENT_RESTORED, self.notifications()[-1][0])


class TestRenewal(ModuleTestCase):
    """Terms that end inside the rated period renew or expire."""

    def setUp(self):
        super().setUp()
        self.svc.recharge('acme', '30')
        # Ends Dec 2 10:30, inside the period Dec 2 10:00 - 11:00.
        self.order = self.svc.buy('acme', 'vm-1', 'instance', 'small',
                                  'monthly', 1, auto_renew=True,
                                  now=utc(2026, 11, 2, 10, 30))
        self.start = utc(2026, 12, 2, 10)
        self.end = utc(2026, 12, 2, 11)

    def rate_term_end(self):
        return samples.prices(self.rate(
            self.start, self.end, [samples.point('vm-1', 'm1.small')]))

    def order_now(self):
        return [o for o in self.db.list_orders('acme')
                if o['id'] == self.order['id']][0]

    def test_renews_with_funds(self):
        self.assertEqual({('vm-1', 'running'): D('0')},
                         self.rate_term_end())
        order = self.order_now()
        self.assertEqual(('active', 1, utc(2026, 12, 2, 10, 30),
                          utc(2027, 1, 2, 10, 30)),
                         (order['status'], order['renewals'],
                          order['term_start'], order['term_end']))
        self.assertEqual(D('10'), self.balance())
        self.assertEqual(posting.EVENT_RENEWED,
                         self.notifications()[-1][0])

    def assert_expired(self):
        # Half of the period after the term's end is on demand.
        self.assertEqual({('vm-1', 'running'): D('0.01')},
                         self.rate_term_end())
        order = self.order_now()
        self.assertEqual(('expired', utc(2026, 12, 2, 10, 30)),
                         (order['status'], order['closed_at']))
        self.assertIn(posting.EVENT_EXPIRED,
                      [e for e, _ in self.notifications()])

    def test_expires_without_auto_renew(self):
        self.svc.set_auto_renew('acme', self.order['id'], False)
        self.assert_expired()
        self.assertEqual(D('19.99'), self.balance())

    def test_expires_without_funds(self):
        self.svc.buy('acme', 'vm-2', 'instance', 'small', 'monthly', 2,
                     now=utc(2026, 11, 2, 10, 30))
        self.assert_expired()
        self.assertEqual(D('-0.01'), self.balance())

    def test_a_frozen_account_does_not_renew(self):
        with ck_db.session_for_write() as session:
            session.execute(sa.text(
                "UPDATE billing_account SET status = 'frozen'"))
        self.assert_expired()

    def test_expires_without_a_product_in_effect(self):
        self.db.end_product('small', utc(2026, 12, 1))
        self.db.create_product(samples.product(
            'small-od', 'm1.small', '0.02', since=utc(2026, 12, 1)))
        self.assert_expired()


class TestPriceBookRevision(ModuleTestCase):

    def test_a_price_change_reaches_the_next_period(self):
        self.assertEqual(D('0.02'), samples.prices(self.rate(
            H0, H1, [samples.point('vm-1', 'm1.small')]))[('vm-1',
                                                           'running')])
        revision = self.db.price_book_fingerprint()
        self.db.end_product('small', H1)
        self.db.create_product(samples.product('small-2', 'm1.small',
                                               '0.03', since=H1))
        self.assertEqual(revision + 2, self.db.price_book_fingerprint())
        self.assertEqual(D('0.03'), samples.prices(self.rate(
            H1, H2, [samples.point('vm-1', 'm1.small')]))[('vm-1',
                                                           'running')])

    def test_ending_before_the_start_is_refused(self):
        e = self.assertRaises(errors.InvalidInput, self.db.end_product,
                              'small', utc(2025, 1, 1))
        self.assertEqual('effective_to', e.field)
        self.assertRaises(errors.NotFound, self.db.end_product, 'nope', H1)

    def test_an_overlapping_product_is_a_conflict(self):
        revision = self.db.price_book_fingerprint()
        self.assertRaises(errors.Conflict, self.db.create_product,
                          samples.product('small-bis', 'm1.small', '1'))
        self.assertEqual(revision, self.db.price_book_fingerprint())


class TestQuote(ModuleTestCase):

    def test_quote_prices_like_process_and_writes_nothing(self):
        points = [samples.point('vm-1', 'm1.small', qty=3),
                  samples.point('vm-2', 'm1.medium', state='shutoff')]
        for tenant in (None, 'acme'):
            module = rating.BillingRating(tenant_id=tenant)
            quoted = module.quote(samples.frame(H0, H1, points))
            self.assertEqual({('vm-1', 'running'): D('0.06'),
                              ('vm-2', 'shutoff'): D('0.05')},
                             samples.prices(quoted))
        self.assertRaises(errors.NotFound, self.db.get_account, 'acme')
        self.assertEqual([], self.db.list_orders('acme'))

    def test_process_without_scope_is_a_quote(self):
        module = rating.BillingRating()
        priced = module.process(samples.frame(
            H0, H1, [samples.point('vm-1', 'm1.small')]))
        self.assertEqual(D('0.02'), samples.prices(priced)[('vm-1',
                                                            'running')])
        self.assertEqual([], self.db.list_charges('acme'))


class TestLoading(ModuleTestCase):
    """The price book and orders are read once per period, not per point."""

    def count_statements(self, project, points, start=H0, end=H1):
        statements = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        with ck_db.session_for_read() as session:
            engine = session.get_bind()
        sa.event.listen(engine, 'before_cursor_execute', record)
        try:
            module = rating.BillingRating(tenant_id=project)
            module.reload_config(start)
            module.process(samples.frame(start, end, points))
        finally:
            sa.event.remove(engine, 'before_cursor_execute', record)
        return statements

    def test_next_period_reuses_the_on_demand_orders_it_left(self):
        points = [samples.point('vm-%d' % i, 'm1.small') for i in range(5)]

        def full_order_reads(statements):
            return len([s for s in statements
                        if s.startswith('SELECT billing_order.id')
                        and 'billing_order.mode IN' not in s])

        self.rate(H0, H1, points)
        # Nobody else wrote: the orders this process left are reused.
        self.assertEqual(0, full_order_reads(
            self.count_statements('acme', points, H1, H2)))
        # Another writer (a recharge) moved the revision: read them again.
        self.svc.recharge('acme', '1')
        h3 = utc(2026, 11, 2, 13)
        self.assertEqual(1, full_order_reads(
            self.count_statements('acme', points, H2, h3)))
        self.assertEqual(5, len(self.db.list_orders('acme')))
        self.assertEqual(
            [D('-0.10')] * 3,
            [e['amount'] for e in self.db.list_ledger('acme')
             if e['kind'] == 'charge'])

    def test_statement_count_does_not_grow_with_points(self):
        few = self.count_statements('p1', [
            samples.point('vm-%d' % i, 'm1.small', project='p1')
            for i in range(3)])
        self.db.create_product(samples.product('other', 'm1.other', '1'))
        many = self.count_statements('p2', [
            samples.point('vm-%d' % i, 'm1.small', project='p2')
            for i in range(300)])
        self.assertEqual(len(few), len(many))
        # The price book did not change: it is not loaded again.
        again = self.count_statements('p3', [
            samples.point('vm-%d' % i, 'm1.small', project='p3')
            for i in range(300)])

        def product_loads(statements):
            return len([s for s in statements
                        if s.startswith('SELECT billing_product.id')])

        self.assertEqual((1, 0), (product_loads(many),
                                  product_loads(again)))
