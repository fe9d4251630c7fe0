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
"""Projects as Keystone knows them, before the API opens an account.

``resolve(project_id)`` is called by the API requests that may open an
account (a recharge, an account update, a purchase, a funds hold): an id
that cannot be a Keystone id is refused (400) without asking Keystone;
otherwise Keystone is asked (``GET /v3/projects/{id}``) and the id it
answers keys the account, so that one project has one spelling, whatever
the database's collation (MariaDB's compares without case).

The way to Keystone is the ``[billing_enforcement]`` keystoneauth options
(auth plugin and session, as the enforcement loads them; the identity
endpoint of the catalog in its ``region_name`` and ``valid_interfaces``):
the same service user, which has the admin role. ``[billing]
project_source = none`` takes the ids as they are sent (no Keystone).
"""

import threading

from keystoneauth1 import adapter as ks_adapter
from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import loading as ks_loading
from oslo_config import cfg
from oslo_log import log as logging

from uos_billing.conf import enforcement as conf_enforcement
from uos_billing.core import errors
from uos_billing.core import identifiers

LOG = logging.getLogger(__name__)
CONF = cfg.CONF
GROUP = conf_enforcement.GROUP
KEYSTONE = 'keystone'
# What a password user needs; named in the 503 when nothing is set.
CREDENTIALS = ('auth_type', 'auth_url', 'username', 'password',
               'project_name', 'user_domain_name', 'project_domain_name')


class ProjectNotFound(errors.NotFound):

    def __init__(self, project_id):
        self.kind = 'project'
        self.ident = project_id
        errors.BillingError.__init__(
            self, 'project %s not found in Keystone' % project_id)


def _unavailable(project_id, why):
    return errors.ServiceUnavailable(
        'cannot check project %s against Keystone: %s; nothing was '
        'written' % (project_id, why))


class KeystoneProjects(object):
    """Looks projects up in Keystone with the group's credentials."""

    def __init__(self, conf, group=GROUP):
        self._conf = conf
        self._group = group
        self._identity = None
        self._lock = threading.Lock()

    def _load(self, project_id):
        with self._lock:
            if self._identity is not None:
                return self._identity
            options = self._conf[self._group]
            try:
                auth = ks_loading.load_auth_from_conf_options(
                    self._conf, self._group)
            except ks_exceptions.MissingRequiredOptions as e:
                raise _unavailable(project_id, '[%s] %s' % (self._group, e))
            if auth is None:
                raise _unavailable(
                    project_id, 'no credentials in [%s] (set %s), or '
                    '[billing] project_source = none' % (
                        self._group, ', '.join(CREDENTIALS)))
            session = ks_loading.load_session_from_conf_options(
                self._conf, self._group, auth=auth)
            # The identity endpoint of the catalog: the group's
            # service_type and endpoint_override are Nova's.
            self._identity = ks_adapter.Adapter(
                session, service_type='identity',
                interface=options.valid_interfaces,
                region_name=options.region_name, version='3',
                connect_retries=1)
            return self._identity

    def resolve(self, project_id):
        """Keystone's id of project_id; ProjectNotFound when unknown."""
        identity = self._load(project_id)
        try:
            answer = identity.get('/projects/%s' % project_id)
            return answer.json()['project']['id']
        except ks_exceptions.NotFound:
            raise ProjectNotFound(project_id)
        except (ks_exceptions.Unauthorized, ks_exceptions.Forbidden) as e:
            LOG.error('Keystone refused the project lookup of the [%s] '
                      'user: %s', self._group, e)
            raise _unavailable(project_id, 'Keystone refused the lookup '
                               '(the [%s] user needs the admin role): %s' %
                               (self._group, e))
        except ks_exceptions.ClientException as e:
            LOG.warning('project %s: Keystone lookup failed: %s',
                        project_id, e)
            raise _unavailable(project_id, str(e))
        except (ValueError, KeyError, TypeError) as e:
            raise _unavailable(project_id, 'unusable answer (%s)' % e)


_PROJECTS = None
_LOCK = threading.Lock()


def _projects():
    global _PROJECTS
    with _LOCK:
        if _PROJECTS is None:
            _PROJECTS = KeystoneProjects(CONF)
        return _PROJECTS


def reset():
    """Forget the Keystone session (tests change its options)."""
    global _PROJECTS
    with _LOCK:
        _PROJECTS = None


def resolve(project_id, field='project_id'):
    """The account key of project_id (see the module's docstring)."""
    identifiers.check_project_id(project_id, field)
    if CONF.billing.project_source != KEYSTONE:
        return project_id
    return _projects().resolve(project_id)
