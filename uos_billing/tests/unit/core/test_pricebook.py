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
"""Tests of uos_billing.core.pricebook (SPEC sections 3 and 4)."""

import decimal

from uos_billing.core import errors
from uos_billing.core import pricebook
from uos_billing.tests import base

D = decimal.Decimal
utc = base.utc

JAN = utc(2026, 1, 1)
MAR = utc(2026, 3, 1)


def product(id, match=None, region='*', price='1', effective_from=JAN,
            effective_to=None, service='instance', **fields):
    return pricebook.Product.build(
        id=id, service=service, on_demand_price=D(price), currency='EUR',
        effective_from=effective_from, effective_to=effective_to,
        region=region, match=match, **fields)


class ProductTest(base.TestCase):

    def test_build_sorts_and_stringifies_match(self):
        p = product('p', match={'vcpus': 2, 'flavor_name': 'm1.small'})
        self.assertEqual((('flavor_name', 'm1.small'), ('vcpus', '2')),
                         p.match)
        self.assertEqual({'flavor_name': 'm1.small', 'vcpus': '2'},
                         p.match_dict)

    def test_build_without_match(self):
        self.assertEqual((), product('p').match)

    def test_specificity(self):
        self.assertEqual((0, False), product('p').specificity)
        self.assertEqual((0, True), product('p', region='R1').specificity)
        self.assertEqual((2, False),
                         product('p', match={'a': '1', 'b': '2'}).specificity)

    def test_in_effect_is_half_open(self):
        p = product('p', effective_from=JAN, effective_to=MAR)
        self.assertFalse(p.in_effect(utc(2025, 12, 31, 23, 59, 59)))
        self.assertTrue(p.in_effect(JAN))
        self.assertTrue(p.in_effect(utc(2026, 2, 28, 23, 59, 59)))
        self.assertFalse(p.in_effect(MAR))

    def test_open_ended(self):
        self.assertTrue(product('p').in_effect(utc(2099, 1, 1)))

    def test_matches(self):
        p = product('p', match={'flavor_name': 'm1.small', 'vcpus': 2})
        self.assertTrue(p.matches({'flavor_name': 'm1.small', 'vcpus': 2}))
        self.assertTrue(p.matches({'flavor_name': 'm1.small', 'vcpus': '2',
                                   'state': 'running'}))
        self.assertFalse(p.matches({'flavor_name': 'm1.small'}))
        self.assertFalse(p.matches({'flavor_name': 'm1.small',
                                    'vcpus': None}))
        self.assertFalse(p.matches({'flavor_name': 'm1.large', 'vcpus': 2}))

    def test_empty_match_matches_all(self):
        self.assertTrue(product('p').matches({}))
        self.assertTrue(product('p').matches({'flavor_name': 'x'}))

    def test_covers_region(self):
        self.assertTrue(product('p').covers_region('RegionOne'))
        self.assertTrue(product('p', region='R1').covers_region('R1'))
        self.assertFalse(product('p', region='R1').covers_region('R2'))

    def test_prepaid_price(self):
        p = product('p', monthly_price=D('30.00'), yearly_price=D('300.00'))
        self.assertEqual(D('30.00'), p.prepaid_price('monthly'))
        self.assertEqual(D('300.00'), p.prepaid_price('yearly'))
        self.assertIsNone(product('q').prepaid_price('monthly'))
        e = self.assertRaises(errors.InvalidInput, p.prepaid_price,
                              'on_demand')
        self.assertEqual('mode', e.field)


class MatchTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.any = product('any', price='0.01')
        self.small = product('small', match={'flavor_name': 'm1.small'},
                             price='0.05')
        self.small_off = product(
            'small-off', match={'flavor_name': 'm1.small',
                                'state': 'shutoff'}, price='0.002')
        self.book = pricebook.PriceBook(
            [self.small_off, self.any, self.small])

    def match(self, fields, region='RegionOne', at=JAN, service='instance',
              book=None):
        return (book or self.book).match(service, region, fields, at)

    def test_most_fields_wins(self):
        self.assertIs(self.small_off, self.match(
            {'flavor_name': 'm1.small', 'state': 'shutoff'}))
        self.assertIs(self.small, self.match(
            {'flavor_name': 'm1.small', 'state': 'running'}))
        self.assertIs(self.any, self.match(
            {'flavor_name': 'm1.large', 'state': 'shutoff'}))
        self.assertIs(self.any, self.match({}))

    def test_a_tie_below_the_most_specific_product_is_not_ambiguous(self):
        running = product('running', match={'state': 'shutoff'})
        book = pricebook.PriceBook([self.small, running, self.small_off])
        self.assertIs(self.small_off, self.match(
            {'flavor_name': 'm1.small', 'state': 'shutoff'}, book=book))

    def test_order_of_products_does_not_matter(self):
        book = pricebook.PriceBook([self.any, self.small, self.small_off])
        self.assertIs(self.small_off, self.match(
            {'flavor_name': 'm1.small', 'state': 'shutoff'}, book=book))

    def test_unknown_service(self):
        self.assertIsNone(self.match({}, service='volume.size'))

    def test_no_match(self):
        book = pricebook.PriceBook([self.small])
        self.assertIsNone(self.match({'flavor_name': 'm1.large'}, book=book))

    def test_region_specific_beats_any_region(self):
        regional = product('regional', region='RegionOne', price='0.02')
        book = pricebook.PriceBook([self.any, regional])
        self.assertIs(regional, self.match({}, region='RegionOne',
                                           book=book))
        self.assertIs(self.any, self.match({}, region='RegionTwo',
                                           book=book))

    def test_more_fields_beat_region(self):
        regional = product('regional', region='RegionOne')
        book = pricebook.PriceBook([regional, self.small])
        self.assertIs(self.small, self.match({'flavor_name': 'm1.small'},
                                             book=book))

    def test_other_region_is_not_used(self):
        book = pricebook.PriceBook([product('r2', region='RegionTwo')])
        self.assertIsNone(self.match({}, region='RegionOne', book=book))

    def test_effective_dates(self):
        old = product('old', effective_from=JAN, effective_to=MAR)
        new = product('new', price='2', effective_from=MAR)
        book = pricebook.PriceBook([old, new])
        self.assertIsNone(self.match({}, at=utc(2025, 12, 31, 23, 59, 59),
                                     book=book))
        self.assertIs(old, self.match({}, at=JAN, book=book))
        self.assertIs(old, self.match({}, at=utc(2026, 2, 28, 23, 59, 59),
                                      book=book))
        self.assertIs(new, self.match({}, at=MAR, book=book))

    def test_ambiguous(self):
        flavor = product('flavor', match={'flavor_name': 'm1.small'})
        state = product('state', match={'state': 'running'})
        book = pricebook.PriceBook([flavor, state])
        e = self.assertRaises(
            errors.AmbiguousProduct, self.match,
            {'flavor_name': 'm1.small', 'state': 'running'}, book=book)
        self.assertEqual({'flavor', 'state'}, {e.first.id, e.second.id})
        # A point that only one of them matches is priced.
        self.assertIs(flavor, self.match(
            {'flavor_name': 'm1.small', 'state': 'shutoff'}, book=book))
        self.assertIs(state, self.match({'state': 'running'}, book=book))

    def test_memo_ignores_fields_no_product_looks_at(self):
        fields = {'flavor_name': 'm1.small', 'state': 'shutoff'}
        self.assertIs(self.small_off, self.match(fields))
        self.assertIs(self.small_off, self.match(dict(fields, host='c1')))
        self.assertIs(self.small, self.match(dict(fields, state='paused')))
        self.assertIs(self.small_off, self.match(fields))

    def test_memo_keeps_missing_apart_from_the_string_none(self):
        literal = product('literal', match={'state': 'None'})
        book = pricebook.PriceBook([literal])
        self.assertIs(literal, self.match({'state': 'None'}, book=book))
        self.assertIsNone(self.match({}, book=book))
        self.assertIsNone(self.match({'state': None}, book=book))
        book = pricebook.PriceBook([literal])
        self.assertIsNone(self.match({}, book=book))
        self.assertIs(literal, self.match({'state': 'None'}, book=book))

    def test_memo_keeps_instants_apart(self):
        old = product('old', effective_from=JAN, effective_to=MAR)
        new = product('new', effective_from=MAR)
        book = pricebook.PriceBook([old, new])
        self.assertIs(old, self.match({}, at=JAN, book=book))
        self.assertIs(new, self.match({}, at=MAR, book=book))
        self.assertIs(old, self.match({}, at=JAN, book=book))

    def test_len_and_get(self):
        self.assertEqual(3, len(self.book))
        self.assertIs(self.small, self.book.get('small'))
        self.assertIsNone(self.book.get('missing'))


class ConflictsTest(base.TestCase):

    def assertConflict(self, expected, a, b):
        self.assertEqual(expected, pricebook.conflicts(a, b))
        self.assertEqual(expected, pricebook.conflicts(b, a))

    def test_same_product_does_not_conflict_with_itself(self):
        p = product('p')
        self.assertFalse(pricebook.conflicts(p, p))

    def test_same_match(self):
        self.assertConflict(True, product('a', match={'flavor_name': 'x'}),
                            product('b', match={'flavor_name': 'x'}))

    def test_different_values_of_one_field(self):
        self.assertConflict(False, product('a', match={'flavor_name': 'x'}),
                            product('b', match={'flavor_name': 'y'}))

    def test_different_fields(self):
        self.assertConflict(True, product('a', match={'flavor_name': 'a'}),
                            product('b', match={'state': 'running'}))

    def test_different_specificity(self):
        self.assertConflict(False, product('a', match={'flavor_name': 'a'}),
                            product('b'))
        self.assertConflict(False, product('a', region='RegionOne'),
                            product('b'))

    def test_regions(self):
        self.assertConflict(False, product('a', region='R1'),
                            product('b', region='R2'))
        self.assertConflict(True, product('a', region='R1'),
                            product('b', region='R1'))

    def test_services(self):
        self.assertConflict(False, product('a'),
                            product('b', service='volume.size'))

    def test_disjoint_time(self):
        self.assertConflict(False, product('a', effective_to=MAR),
                            product('b', effective_from=MAR))

    def test_overlapping_time(self):
        self.assertConflict(True, product('a', effective_to=MAR),
                            product('b', effective_from=utc(2026, 2, 1)))
        self.assertConflict(True, product('a'),
                            product('b', effective_from=utc(2030, 1, 1)))

    def test_find_conflict(self):
        new = product('new', match={'flavor_name': 'x'})
        others = [product('other', match={'flavor_name': 'y'}),
                  product('first', match={'flavor_name': 'x'}),
                  product('second', match={'state': 'running'})]
        self.assertEqual('first', pricebook.find_conflict(new, others).id)
        self.assertIsNone(pricebook.find_conflict(new, others[:1]))
        self.assertIsNone(pricebook.find_conflict(new, []))


class SuccessorTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.old = product('old', match={'flavor_name': 'x'},
                           effective_to=MAR, monthly_price=D('30'))
        self.new = product('new', match={'flavor_name': 'x'},
                           effective_from=MAR, monthly_price=D('35'))
        self.other_match = product('y', match={'flavor_name': 'y'},
                                   effective_from=MAR)
        self.other_region = product('r1', match={'flavor_name': 'x'},
                                    region='R1', effective_from=MAR)
        self.book = pricebook.PriceBook(
            [self.other_match, self.other_region, self.old, self.new])

    def test_price_change(self):
        self.assertIs(self.new, self.book.successor(self.old,
                                                    utc(2026, 3, 15)))
        self.assertIs(self.new, self.book.successor(self.old, MAR))

    def test_still_in_effect(self):
        self.assertIs(self.old, self.book.successor(self.old,
                                                    utc(2026, 2, 1)))

    def test_none_in_effect(self):
        self.assertIsNone(self.book.successor(self.old, utc(2025, 6, 1)))
        book = pricebook.PriceBook([self.old, self.other_match])
        self.assertIsNone(book.successor(self.old, utc(2026, 3, 15)))
