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
"""A real CloudKitty API process on loopback, for the functional tests.

``CloudKittyAPI`` is a fixture: it writes a cloudkitty.conf (no auth
unless ``auth_strategy='keystone'``, v1 SQL storage, a SQLite file in a
temporary directory or the database URL given, the fake messaging
transport, the billing API's project and resource checks off unless
asked for), runs ``cloudkitty-dbsync upgrade --module cloudkitty`` and
``--module billing``, then starts this file as a script in a child
process. The child builds CloudKitty's own WSGI application
(``cloudkitty.api.app.build_wsgi_app``, i.e. the paste pipeline
``cloudkitty+noauth`` or ``cloudkitty+keystone``) and serves it with
wsgiref on 127.0.0.1 and a free port, which it prints on its first line
of output; one request at a time, or each in a thread of its own
(``threaded``: parallel requests are served in parallel, as by uwsgi's
workers).

The tests need exact figures, so the API's clock can be set: when the file
``now`` of the work directory holds an ISO 8601 instant, every request is
served with oslo.utils' ``timeutils.utcnow()`` overridden to it (what the
billing code asks for the time); when the file is empty or missing the
clock is the real one. Nothing else of the API is touched.
"""

import os
import subprocess
import sys

import fixtures

PASTE_INI = """\
[pipeline:cloudkitty+noauth]
pipeline = cors http_proxy_to_wsgi request_id ck_api_v1

[pipeline:cloudkitty+keystone]
pipeline = cors http_proxy_to_wsgi request_id authtoken ck_api_v1

[app:ck_api_v1]
paste.app_factory = cloudkitty.api.app:app_factory

[filter:authtoken]
acl_public_routes = /, /v1
paste.filter_factory = cloudkitty.api.middleware:AuthTokenMiddleware.factory

[filter:request_id]
paste.filter_factory = oslo_middleware:RequestId.factory

[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = cloudkitty

[filter:http_proxy_to_wsgi]
paste.filter_factory = \
oslo_middleware.http_proxy_to_wsgi:HTTPProxyToWSGI.factory
oslo_config_project = cloudkitty
"""

CONF_TEMPLATE = """\
[DEFAULT]
auth_strategy = {auth_strategy}
api_paste_config = {paste}
transport_url = fake:/
log_file = {log}
debug = true

[api]
host = 127.0.0.1

[database]
connection = {connection}

[storage]
version = 1
backend = sqlalchemy

[oslo_messaging_notifications]
driver = noop

[oslo_concurrency]
lock_path = {lock_path}

[billing]
project_source = {project_source}
resource_owner_source = {resource_owner_source}
"""


def bin_path(name):
    """A console script of the virtualenv running the tests."""
    return os.path.join(os.path.dirname(sys.executable), name)


class CloudKittyAPI(fixtures.Fixture):
    """CloudKitty's API with the billing tables, on 127.0.0.1.

    ``endpoint`` is the server's URL, ``config`` its cloudkitty.conf,
    ``database`` the SQLite file (unless database_url names another
    database, e.g. one of oslo.db's provisioning) and ``log`` the API's
    log file.
    """

    def __init__(self, extra_conf='', project_source='none',
                 resource_owner_source='none', auth_strategy='noauth',
                 database_url=None, threaded=False):
        super().__init__()
        self.extra_conf = extra_conf
        # keystone: the extra_conf has [keystone_authtoken].
        self.auth_strategy = auth_strategy
        # No Keystone or Gnocchi unless a test brings them (their
        # [billing_enforcement] and [collector_gnocchi] in extra_conf).
        self.project_source = project_source
        self.resource_owner_source = resource_owner_source
        self.database_url = database_url
        self.threaded = threaded

    def _setUp(self):
        self.workdir = self.useFixture(fixtures.TempDir()).path
        self.database = os.path.join(self.workdir, 'cloudkitty.sqlite')
        connection = self.database_url or 'sqlite:///' + self.database
        self.log = os.path.join(self.workdir, 'cloudkitty-api.log')
        paste = os.path.join(self.workdir, 'api_paste.ini')
        with open(paste, 'w') as f:
            f.write(PASTE_INI)
        lock_path = os.path.join(self.workdir, 'locks')
        os.mkdir(lock_path)
        self.now_file = os.path.join(self.workdir, 'now')
        self.config = os.path.join(self.workdir, 'cloudkitty.conf')
        with open(self.config, 'w') as f:
            f.write(CONF_TEMPLATE.format(
                auth_strategy=self.auth_strategy, paste=paste,
                log=self.log, connection=connection,
                lock_path=lock_path, project_source=self.project_source,
                resource_owner_source=self.resource_owner_source))
            f.write(self.extra_conf)
        # CloudKitty's tables, then the billing module's (as
        # test_dbsync.py). A plain "upgrade" (every module) fails on SQLite
        # in CloudKitty's own hashmap migrations, so the hashmap and
        # pyscripts modules log that their tables are missing; the API
        # serves without them.
        for module in ('cloudkitty', 'billing'):
            self.run_checked([bin_path('cloudkitty-dbsync'),
                              '--config-file', self.config,
                              'upgrade', '--module', module])
        self.start()

    def set_now(self, instant=None):
        """Serve the next requests at this ISO 8601 instant (None: now)."""
        with open(self.now_file, 'w') as f:
            f.write(instant or '')

    def run_checked(self, argv):
        done = subprocess.run(argv, capture_output=True, text=True,
                              timeout=120)
        if done.returncode:
            raise RuntimeError('%s failed (%d): %s' % (
                ' '.join(argv), done.returncode, done.stderr.strip()))
        return done

    def start(self):
        argv = [sys.executable, __file__, '--config-file', self.config,
                '--now-file', self.now_file]
        if self.threaded:
            argv.append('--threaded')
        self.process = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(self.stop)
        line = self.process.stdout.readline()
        if not line.startswith('port '):
            self.process.wait(timeout=30)
            raise RuntimeError('the CloudKitty API did not start: %s%s' % (
                line, self.process.stderr.read()))
        self.port = int(line.split()[1])
        self.endpoint = 'http://127.0.0.1:%d' % self.port

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process.stdout.close()
        self.process.stderr.close()

    def log_tail(self, chars=4000):
        try:
            with open(self.log) as f:
                return f.read()[-chars:]
        except OSError:
            return ''


def clocked(app, now_file):
    """app, its clock set from now_file before each request."""
    from oslo_utils import timeutils

    def serve_at_now(environ, start_response):
        try:
            with open(now_file) as f:
                text = f.read().strip()
        except FileNotFoundError:
            text = ''
        if text:
            timeutils.set_time_override(timeutils.parse_isotime(text))
        else:
            timeutils.clear_time_override()
        return app(environ, start_response)
    return serve_at_now


def serve(argv):
    """Serve CloudKitty's API with wsgiref; print the port first."""
    import socketserver
    from wsgiref import simple_server

    from cloudkitty.api import app

    class QuietHandler(simple_server.WSGIRequestHandler):
        def log_message(self, *args):
            pass

    class ThreadingServer(socketserver.ThreadingMixIn,
                          simple_server.WSGIServer):
        daemon_threads = True
        # Parallel clients connect at once.
        request_queue_size = 64

    threaded = '--threaded' in argv
    if threaded:
        argv = [arg for arg in argv if arg != '--threaded']
    now_file = argv[argv.index('--now-file') + 1]
    # CloudKitty parses sys.argv: leave it --config-file only.
    sys.argv = argv[:argv.index('--now-file')]
    wsgi_app = clocked(app.build_wsgi_app(), now_file)
    server = simple_server.make_server(
        '127.0.0.1', 0, wsgi_app, handler_class=QuietHandler,
        server_class=(ThreadingServer if threaded
                      else simple_server.WSGIServer))
    sys.stdout.write('port %d\n' % server.server_port)
    sys.stdout.flush()
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == '__main__':
    serve(sys.argv)
