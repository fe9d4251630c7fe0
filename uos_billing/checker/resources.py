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
"""The resources Gnocchi knows, for the checker.

The client is built like CloudKitty's Gnocchi collector builds its own,
from ``[collector_gnocchi]`` (keystone or basic auth): the checker reads
cloudkitty.conf and sees the resources the collector sees.
"""

import dataclasses
import datetime
import typing

from oslo_utils import timeutils

from uos_billing.collectors import gnocchi_client
from uos_billing.core import clock

GROUP = gnocchi_client.GROUP
# Ids per search request: Gnocchi takes the query in the body.
BATCH = 100
PAGE = 1000


@dataclasses.dataclass(frozen=True)
class Resource:
    id: str
    project_id: typing.Optional[str]
    service: str
    started_at: datetime.datetime
    ended_at: typing.Optional[datetime.datetime]


def _instant(value):
    if value is None:
        return None
    if isinstance(value, str):
        value = timeutils.parse_isotime(value)
    return clock.instant(value).replace(microsecond=0)


def client_from_conf(conf):
    """A gnocchiclient v1 client from CloudKitty's [collector_gnocchi]."""
    return gnocchi_client.from_conf(conf)


class GnocchiResources(object):
    """Live and ended resources of the types billing has orders for.

    resource_types maps a Gnocchi resource type to the billing service
    (CloudKitty metric) its orders are for.
    """

    def __init__(self, client, resource_types):
        self.client = client
        self.resource_types = dict(resource_types)

    def _search(self, resource_type, query):
        marker = None
        while True:
            page = self.client.resource.search(
                resource_type=resource_type, query=query, details=False,
                limit=PAGE, marker=marker, sorts=['id:asc'])
            for row in page:
                yield row
            if len(page) < PAGE:
                return
            marker = page[-1]['id']

    def _resource(self, row, service):
        return Resource(row['id'], row.get('project_id'), service,
                        _instant(row['started_at']),
                        _instant(row.get('ended_at')))

    def live(self, project_ids):
        """The resources of project_ids that have not ended."""
        project_ids = sorted(project_ids)
        found = []
        for resource_type, service in sorted(self.resource_types.items()):
            for i in range(0, len(project_ids), BATCH):
                query = {'and': [{'=': {'ended_at': None}},
                                 {'in': {'project_id':
                                         project_ids[i:i + BATCH]}}]}
                found.extend(self._resource(row, service)
                             for row in self._search(resource_type, query))
        return found

    def get(self, service, resource_ids):
        """{id: Resource} of the resources of service among resource_ids."""
        resource_ids = sorted(set(resource_ids))
        found = {}
        for resource_type, svc in sorted(self.resource_types.items()):
            if svc != service:
                continue
            for i in range(0, len(resource_ids), BATCH):
                query = {'in': {'id': resource_ids[i:i + BATCH]}}
                for row in self._search(resource_type, query):
                    found[row['id']] = self._resource(row, service)
        return found
