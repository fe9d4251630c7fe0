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
"""The checkers share the projects through Tooz's partitioner.

Each checker joins a partitioned group (coordinator.join_partitioned_group,
a consistent hash ring of the group's members, as Ceilometer's polling
agents share their resources) and checks the projects the ring gives it.
Before each round it runs the coordinator's watchers: members that joined
or left (a member that stops leaves; one that dies stops heartbeating and
is dropped once its membership times out) move the ring, and the projects
move with it.
"""

import socket

from oslo_log import log as logging
from oslo_utils import uuidutils
from tooz import coordination

LOG = logging.getLogger(__name__)


class Partition(object):
    """This checker's share of the projects."""

    def __init__(self, url, group, member_id=None):
        if not url:
            raise ValueError('[billing_checker] coordination_url (or '
                             '[orchestrator] coordination_url) must be set')
        self.url = url
        self.group = group.encode('utf-8')
        self.member_id = (member_id or '%s-%s' % (
            socket.gethostname(), uuidutils.generate_uuid()[:8])).encode(
                'utf-8')
        self.coordinator = None
        self.partitioner = None

    def start(self):
        self.coordinator = coordination.get_coordinator(self.url,
                                                        self.member_id)
        self.coordinator.start(start_heart=True)
        self.partitioner = self.coordinator.join_partitioned_group(
            self.group)
        LOG.info('checker %s joined group %s', self.member_id.decode(),
                 self.group.decode())

    def members(self):
        return sorted(self.coordinator.get_members(self.group).get())

    def mine(self, project_ids):
        """The projects, among project_ids, this checker checks now."""
        self.coordinator.run_watchers()
        return [p for p in project_ids if self.partitioner.belongs_to_self(p)]

    def stop(self):
        if self.coordinator is None:
            return
        try:
            if self.partitioner is not None:
                self.coordinator.leave_partitioned_group(self.partitioner)
        except coordination.ToozError:
            LOG.warning('checker %s could not leave group %s',
                        self.member_id.decode(), self.group.decode(),
                        exc_info=True)
        finally:
            self.coordinator.stop()
            self.coordinator = None
            self.partitioner = None
