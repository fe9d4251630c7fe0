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
"""A real Keystone on loopback, for the functional tests.

``Keystone`` is a fixture. It runs ``tools/install-keystone`` (a
virtualenv of its own with Keystone and uwsgi from PyPI at pinned
versions; a no-op when it is already there), writes a keystone.conf (a
SQLite database, fernet tokens, keys in the work directory), runs
``keystone-manage db_sync``, ``fernet_setup``, ``credential_setup`` and
``bootstrap`` (user ``admin`` with the admin role on project ``admin``,
the identity endpoints at this server, region RegionOne), and serves
``keystone.wsgi.api:application`` with uwsgi on 127.0.0.1 and a free
port, as tools/stack/start does for the local stack (which it does not
touch). At cleanup it stops uwsgi by process id.

Environment: ``UOS_BILLING_KEYSTONE_VENV``, the Keystone virtualenv
(default ~/.cache/uos-billing/keystone-venv).
"""

import grp
import os
import pwd
import subprocess
import time

import fixtures
from keystoneauth1.identity import v3 as ks_identity
from keystoneauth1 import session as ks_session
from keystoneclient.v3 import client as ks_client
from oslo_utils import uuidutils
import requests

from uos_billing.tests.functional import gnocchi_fixture

INSTALL_SCRIPT = os.path.join(gnocchi_fixture.REPO, 'tools',
                              'install-keystone')
DEFAULT_VENV = os.path.join(os.path.expanduser('~'), '.cache',
                            'uos-billing', 'keystone-venv')
REGION = 'RegionOne'

CONF_TEMPLATE = """\
[DEFAULT]
debug = false

[database]
connection = sqlite:///{data}/keystone.sqlite
# A throw-away database: no fsync on every commit.
sqlite_synchronous = false

[token]
provider = fernet

[fernet_tokens]
key_repository = {data}/fernet-keys

[fernet_receipts]
key_repository = {data}/fernet-keys

[credential]
key_repository = {data}/credential-keys
"""


class KeystoneError(Exception):
    """Keystone could not be installed or started."""


def venv_path():
    return os.environ.get('UOS_BILLING_KEYSTONE_VENV') or DEFAULT_VENV


def install(timeout=1200):
    """Run tools/install-keystone (quick when already installed)."""
    venv = venv_path()
    env = dict(os.environ, UOS_BILLING_KEYSTONE_VENV=venv)
    env.pop('VIRTUAL_ENV', None)
    done = subprocess.run([INSTALL_SCRIPT], env=env, capture_output=True,
                          text=True, timeout=timeout)
    if done.returncode:
        raise KeystoneError('%s failed (%d):\n%s' % (
            INSTALL_SCRIPT, done.returncode, done.stderr[-4000:]))
    return venv


class Keystone(fixtures.Fixture):
    """Keystone's API on loopback, on a SQLite database of its own.

    Attributes once set up: ``endpoint`` (the root URL), ``auth_url``
    (its /v3), ``admin_password``, ``config``, ``workdir``, ``log``,
    ``process``; ``admin_session()`` and ``client()`` reach it as admin.
    """

    def __init__(self, host='127.0.0.1', start_timeout=60):
        super().__init__()
        self.host = host
        self.start_timeout = start_timeout

    def _setUp(self):
        self.venv = install()
        self.bindir = os.path.join(self.venv, 'bin')
        self.workdir = self.useFixture(fixtures.TempDir()).path
        self.data = os.path.join(self.workdir, 'data')
        os.makedirs(self.data)
        self.port = gnocchi_fixture.free_port(self.host)
        self.endpoint = 'http://%s:%d' % (self.host, self.port)
        self.auth_url = self.endpoint + '/v3'
        self.admin_password = uuidutils.generate_uuid(dashed=False)
        self.config = os.path.join(self.workdir, 'keystone.conf')
        with open(self.config, 'w') as f:
            f.write(CONF_TEMPLATE.format(data=self.data))
        self.env = dict(os.environ, VIRTUAL_ENV=self.venv,
                        OS_KEYSTONE_CONFIG_FILES=self.config)
        self.env.pop('PYTHONPATH', None)
        self.log = os.path.join(self.workdir, 'keystone.log')
        user = pwd.getpwuid(os.getuid()).pw_name
        group = grp.getgrgid(os.getgid()).gr_name
        owner = ['--keystone-user', user, '--keystone-group', group]
        for step in (['db_sync'], ['fernet_setup'] + owner,
                     ['credential_setup'] + owner,
                     ['bootstrap', '--bootstrap-password',
                      self.admin_password,
                      '--bootstrap-admin-url', self.auth_url + '/',
                      '--bootstrap-internal-url', self.auth_url + '/',
                      '--bootstrap-public-url', self.auth_url + '/',
                      '--bootstrap-region-id', REGION]):
            self._manage(step)
        self.process = self._spawn()
        self._wait_for_api()

    def _manage(self, args):
        with open(self.log, 'a') as log:
            done = subprocess.run(
                [os.path.join(self.bindir, 'keystone-manage'),
                 '--config-file', self.config] + args,
                env=self.env, stdout=log, stderr=subprocess.STDOUT,
                timeout=300)
        if done.returncode:
            raise KeystoneError('keystone-manage %s failed (%d):\n%s' % (
                args[0], done.returncode, gnocchi_fixture.tail(self.log)))

    def _spawn(self):
        with open(self.log, 'ab') as log:
            process = subprocess.Popen(
                [os.path.join(self.bindir, 'uwsgi'),
                 '--http-socket', '%s:%d' % (self.host, self.port),
                 '--module', 'keystone.wsgi.api:application', '--master',
                 '--processes', '1', '--threads', '2', '--lazy-apps',
                 '--die-on-term', '--need-app',
                 # uwsgi's http-socket does not keep connections alive:
                 # say so, or clients reuse one it has closed.
                 '--add-header', 'Connection: close'],
                env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, cwd=self.workdir,
                start_new_session=True,
                preexec_fn=gnocchi_fixture._die_with_parent)
        self.addCleanup(self.stop)
        return process

    def stop(self):
        """Stop Keystone (the cleanup does it too)."""
        gnocchi_fixture.Gnocchi._stop(self.process)

    def _wait_for_api(self):
        deadline = time.monotonic() + self.start_timeout
        last = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise KeystoneError('uwsgi exited with %d:\n%s' % (
                    self.process.returncode, gnocchi_fixture.tail(self.log)))
            try:
                response = requests.get(self.auth_url, timeout=2)
                if response.status_code == 200:
                    return
                last = 'HTTP %d' % response.status_code
            except requests.RequestException as e:
                last = str(e)
            time.sleep(0.2)
        raise KeystoneError('Keystone did not answer on %s within %d s (%s):'
                            '\n%s' % (self.auth_url, self.start_timeout, last,
                                      gnocchi_fixture.tail(self.log)))

    def session(self, username, password, project_name):
        """A keystoneauth session of a user of the Default domain."""
        auth = ks_identity.Password(
            auth_url=self.auth_url, username=username, password=password,
            project_name=project_name, user_domain_id='default',
            project_domain_id='default')
        return ks_session.Session(auth=auth)

    def admin_session(self):
        return self.session('admin', self.admin_password, 'admin')

    def client(self):
        """keystoneclient v3 as admin."""
        return ks_client.Client(session=self.admin_session(),
                                interface='public')

    def member(self, project_name, username, password, role='member'):
        """A new project with a user holding role on it: (project, user)."""
        client = self.client()
        project = client.projects.create(project_name, domain='default')
        user = client.users.create(username, domain='default',
                                   password=password,
                                   default_project=project)
        [found] = client.roles.list(name=role)
        client.roles.grant(found, user=user, project=project)
        return project, user

    def credentials(self, section):
        """A cloudkitty.conf section that authenticates as admin."""
        return ('[%s]\n'
                'auth_type = password\n'
                'auth_url = %s\n'
                'username = admin\n'
                'password = %s\n'
                'project_name = admin\n'
                'user_domain_name = Default\n'
                'project_domain_name = Default\n'
                'region_name = %s\n' % (section, self.auth_url,
                                        self.admin_password, REGION))
