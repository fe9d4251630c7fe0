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
"""Nova, through openstacksdk: list, stop and start a project's servers.

The session comes from the ``[billing_enforcement]`` keystoneauth options
(auth plugin, session, adapter), loaded as Nova loads its service
clients'; openstacksdk's Connection is built on it, its compute endpoint
found in the catalog or set by ``endpoint_override``.
"""

import threading

from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import loading as ks_loading
import openstack
from oslo_log import log as logging

from uos_billing.conf import enforcement as conf_enforcement
from uos_billing.core import enforcement as core

LOG = logging.getLogger(__name__)
GROUP = conf_enforcement.GROUP


class ComputeError(Exception):
    """Nova could not be reached or refused a call."""


_ERRORS = (openstack.exceptions.SDKException, ks_exceptions.ClientException)


def connection(conf, group=GROUP):
    """An openstacksdk Connection from the group's keystoneauth options."""
    auth = ks_loading.load_auth_from_conf_options(conf, group)
    session = ks_loading.load_session_from_conf_options(conf, group,
                                                        auth=auth)
    options = conf[group]
    config = {'compute_service_type': options.service_type or 'compute'}
    if options.endpoint_override:
        config['compute_endpoint_override'] = options.endpoint_override
    if options.valid_interfaces:
        config['compute_interface'] = options.valid_interfaces[0]
    return openstack.connection.Connection(
        session=session, region_name=options.region_name,
        app_name='uos-billing', **config)


class Compute(object):
    """The few Nova calls of the enforcement ladder."""

    def __init__(self, conf, group=GROUP, conn=None):
        self._conf = conf
        self._group = group
        self._conn = conn
        self._lock = threading.Lock()

    @property
    def conn(self):
        with self._lock:
            if self._conn is None:
                self._conn = connection(self._conf, self._group)
            return self._conn

    def servers(self, project_id):
        """The project's servers as core Servers (id, status)."""
        try:
            return [core.Server(server.id, server.status)
                    for server in self.conn.compute.servers(
                        details=True, all_projects=True,
                        project_id=project_id)]
        except _ERRORS as e:
            raise ComputeError('could not list the servers of project %s: '
                               '%s' % (project_id, e))

    def stop(self, server_id):
        self._action(self.conn.compute.stop_server, 'stop', server_id)

    def start(self, server_id):
        self._action(self.conn.compute.start_server, 'start', server_id)

    @staticmethod
    def _action(call, name, server_id):
        try:
            call(server_id)
        except _ERRORS as e:
            raise ComputeError('could not %s server %s: %s' % (
                name, server_id, e))
