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
"""A real Gnocchi on loopback, for the functional tests and the local stack.

``Gnocchi`` is a fixture. It runs ``tools/install-gnocchi`` (a virtualenv
of its own with Gnocchi and uwsgi from PyPI at pinned versions; a no-op
when it is already there), creates a throw-away PostgreSQL database,
writes a gnocchi.conf (basic auth, 127.0.0.1 and a free port, PostgreSQL
indexer, file storage in the work directory, a metricd that processes
measures within a second), runs ``gnocchi-upgrade`` and starts
``gnocchi-api`` (uwsgi) and ``gnocchi-metricd`` as child processes whose
output goes to log files in the work directory. At cleanup it stops both
by process id and drops the database.

Environment:

``UOS_BILLING_GNOCCHI_VENV``
    the Gnocchi virtualenv (default ~/.cache/uos-billing/gnocchi-venv).
``UOS_BILLING_GNOCCHI_PG_URL``
    the PostgreSQL server's admin URL; otherwise the ``postgresql`` entry
    of ``OS_TEST_DBAPI_ADMIN_CONNECTION`` (as tox.ini sets it), otherwise
    ``postgresql+psycopg2://postgres@127.0.0.1:5432/postgres``.
"""

import ctypes
import os
import signal
import socket
import subprocess
import time

import fixtures
from gnocchiclient import auth as gnocchi_auth
from gnocchiclient import client as gnocchi_client
from keystoneauth1 import session as ks_session
from oslo_utils import uuidutils
import requests
import sqlalchemy as sa
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))))
INSTALL_SCRIPT = os.path.join(REPO, 'tools', 'install-gnocchi')
DEFAULT_VENV = os.path.join(os.path.expanduser('~'), '.cache',
                            'uos-billing', 'gnocchi-venv')
DEFAULT_PG_URL = 'postgresql+psycopg2://postgres@127.0.0.1:5432/postgres'

CONF_TEMPLATE = """\
[DEFAULT]
debug = {debug}

[api]
auth_mode = basic
host = {host}
port = {port}
uwsgi_path = {uwsgi}

[indexer]
url = {indexer_url}

[storage]
driver = file
file_basepath = {storage}

[metricd]
workers = 1
metric_processing_delay = {metric_processing_delay}
metric_reporting_delay = 5
metric_cleanup_delay = 5
"""


PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """In the child: SIGTERM when the process that started it dies.

    A test runner killed without its cleanups then leaves no Gnocchi
    behind. Linux only; elsewhere a no-op.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


SHIPPED_RESOURCES = os.path.join(REPO, 'etc', 'ceilometer',
                                 'uos_billing_gnocchi_resources.yaml')
# Gnocchi's instance type as ceilometer-upgrade creates it.
_STRING = {'type': 'string', 'min_length': 0, 'max_length': 255}
INSTANCE_TYPE = {'name': 'instance', 'attributes': {
    'display_name': dict(_STRING, required=True),
    'flavor_id': dict(_STRING, required=True),
    'flavor_name': dict(_STRING, required=True),
    'host': dict(_STRING, required=False),
    'image_ref': dict(_STRING, required=False)}}


def create_vm_state_schema(client):
    """The shipped archive policy and the instance type, without Ceilometer.

    For tests and benchmarks that write vm.state measures themselves
    instead of running ceilometer-upgrade and the publisher.
    """
    # Created as Ceilometer's publisher creates it: the file's definition
    # as it is ("60 seconds", "90 days").
    with open(SHIPPED_RESOURCES) as shipped:
        policy = yaml.safe_load(shipped)['archive_policies'][0]
    client.archive_policy.create(policy)
    client.resource_type.create(INSTANCE_TYPE)


class GnocchiError(Exception):
    """Gnocchi could not be installed or started."""


def venv_path():
    return os.environ.get('UOS_BILLING_GNOCCHI_VENV') or DEFAULT_VENV


def install(timeout=1200):
    """Run tools/install-gnocchi (quick when already installed).

    Returns the virtualenv's path. The first run builds uwsgi and
    psycopg2 and takes about a minute.
    """
    venv = venv_path()
    env = dict(os.environ, UOS_BILLING_GNOCCHI_VENV=venv)
    env.pop('VIRTUAL_ENV', None)
    done = subprocess.run([INSTALL_SCRIPT], env=env, capture_output=True,
                          text=True, timeout=timeout)
    if done.returncode:
        raise GnocchiError('%s failed (%d):\n%s' % (
            INSTALL_SCRIPT, done.returncode, done.stderr[-4000:]))
    return venv


def admin_url():
    """The PostgreSQL server's admin URL (see the module's docstring)."""
    url = os.environ.get('UOS_BILLING_GNOCCHI_PG_URL')
    if url:
        return url
    for url in os.environ.get('OS_TEST_DBAPI_ADMIN_CONNECTION',
                              '').split(';'):
        if url.startswith('postgresql'):
            return url
    return DEFAULT_PG_URL


def free_port(host='127.0.0.1'):
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def tail(path, chars=4000):
    try:
        with open(path, errors='replace') as f:
            return f.read()[-chars:]
    except OSError:
        return ''


class PostgreSQLDatabase(fixtures.Fixture):
    """A database of its own on the PostgreSQL server, dropped at cleanup.

    ``url`` is its SQLAlchemy URL (``postgresql+psycopg2://``).
    """

    def __init__(self, server_url=None, prefix='uosb_gnocchi_'):
        super().__init__()
        self.server_url = server_url or admin_url()
        self.prefix = prefix

    def _setUp(self):
        self.name = self.prefix + uuidutils.generate_uuid(dashed=False)[:16]
        server = sa.engine.make_url(self.server_url)
        if server.drivername == 'postgresql':
            # SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3.
            server = server.set(drivername='postgresql+psycopg2')
        self.server = server
        engine = sa.create_engine(server, isolation_level='AUTOCOMMIT')
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql('CREATE DATABASE "%s"' % self.name)
        finally:
            engine.dispose()
        self.addCleanup(self._drop)
        self.url = server.set(database=self.name).render_as_string(
            hide_password=False)

    def _drop(self):
        engine = sa.create_engine(self.server, isolation_level='AUTOCOMMIT')
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(
                    'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % self.name)
        finally:
            engine.dispose()


class Gnocchi(fixtures.Fixture):
    """Gnocchi's API and metricd on loopback, on a database of their own.

    Attributes once set up: ``endpoint`` (the API's URL), ``client`` (a
    gnocchiclient v1 client as user ``admin``), ``config`` (gnocchi.conf),
    ``workdir``, ``venv``, ``database_url``, ``api_log`` and
    ``metricd_log``. ``workdir`` and ``port`` may be given (the local
    stack); otherwise a temporary directory and a free port are used. The
    API and metricd get SIGTERM when the process that started them dies,
    unless ``die_with_parent`` is false.
    """

    user = 'admin'

    def __init__(self, workdir=None, host='127.0.0.1', port=None,
                 metric_processing_delay=1, server_url=None,
                 start_timeout=60, debug=False, die_with_parent=True):
        super().__init__()
        self.workdir = workdir
        self.host = host
        self.port = port
        self.metric_processing_delay = metric_processing_delay
        self.server_url = server_url
        self.start_timeout = start_timeout
        self.debug = debug
        self.die_with_parent = die_with_parent

    def _setUp(self):
        self.venv = install()
        self.bindir = os.path.join(self.venv, 'bin')
        if self.workdir is None:
            self.workdir = self.useFixture(fixtures.TempDir()).path
        os.makedirs(self.workdir, exist_ok=True)
        self.port = self.port or free_port(self.host)
        self.endpoint = 'http://%s:%d' % (self.host, self.port)
        database = self.useFixture(PostgreSQLDatabase(self.server_url))
        self.database_url = database.url
        self.storage = os.path.join(self.workdir, 'storage')
        os.makedirs(self.storage, exist_ok=True)
        self.config = os.path.join(self.workdir, 'gnocchi.conf')
        with open(self.config, 'w') as f:
            f.write(CONF_TEMPLATE.format(
                debug=str(self.debug).lower(), host=self.host,
                port=self.port, uwsgi=os.path.join(self.bindir, 'uwsgi'),
                indexer_url=self.database_url,
                storage=self.storage,
                metric_processing_delay=self.metric_processing_delay))
        self.env = dict(os.environ,
                        PATH=self.bindir + os.pathsep + os.environ['PATH'],
                        VIRTUAL_ENV=self.venv)
        self.env.pop('PYTHONPATH', None)
        self.api_log = os.path.join(self.workdir, 'gnocchi-api.log')
        self.metricd_log = os.path.join(self.workdir, 'gnocchi-metricd.log')
        self.upgrade_log = os.path.join(self.workdir, 'gnocchi-upgrade.log')

        with open(self.upgrade_log, 'w') as log:
            done = subprocess.run(
                [os.path.join(self.bindir, 'gnocchi-upgrade'),
                 '--config-file', self.config],
                env=self.env, stdout=log, stderr=subprocess.STDOUT,
                timeout=120)
        if done.returncode:
            raise GnocchiError('gnocchi-upgrade failed (%d):\n%s' % (
                done.returncode, tail(self.upgrade_log)))

        self.api = self._spawn('gnocchi-api', self.api_log)
        self.metricd = self._spawn('gnocchi-metricd', self.metricd_log)
        self._wait_for_api()
        self.client = self.make_client()

    def _spawn(self, command, log_path):
        with open(log_path, 'ab') as log:
            process = subprocess.Popen(
                [os.path.join(self.bindir, command),
                 '--config-file', self.config],
                env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, cwd=self.workdir,
                # A process group of its own: the cleanup can reach the
                # workers too, should the master die first.
                start_new_session=True,
                preexec_fn=_die_with_parent if self.die_with_parent else None)
        self.addCleanup(self._stop, process)
        return process

    @staticmethod
    def _stop(process, timeout=15):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=timeout)
        # Workers left behind by their master (same group, by the
        # master's process id).
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def _wait_for_api(self):
        deadline = time.monotonic() + self.start_timeout
        last = None
        while time.monotonic() < deadline:
            for process, log in ((self.api, self.api_log),
                                 (self.metricd, self.metricd_log)):
                if process.poll() is not None:
                    raise GnocchiError('%s exited with %d:\n%s' % (
                        os.path.basename(process.args[0]),
                        process.returncode, tail(log)))
            try:
                response = requests.get(self.endpoint, timeout=2)
                if response.status_code == 200:
                    return
                last = 'HTTP %d' % response.status_code
            except requests.RequestException as e:
                last = str(e)
            time.sleep(0.2)
        raise GnocchiError(
            'gnocchi-api did not answer on %s within %d s (%s):\n%s' % (
                self.endpoint, self.start_timeout, last,
                tail(self.api_log)))

    def make_client(self, user=None):
        """A gnocchiclient v1 client with basic auth as user (admin)."""
        plugin = gnocchi_auth.GnocchiBasicPlugin(
            user=user or self.user, endpoint=self.endpoint)
        return gnocchi_client.Client(
            '1', session=ks_session.Session(auth=plugin))

    def wait_for_processing(self, timeout=30):
        """Wait until metricd has processed every measure received.

        Gnocchi's status reports the measures not yet processed; the
        measures the API acknowledged are counted there until metricd has
        aggregated them.
        """
        deadline = time.monotonic() + timeout
        while True:
            if self.metricd.poll() is not None:
                raise GnocchiError('gnocchi-metricd exited with %d:\n%s' % (
                    self.metricd.returncode, tail(self.metricd_log)))
            status = self.client.status.get()
            backlog = status['storage']['summary']['measures']
            if not backlog:
                return
            if time.monotonic() > deadline:
                raise GnocchiError(
                    'gnocchi-metricd left %d measures unprocessed after '
                    '%d s:\n%s' % (backlog, timeout, tail(self.metricd_log)))
            time.sleep(0.2)

    def ceilometer_credentials(self):
        """Ceilometer's [service_credentials] section for this Gnocchi."""
        return ('[service_credentials]\n'
                'auth_type = gnocchi-basic\n'
                'user = %s\n'
                'endpoint = %s\n' % (self.user, self.endpoint))
