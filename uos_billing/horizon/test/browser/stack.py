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
"""What the browser test needs from the local stack and around it.

A project and member of its own in the stack's Keystone (so that the test
touches no other project's money), the enabled files copied into Horizon
(the operator's install step) and Horizon served on loopback by Django's
development server, stopped by its process id.
"""

import base64
import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import requests

PROJECT = 'horizon-browser'
MEMBER = 'horizon-member'
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..',
                                    '..', '..'))


STACK_TOOLS = os.path.join(REPO, 'tools', 'stack')
# What tools/stack/start uses but does not start.
SERVERS = (('MariaDB', 3306), ('PostgreSQL', 5432), ('Redis', 6379),
           ('RabbitMQ', 5672))
START_TIMEOUT = 1800  # a first start builds the services' virtualenvs


def _port_open(port):
    try:
        socket.create_connection(('127.0.0.1', port), timeout=2).close()
        return True
    except OSError:
        return False


def cannot_run():
    """Why the local stack cannot run on this machine, or None."""
    if not shutil.which('influxd'):
        return 'InfluxDB is not installed (no influxd on PATH)'
    for name, port in SERVERS:
        if not _port_open(port):
            return '%s does not answer on 127.0.0.1:%d' % (name, port)
    return None


def _stack_tool(command, timeout):
    env = dict(os.environ)
    # The services run from their own virtualenvs, not the test's.
    for name in ('VIRTUAL_ENV', 'PYTHONPATH'):
        env.pop(name, None)
    return subprocess.run([os.path.join(STACK_TOOLS, command)], env=env,
                          capture_output=True, text=True, timeout=timeout)


def start_stack():
    """Start the stack unless it runs; True when this call started it."""
    if _stack_tool('status', 60).returncode == 0:
        return False
    done = _stack_tool('start', START_TIMEOUT)
    if done.returncode:
        raise RuntimeError('tools/stack/start failed (%d):\n%s\n%s' % (
            done.returncode, done.stdout[-3000:], done.stderr[-6000:]))
    return True


def stop_stack():
    _stack_tool('stop', 300)


def stack_info():
    """stack.json of the running local stack (tools/stack/start)."""
    stack_dir = os.environ.get('UOS_BILLING_STACK_DIR',
                               os.path.join(REPO, 'work', 'stack'))
    with open(os.path.join(stack_dir, 'stack.json')) as f:
        return json.load(f)


class Keystone(object):
    """The few admin calls of the test, with the stack's admin password."""

    def __init__(self, url, admin_password):
        self.url = url.rstrip('/')
        body = {'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {
                'name': 'admin', 'domain': {'id': 'default'},
                'password': admin_password}}},
            'scope': {'project': {'name': 'admin',
                                  'domain': {'id': 'default'}}}}}
        answer = requests.post(self.url + '/auth/tokens', json=body,
                               timeout=30)
        answer.raise_for_status()
        self.token = answer.headers['X-Subject-Token']

    def call(self, method, path, **kwargs):
        answer = requests.request(method, self.url + path, timeout=30,
                                  headers={'X-Auth-Token': self.token},
                                  **kwargs)
        answer.raise_for_status()
        return answer.json() if answer.content else None

    def ensure(self, collection, key, name, extra=None):
        found = self.call('GET', '/%s' % collection,
                          params={'name': name})[collection]
        if found:
            return found[0]
        body = {key: dict({'name': name, 'domain_id': 'default'},
                          **(extra or {}))}
        return self.call('POST', '/%s' % collection, json=body)[key]

    def project_with_member(self, password):
        """The test's project and its member (roles member and reader)."""
        project = self.ensure('projects', 'project', PROJECT)
        user = self.ensure('users', 'user', MEMBER, {
            'password': password, 'default_project_id': project['id']})
        for role_name in ('member', 'reader'):
            role = self.call('GET', '/roles',
                             params={'name': role_name})['roles'][0]
            self.call('PUT', '/projects/%s/users/%s/roles/%s' % (
                project['id'], user['id'], role['id']))
        return project['id']


class Gnocchi(object):
    """The stack's Gnocchi (basic auth, user admin), as Ceilometer uses it.

    Orders name a resource that Gnocchi knows in the ordering project
    (``[billing] resource_owner_source = gnocchi``): the test's VM, which
    only Horizon's Nova stand-in serves, is registered here as Ceilometer
    registers a VM it polls, and ended when the test is over.
    """

    def __init__(self, url):
        self.url = url.rstrip('/') + '/v1/resource/instance'
        self.headers = {'Authorization': 'Basic ' + base64.b64encode(
            b'admin:').decode()}

    def _call(self, method, path='', **kwargs):
        answer = requests.request(method, self.url + path, timeout=30,
                                  headers=self.headers, **kwargs)
        answer.raise_for_status()
        return answer.json()

    @staticmethod
    def _now():
        return datetime.datetime.now(datetime.timezone.utc).isoformat()

    def add_instance(self, instance, project_id):
        return self._call('POST', json={
            'id': instance['id'], 'project_id': project_id,
            'started_at': self._now(), 'display_name': instance['name'],
            'flavor_id': instance['flavor_id'],
            'flavor_name': instance['flavor_name'], 'host': 'browser-test',
            'image_ref': 'browser-test'})

    def end_instance(self, instance_id):
        return self._call('PATCH', '/%s' % instance_id,
                          json={'ended_at': self._now()})


def install_enabled_files():
    """Copy the enabled files into Horizon's local/enabled/."""
    import openstack_dashboard
    import uos_billing.horizon.enabled as enabled
    target = os.path.join(os.path.dirname(openstack_dashboard.__file__),
                          'local', 'enabled')
    source = os.path.dirname(enabled.__file__)
    for name in sorted(os.listdir(source)):
        if name.startswith('_32') and name.endswith('.py'):
            shutil.copy(os.path.join(source, name), target)


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class HorizonServer(object):
    """Horizon under Django's development server on 127.0.0.1."""

    def __init__(self, keystone_url, instances, work_dir):
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.log_path = os.path.join(work_dir, 'horizon.log')
        static = os.path.join(work_dir, 'static')
        os.makedirs(static, exist_ok=True)
        self.env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE=('uos_billing.horizon.test.browser.'
                                    'horizon_settings'),
            UOS_BILLING_BROWSER_KEYSTONE_URL=keystone_url,
            UOS_BILLING_BROWSER_STATIC_ROOT=static,
            UOS_BILLING_BROWSER_INSTANCES=json.dumps(instances))
        self.process = None

    def start(self, timeout=120):
        log = open(self.log_path, 'ab')
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'django', 'runserver',
             '127.0.0.1:%d' % self.port, '--noreload', '--insecure'],
            env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('Horizon stopped; see %s' % self.log_path)
            try:
                if requests.get(self.url + '/auth/login/',
                                timeout=30).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(1)
        raise RuntimeError('Horizon did not answer in %d s; see %s' % (
            timeout, self.log_path))

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
