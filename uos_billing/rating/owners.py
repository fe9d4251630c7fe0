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
"""Whose is a resource: the ordering project's, as Gnocchi knows it.

A prepaid term is bought for a resource_id (POST .../orders). Before any
money moves, ``check(project_id, service, resource_id)`` looks the
resource up where CloudKitty's collector finds the resources it rates:
Gnocchi, reached through CloudKitty's ``[collector_gnocchi]`` options
(uos_billing.collectors.gnocchi_client), in the Gnocchi resource type of
the service's metric (``extra_args.resource_type`` in ``[collect]
metrics_conf``), by the metric's ``resource_key`` and CloudKitty's
``[collect] scope_key``:

- no live or ended resource of that id in the project: ResourceNotFound
  (404), whether the id is unknown or another project's (the answer does
  not tell which);
- the project's resource has ended: ResourceEnded (409);
- Gnocchi unreachable, failing, or the configuration unusable:
  ServiceUnavailable (503).

``[billing] resource_owner_source = none`` checks nothing.
"""

import threading

from cloudkitty import collector as ck_collector
from cloudkitty import utils as ck_utils
from gnocchiclient import exceptions as gexceptions
from keystoneauth1 import exceptions as ks_exceptions
from oslo_config import cfg
from oslo_log import log as logging
import voluptuous
import yaml

from uos_billing.collectors import gnocchi as uos_gnocchi
from uos_billing.collectors import gnocchi_client
from uos_billing.core import errors

LOG = logging.getLogger(__name__)
CONF = cfg.CONF
CONF.import_opt('metrics_conf', 'cloudkitty.collector', 'collect')
CONF.import_opt('scope_key', 'cloudkitty.collector', 'collect')
GNOCCHI = 'gnocchi'


class ResourceNotFound(errors.NotFound):

    def __init__(self, project_id, service, resource_id):
        self.kind = 'resource'
        self.ident = resource_id
        errors.BillingError.__init__(
            self, 'resource %s not found: project %s has no %s resource '
                  'with this id' % (resource_id, project_id, service))


class ResourceEnded(errors.Conflict):

    def __init__(self, resource_id, ended_at):
        self.resource_id = resource_id
        self.ended_at = ended_at
        super().__init__('resource %s ended at %s: no term can be bought '
                         'for it' % (resource_id, ended_at))


def _unavailable(resource_id, why):
    return errors.ServiceUnavailable(
        'cannot check resource %s in Gnocchi: %s; nothing was bought' % (
            resource_id, why))


def resource_types(metrics):
    """{service: [(metric, resource_type, resource_key)]} of metrics.

    metrics is metrics.yml as the uos_gnocchi collector validates it; a
    service is a metric's alt_name, else its name (CloudKitty's metric
    type, the orders' service).
    """
    found = {}
    for name, metric in sorted(metrics.items()):
        metric_name = name.split('@#')[0]
        service = metric.get('alt_name') or metric_name
        extra_args = metric['extra_args']
        found.setdefault(service, []).append(
            (metric_name, extra_args['resource_type'],
             extra_args['resource_key']))
    return found


class GnocchiOwners(object):
    """The resources of Gnocchi, read as CloudKitty's collector reads them.

    The client and metrics.yml are loaded on first use and kept, as
    CloudKitty's processors keep theirs; a failed load is tried again on
    the next request.
    """

    def __init__(self, conf, client=None):
        self._conf = conf
        self._client = client
        self._types = None
        self._lock = threading.Lock()

    def _load(self, resource_id):
        with self._lock:
            if self._types is None:
                path = self._conf.collect.metrics_conf
                try:
                    metrics = (uos_gnocchi.UosGnocchiCollector
                               .check_configuration(ck_utils.load_conf(path)))
                except (OSError, yaml.YAMLError, voluptuous.Invalid,
                        ck_collector.InvalidConfiguration) as e:
                    raise _unavailable(resource_id, '[collect] metrics_conf '
                                       '%s: %s' % (path, e))
                self._types = resource_types(metrics)
            if self._client is None:
                self._client = gnocchi_client.from_conf(self._conf)
            return self._client, self._types

    def check(self, project_id, service, resource_id):
        """Refuse resource_id unless it is a live resource of project_id."""
        client, types = self._load(resource_id)
        if service not in types:
            raise errors.InvalidInput(
                'service', 'service %s is not a metric of [collect] '
                'metrics_conf: its resources cannot be looked up' % service)
        scope_key = self._conf.collect.scope_key
        ended = []
        for metric_name, resource_type, resource_key in types[service]:
            if resource_key == 'id' and '/' in resource_id:
                # Gnocchi refuses "/" in a resource id: it has none.
                continue
            query = {'and': [{'=': {resource_key: resource_id}},
                             {'=': {scope_key: project_id}}]}
            try:
                rows = client.resource.search(
                    resource_type=resource_type, query=query, details=True,
                    limit=2)
            except gexceptions.ResourceTypeNotFound:
                raise _unavailable(resource_id, 'Gnocchi has no resource '
                                   'type %s (extra_args.resource_type of '
                                   'metric %s in [collect] metrics_conf)' % (
                                       resource_type, metric_name))
            except (gexceptions.ClientException,
                    ks_exceptions.ClientException) as e:
                LOG.warning('resource %s: Gnocchi search failed: %s',
                            resource_id, e)
                raise _unavailable(resource_id, 'Gnocchi did not answer '
                                   '(%s)' % e)
            for row in rows:
                if row.get('ended_at') is None:
                    return row
                ended.append(row['ended_at'])
        if ended:
            raise ResourceEnded(resource_id, max(ended))
        raise ResourceNotFound(project_id, service, resource_id)


_OWNERS = None
_LOCK = threading.Lock()


def _owners():
    global _OWNERS
    with _LOCK:
        if _OWNERS is None:
            _OWNERS = GnocchiOwners(CONF)
        return _OWNERS


def reset():
    """Forget the client and metrics.yml (tests change the options)."""
    global _OWNERS
    with _LOCK:
        _OWNERS = None


def check(project_id, service, resource_id):
    """Refuse resource_id unless project_id may buy a term for it.

    Returns Gnocchi's resource, or None when resource_owner_source is
    none.
    """
    if CONF.billing.resource_owner_source != GNOCCHI:
        return None
    return _owners().check(project_id, service, resource_id)
