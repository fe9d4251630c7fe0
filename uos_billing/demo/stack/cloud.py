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
"""The local stack's cloud, driven as its admin through the real APIs.

Keystone (projects, users, role assignments), CloudKitty's v2 scope
states and summaries, and the billing API (through the same client as
``openstack rating``). Everything reads ``work/stack/stack.json``, which
tools/stack/start writes.

``python -m uos_billing.demo.stack.cloud start-scopes STACK_JSON PERIOD
COLLECTOR`` is what tools/stack/start runs before the processors start: a
new CloudKitty scope begins at the start of the month, so each of the
stack's projects gets its scope state at the current period instead.
"""

import datetime
import json
import sys

from keystoneauth1 import adapter
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session

from uos_billing.cli import client as billing_client

UTC = datetime.timezone.utc
# What CloudKitty's processors of the stack are configured with.
FETCHER = 'keystone'
SCOPE_KEY = 'project_id'


def period_floor(at, period):
    """The start of the period of period seconds holding at (UTC)."""
    seconds = int(at.timestamp())
    return datetime.datetime.fromtimestamp(seconds - seconds % period, UTC)


class Cloud(object):
    """The stack as its admin (project admin of the default domain)."""

    def __init__(self, stack_json):
        with open(stack_json) as f:
            self.stack = json.load(f)
        self.path = stack_json
        auth = v3.Password(auth_url=self.stack['keystone_url'],
                           username='admin',
                           password=self.stack['admin_password'],
                           project_name='admin', user_domain_id='default',
                           project_domain_id='default')
        self.session = ks_session.Session(auth=auth)
        self.keystone = adapter.Adapter(self.session, service_type='identity',
                                        interface='public')
        self.rating = adapter.Adapter(self.session, service_type='rating',
                                      interface='public')
        self.billing = billing_client.BillingClient(self.rating)

    # --- Keystone -----------------------------------------------------------
    def _find_or_create(self, collection, key, body):
        found = self.keystone.get('/%s' % collection, params={
            'name': body['name']}).json()[collection]
        if found:
            return found[0]
        return self.keystone.post('/%s' % collection,
                                  json={key: body}).json()[key]

    def role_id(self, name):
        return self._find_or_create('roles', 'role', {'name': name})['id']

    def create_project(self, name, member, password, period, collector,
                       fetcher=FETCHER, begin=None):
        """A project with one member, rated from begin (default: now).

        The scope state is created before the processors' fetcher can see
        the project, so that CloudKitty does not start it at the month's
        start. With the stack's fetcher (keystone: the projects where the
        cloudkitty user holds the rating role) the stack's processors rate
        it; with another (source) only processors configured for it do.
        """
        project = self._find_or_create('projects', 'project', {
            'name': name, 'domain_id': 'default'})
        user = self._find_or_create('users', 'user', {
            'name': member, 'domain_id': 'default', 'password': password,
            'default_project_id': project['id']})
        for role in ('member', 'reader'):
            self.grant(project['id'], user['id'], self.role_id(role))
        self.start_scope(project['id'], period, collector, fetcher=fetcher,
                         begin=begin)
        if fetcher == FETCHER:
            cloudkitty = self._find_or_create('users', 'user', {
                'name': 'cloudkitty', 'domain_id': 'default'})
            self.grant(project['id'], cloudkitty['id'],
                       self.role_id('rating'))
        return {'id': project['id'], 'member': member,
                'member_id': user['id']}

    def grant(self, project_id, user_id, role_id):
        self.keystone.put('/projects/%s/users/%s/roles/%s' % (
            project_id, user_id, role_id))

    # --- CloudKitty ---------------------------------------------------------
    def scope_state(self, scope_id):
        """The scope's state (CloudKitty v2), or None."""
        answer = self.rating.get('/v2/scope', params={'scope_id': scope_id},
                                 raise_exc=False)
        if answer.status_code == 404:
            return None
        answer.raise_for_status()
        results = answer.json().get('results') or []
        return results[0] if results else None

    def last_processed(self, scope_id):
        state = self.scope_state(scope_id)
        if state is None:
            return None
        at = datetime.datetime.fromisoformat(
            state['last_processed_timestamp'])
        return at if at.tzinfo else at.replace(tzinfo=UTC)

    def start_scope(self, scope_id, period, collector, fetcher=FETCHER,
                    begin=None):
        """Rate scope_id from begin on, unless it has a state already.

        begin defaults to the current period. CloudKitty's next period
        of a scope begins at its last_processed_timestamp + period.
        """
        if self.scope_state(scope_id) is not None:
            return False
        begin = begin or period_floor(datetime.datetime.now(UTC), period)
        self.rating.post('/v2/scope', json={
            'scope_id': scope_id, 'scope_key': SCOPE_KEY, 'fetcher': fetcher,
            'collector': collector,
            'last_processed_timestamp': (
                begin - datetime.timedelta(seconds=period)).isoformat()})
        return True

    def summary(self, scope_id, begin, end, groupby):
        """CloudKitty's v2 summary of the scope's rated data."""
        params = {'begin': begin.isoformat(), 'end': end.isoformat(),
                  'groupby': groupby, 'filters': 'project_id:%s' % scope_id,
                  'limit': 1000}
        answer = self.rating.get('/v2/summary', params=params).json()
        columns = answer['columns']
        return [dict(zip(columns, row)) for row in answer['results']]


def start_scopes(stack_json, period, collector):
    cloud = Cloud(stack_json)
    for name, project in sorted(cloud.stack['projects'].items()):
        if cloud.start_scope(project['id'], int(period), collector):
            print('scope %s (%s): rated from the current period'
                  % (project['id'], name))


if __name__ == '__main__':
    command, *args = sys.argv[1:] or ['']
    if command != 'start-scopes' or len(args) != 3:
        sys.exit('usage: python -m uos_billing.demo.stack.cloud '
                 'start-scopes STACK_JSON PERIOD COLLECTOR')
    start_scopes(*args)
