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
"""Test cases with the rating service in the user's catalog."""

import copy

from django.contrib.messages.storage import cookie
from django.utils.encoding import force_str

from openstack_dashboard.test import helpers

from uos_billing.horizon import api_errors

RATING_SERVICE = {
    'type': 'rating',
    'name': 'cloudkitty',
    'endpoints_links': [],
    'endpoints': [
        {'region': 'RegionOne', 'interface': interface,
         'url': 'http://rating.example.com:8889'}
        for interface in ('admin', 'internal', 'public')],
}


class _RatingCatalog(object):
    def _setup_test_data(self):
        super()._setup_test_data()
        self.service_catalog.append(copy.deepcopy(RATING_SERVICE))


def _messages(testcase, response):
    """(tags, text) of the messages a response set or shows."""
    found = []
    if response is not None and response.context is not None \
            and 'messages' in response.context:
        found = list(response.context['messages'])
    elif 'messages' in testcase.client.cookies:
        storage = cookie.CookieStorage(None)
        found = storage._decode(
            testcase.client.cookies['messages'].value) or []
    return [(m.tags, force_str(m.message)) for m in found]


class MessagesMixin(object):
    def assertMessage(self, response, level, text):
        """A message of level (error, warning, info, success) with text."""
        found = _messages(self, response)
        self.assertTrue(
            any(level in tags and text in message
                for tags, message in found),
            '%s message with %r not in %r' % (level, text, found))


class TestCase(MessagesMixin, _RatingCatalog, helpers.TestCase):
    """A project member (roles member, reader) signed in."""


class AdminTestCase(MessagesMixin, _RatingCatalog,
                    helpers.BaseAdminViewTests):
    """An admin signed in."""


def api_error(status, message='refused', **fields):
    return api_errors.BillingAPIError(status, message, **fields)
