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
"""GnocchiResources: the searches it sends, pages and batches."""

import fixtures

from uos_billing.checker import resources
from uos_billing.tests import base

utc = base.utc


class FakeResourceAPI(object):
    """gnocchiclient's resource.search over a list, recording the calls."""

    def __init__(self, rows):
        self.rows = sorted(rows, key=lambda r: r['id'])
        self.calls = []

    def search(self, resource_type, query, details, limit, marker, sorts):
        self.calls.append((resource_type, query, limit, marker))
        rows = [r for r in self.rows if r['type'] == resource_type
                and (marker is None or r['id'] > marker)]
        if 'in' in query and 'id' in query['in']:
            rows = [r for r in rows if r['id'] in query['in']['id']]
        else:
            projects = query['and'][1]['in']['project_id']
            rows = [r for r in rows if r['project_id'] in projects
                    and r['ended_at'] is None]
        return rows[:limit]


class FakeClient(object):
    def __init__(self, rows):
        self.resource = FakeResourceAPI(rows)


def row(i, project, ended=None, kind='instance'):
    return {'id': 'vm-%02d' % i, 'type': kind, 'project_id': project,
            'started_at': '2026-11-02T10:00:00.123456+00:00',
            'ended_at': ended}


class TestGnocchiResources(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.MonkeyPatch(
            'uos_billing.checker.resources.PAGE', 2))
        self.useFixture(fixtures.MonkeyPatch(
            'uos_billing.checker.resources.BATCH', 2))
        rows = [row(i, 'p%d' % (i % 3)) for i in range(9)]
        rows.append(row(20, 'p0', ended='2026-11-02T10:30:00Z'))
        rows.append(row(21, 'p0', kind='volume'))
        self.client = FakeClient(rows)
        self.gnocchi = resources.GnocchiResources(
            self.client, {'instance': 'instance'})

    def test_live_pages_and_batches_the_projects(self):
        found = self.gnocchi.live(['p2', 'p0', 'p1'])
        self.assertEqual(['vm-00', 'vm-01', 'vm-03', 'vm-04', 'vm-06',
                          'vm-07', 'vm-02', 'vm-05', 'vm-08'],
                         [r.id for r in found])
        self.assertEqual(resources.Resource(
            'vm-00', 'p0', 'instance', utc(2026, 11, 2, 10), None),
            found[0])
        # Projects p0, p1 then p2, two per request; pages of two rows,
        # each next page after the last id of the previous one.
        self.assertEqual(
            [(['p0', 'p1'], None), (['p0', 'p1'], 'vm-01'),
             (['p0', 'p1'], 'vm-04'), (['p0', 'p1'], 'vm-07'),
             (['p2'], None), (['p2'], 'vm-05')],
            [(q['and'][1]['in']['project_id'], marker)
             for _t, q, _limit, marker in self.client.resource.calls])
        self.assertEqual({'=': {'ended_at': None}},
                         self.client.resource.calls[0][1]['and'][0])

    def test_get_finds_ended_resources_of_the_service(self):
        found = self.gnocchi.get('instance', ['vm-20', 'vm-00', 'vm-99',
                                              'vm-21'])
        self.assertEqual(['vm-00', 'vm-20'], sorted(found))
        self.assertEqual(utc(2026, 11, 2, 10, 30), found['vm-20'].ended_at)
        self.assertEqual({}, self.gnocchi.get('volume.size', ['vm-21']))
