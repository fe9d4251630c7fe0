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
"""The billing API seen from the command line.

``BillingClient`` sends requests through the keystoneauth ``Adapter`` that
python-cloudkittyclient builds for the rating service (the same session,
endpoint and authentication as every other ``openstack rating`` command),
follows the ``next`` links of lists, and turns an HTTP error into an
``osc_lib`` ``CommandError`` whose text is the API's one-line message: the
shell prints it on one line and exits with status 1.
"""

import urllib.parse

from cloudkittyclient import utils as ck_utils
from keystoneauth1 import exceptions as ks_exc
from osc_lib import exceptions

from uos_billing.cli import text

BASE_PATH = '/v1/rating/module_config/billing'
# The API's largest page (contract: limit 1..1000).
MAX_PAGE = 1000


def get_client(command):
    """The billing client of a cliff command run by ``openstack``."""
    return BillingClient(ck_utils.get_client_from_osc(command).api_client)


def error_message(exc):
    """One line saying why the API refused a request.

    The API answers ``{"error": {"message": ...}}``; CloudKitty's own
    controllers answer ``{"faultstring": ...}`` (WSME); anything else falls
    back to keystoneauth's text for the status.
    """
    message = None
    response = getattr(exc, 'response', None)
    if response is not None:
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            error = body.get('error')
            if isinstance(error, dict):
                message = error.get('message')
            elif isinstance(error, str):
                message = error
            if not message:
                message = body.get('faultstring') or body.get('message')
    if not message:
        # keystoneauth's text for the status ("Not Found"); exc.message
        # also holds the status and request ID.
        message = type(exc).message
    message = ' '.join(str(message).split())
    # A message may quote stored data (a name): no control character of
    # it reaches the terminal.
    return '%s (HTTP %s)' % (text.escape(message), exc.http_status)


class BillingClient(object):
    """Requests to ``/v1/rating/module_config/billing``."""

    def __init__(self, http):
        # A keystoneauth1.adapter.Adapter (service_type "rating").
        self.http = http

    @staticmethod
    def url(path, params=None):
        url = BASE_PATH + path
        query = [(k, v) for k, v in (params or {}).items() if v is not None]
        if query:
            url += '?' + urllib.parse.urlencode(query)
        return url

    def request(self, method, path, params=None, body=None):
        """Send one request; the decoded JSON answer, None when empty."""
        kwargs = {}
        if body is not None:
            kwargs['json'] = body
        try:
            response = self.http.request(self.url(path, params), method,
                                         raise_exc=True, **kwargs)
        except ks_exc.HttpError as e:
            raise exceptions.CommandError(error_message(e))
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise exceptions.CommandError(
                '%s %s answered %s with a body that is not JSON' % (
                    method, path, response.status_code))

    def get(self, path, params=None):
        return self.request('GET', path, params=params)

    def post(self, path, body=None):
        return self.request('POST', path, body=body)

    def put(self, path, body):
        return self.request('PUT', path, body=body)

    def delete(self, path):
        return self.request('DELETE', path)

    def list(self, path, collection, params=None, limit=None, marker=None):
        """Every item of a list, page after page.

        ``limit`` caps the number of items returned (pages of at most
        MAX_PAGE items are asked for); without it the ``next`` links are
        followed to the end. ``marker`` starts after that item.
        """
        params = dict(params or {})
        if marker is not None:
            params['marker'] = marker
        if limit is not None:
            params['limit'] = min(limit, MAX_PAGE)
        items = []
        seen_markers = set()
        while True:
            answer = self.get(path, params) or {}
            page = answer.get(collection) or []
            items.extend(page)
            if limit is not None and len(items) >= limit:
                return items[:limit]
            href = next_link(answer)
            if not page or href is None:
                return items
            query = dict(urllib.parse.parse_qsl(
                urllib.parse.urlsplit(href).query))
            if query.get('marker') in seen_markers:
                raise exceptions.CommandError(
                    'the API sent the same next page twice (marker %s)' %
                    query.get('marker'))
            seen_markers.add(query.get('marker'))
            params.update(query)
            if limit is not None:
                params['limit'] = min(limit - len(items), MAX_PAGE)


def next_link(answer):
    for link in answer.get('links') or ():
        if link.get('rel') == 'next' and link.get('href'):
            return link['href']
    return None
