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
"""The billing API as the admission filter uses it, with a service token.

``BillingClient`` reads accounts (``GET .../accounts/{project_id}``),
cached per project for a few seconds, and places, confirms and releases
funds holds (``POST .../holds``, ``.../holds/{id}/confirm``,
``.../holds/{id}/release``). Every call goes through a keystoneauth
Adapter (service credentials, catalog lookup or endpoint_override, the
session's timeout on each connection and read); anything that keeps the
billing API from answering is raised as ``Unavailable``.
"""

import collections
import threading
import time

from keystoneauth1 import exceptions as ksa_exc
from keystoneauth1 import loading as ks_loading
from oslo_log import log as logging

from uos_billing.conf import admission as conf_admission

LOG = logging.getLogger(__name__)


class Unavailable(Exception):
    """The billing API did not give a usable answer."""


class Refused(Exception):
    """The billing API refused a hold: its status and error object."""

    def __init__(self, status, error):
        super().__init__(error.get('message') or 'refused (HTTP %d)' %
                         status)
        self.status = status
        self.error = error


class TTLCache(object):
    """A small thread-safe map whose entries live ttl seconds."""

    def __init__(self, ttl, size, clock=time.monotonic):
        self.ttl = ttl
        self.size = size
        self.clock = clock
        self._items = collections.OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        """(True, value) while the entry lives, else (False, None)."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return False, None
            expires, value = item
            if self.clock() >= expires:
                del self._items[key]
                return False, None
            return True, value

    def put(self, key, value):
        if self.ttl <= 0:
            return
        with self._lock:
            now = self.clock()
            self._items.pop(key, None)
            if len(self._items) >= self.size:
                for k in [k for k, (e, _) in self._items.items()
                          if now >= e]:
                    del self._items[k]
                while len(self._items) >= self.size:
                    self._items.popitem(last=False)
            self._items[key] = (now + self.ttl, value)

    def forget(self, key):
        with self._lock:
            self._items.pop(key, None)

    def __len__(self):
        return len(self._items)


def _error(response):
    """The error object of a billing API answer ({} when it has none)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    if isinstance(body, dict) and isinstance(body.get('error'), dict):
        return body['error']
    return {}


class BillingClient(object):

    def __init__(self, adapter, api_path, cache):
        self.adapter = adapter
        self.api_path = api_path.rstrip('/')
        self.cache = cache

    @classmethod
    def from_conf(cls, conf, clock=time.monotonic):
        """The client of the [billing_admission] options of conf."""
        group = conf_admission.GROUP
        options = conf[group]
        auth = ks_loading.load_auth_from_conf_options(conf, group)
        session = ks_loading.load_session_from_conf_options(
            conf, group, auth=auth)
        adapter = ks_loading.load_adapter_from_conf_options(
            conf, group, session=session, auth=auth)
        return cls(adapter, options.api_path,
                   TTLCache(options.cache_ttl, options.cache_size, clock))

    def _call(self, method, path, body=None):
        kwargs = {'raise_exc': False,
                  'headers': {'Accept': 'application/json'}}
        if body is not None:
            kwargs['json'] = body
        try:
            return self.adapter.request(self.api_path + path, method,
                                        **kwargs)
        except ksa_exc.ClientException as exc:
            # Connection refused or reset, connect or read timeout, no
            # endpoint in the catalog, service credentials refused...
            raise Unavailable('%s %s: %s: %s' % (
                method, path, type(exc).__name__, exc))

    def account(self, project_id):
        """The project's account, or None when it has none (404).

        Found and not-found answers are cached; failures are not.
        """
        cached, value = self.cache.get(project_id)
        if cached:
            return value
        path = '/accounts/%s' % project_id
        response = self._call('GET', path)
        if response.status_code == 200:
            try:
                value = response.json()
            except ValueError:
                value = None
            if not isinstance(value, dict) or 'status' not in value:
                raise Unavailable('GET %s: an answer without a status' %
                                  path)
        elif (response.status_code == 404 and
              _error(response).get('code') == 404):
            # The billing API's own 404: this project was never rated nor
            # recharged, so nothing is owed. A 404 of another shape (the
            # module not enabled, a wrong api_path) is a failure.
            value = None
        else:
            raise Unavailable('GET %s: HTTP %d %s' % (
                path, response.status_code,
                _error(response).get('message', '')))
        self.cache.put(project_id, value)
        return value

    def _hold_call(self, method, path, body, ok):
        response = self._call(method, path, body)
        if response.status_code in ok:
            try:
                return response.json()
            except ValueError:
                raise Unavailable('%s %s: an answer that is not JSON' % (
                    method, path))
        error = _error(response)
        # The refusals the hold routes define; any other answer (404 or
        # 405 of an API without them, 403 of a service user without the
        # policy) is a failure.
        if response.status_code in (400, 402, 409) and error:
            raise Refused(response.status_code, error)
        raise Unavailable('%s %s: HTTP %d %s' % (
            method, path, response.status_code, error.get('message', '')))

    def hold(self, body):
        """Hold a term's price; the hold, or Refused (402, 409, 400)."""
        return self._hold_call('POST', '/holds', body, (200, 201))

    def confirm(self, hold_id, resource_id):
        """Turn the hold into the resource's order; the order."""
        return self._hold_call('POST', '/holds/%s/confirm' % hold_id,
                               {'resource_id': resource_id}, (200, 201))

    def release(self, hold_id):
        """Give the held funds back; the hold."""
        return self._hold_call('POST', '/holds/%s/release' % hold_id,
                               None, (200,))
