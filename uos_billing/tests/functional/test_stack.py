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
"""Smoke test of the local stack (tools/stack/), on real services only.

It brings the stack up with ``tools/stack/start`` (or reuses one that
``tools/stack/status`` reports running), checks that every service
answers, and stops it again with ``tools/stack/stop`` when it started it
(``UOS_BILLING_STACK_KEEP=1`` leaves it running).

Skipped, with the reason, only when a service cannot run on this machine:
InfluxDB's ``influxd`` is not installed (Debian package ``influxdb``), or
one of the servers the stack uses but does not start (MariaDB, PostgreSQL,
Redis, RabbitMQ) does not answer on 127.0.0.1. Any other failure to start
is a failure, with the service's log in the message.
"""

import base64
import datetime
import decimal
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time

from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
import requests
import testtools

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))))
STACK = os.path.join(REPO, 'tools', 'stack')
STACK_DIR = os.environ.get('UOS_BILLING_STACK_DIR') or os.path.join(
    REPO, 'work', 'stack')
SERVERS = (('MariaDB', 3306), ('PostgreSQL', 5432), ('Redis', 6379),
           ('RabbitMQ', 5672))
POLL_INTERVAL = int(os.environ.get('UOS_BILLING_STACK_POLL_INTERVAL', 10))
START_TIMEOUT = 1800  # a first start builds three virtualenvs


def _port_open(port):
    try:
        socket.create_connection(('127.0.0.1', port), timeout=2).close()
        return True
    except OSError:
        return False


def cannot_run():
    """Why the stack cannot run on this machine, or None."""
    if not shutil.which('influxd'):
        return ('InfluxDB is not installed: no influxd on PATH (Debian '
                'package influxdb, see bindep.txt)')
    for name, port in SERVERS:
        if not _port_open(port):
            return '%s does not answer on 127.0.0.1:%d' % (name, port)
    return None


def _env():
    env = dict(os.environ)
    # The services run from their own virtualenvs, not the test's.
    for name in ('VIRTUAL_ENV', 'PYTHONPATH'):
        env.pop(name, None)
    return env


def _run(command, timeout):
    return _run_args(command, timeout=timeout)


def _run_args(command, *args, timeout=300):
    return subprocess.run([os.path.join(STACK, command)] + list(args),
                          env=_env(), capture_output=True, text=True,
                          timeout=timeout)


def redis_keys(pattern):
    """KEYS pattern on the stack's Redis, with a bare RESP client."""
    with socket.create_connection(('127.0.0.1', 6379), timeout=5) as s:
        s.sendall(('KEYS %s\r\n' % pattern).encode())
        data = b''
        while True:
            chunk = s.recv(65536)
            data += chunk
            lines = data.split(b'\r\n')
            if lines and lines[0].startswith(b'*'):
                count = int(lines[0][1:])
                if len(lines) >= 1 + 2 * count + 1:
                    return [lines[2 + 2 * i].decode() for i in range(count)]
            if not chunk:
                raise AssertionError('Redis closed: %r' % data)


class StackTestCase(testtools.TestCase):
    """Tests on the local stack: started for the class when not running."""

    started = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        reason = cannot_run()
        if reason:
            raise testtools.testcase.TestSkipped(
                'the local stack cannot run here: ' + reason)
        if _run('status', 60).returncode:
            done = _run('start', START_TIMEOUT)
            cls.started = True
            if done.returncode:
                raise AssertionError('tools/stack/start failed (%d):\n%s\n%s'
                                     % (done.returncode, done.stdout[-3000:],
                                        done.stderr[-6000:]))
        with open(os.path.join(STACK_DIR, 'stack.json')) as f:
            cls.stack = json.load(f)

    @classmethod
    def tearDownClass(cls):
        if cls.started and not os.environ.get('UOS_BILLING_STACK_KEEP'):
            _run('stop', 300)
        super().tearDownClass()

    def pid(self, service):
        with open(os.path.join(STACK_DIR, 'run', service + '.pid')) as f:
            pid = int(f.read())
        os.kill(pid, 0)  # raises if it is gone
        return pid

    def session(self, user, password, project):
        auth = v3.Password(auth_url=self.stack['keystone_url'],
                           username=user, password=password,
                           project_name=project, user_domain_id='default',
                           project_domain_id='default')
        return ks_session.Session(auth=auth)

    def gnocchi(self, method, path, **kwargs):
        basic = base64.b64encode(b'admin:').decode()
        response = requests.request(
            method, self.stack['gnocchi_url'] + path, timeout=30,
            headers={'Authorization': 'Basic ' + basic}, **kwargs)
        response.raise_for_status()
        return response.json()

    def openstack(self, user, password, project, *args, status=0):
        """``openstack rating <args>`` as user, through Keystone."""
        env = {k: v for k, v in _env().items() if not k.startswith('OS_')}
        argv = [os.path.join(os.path.dirname(sys.executable), 'openstack'),
                '--os-auth-type', 'password',
                '--os-auth-url', self.stack['keystone_url'],
                '--os-identity-api-version', '3',
                '--os-username', user, '--os-password', password,
                '--os-project-name', project,
                '--os-user-domain-id', 'default',
                '--os-project-domain-id', 'default',
                '--os-interface', 'public',
                'rating'] + list(args)
        done = subprocess.run(argv, capture_output=True, text=True,
                              timeout=120, env=env)
        self.assertEqual(status, done.returncode, '%s: %s%s' % (
            ' '.join(args), done.stdout, done.stderr))
        return done


class TestStack(StackTestCase):
    """tools/stack/: every service up and answering."""

    def test_keystone_tokens_for_members_of_each_project(self):
        for name, project in sorted(self.stack['projects'].items()):
            sess = self.session(project['member'],
                                self.stack['member_password'], name)
            self.assertTrue(sess.get_token())
            access = sess.auth.get_access(sess)
            self.assertEqual(project['id'], access.project_id)
            self.assertIn('member', access.role_names)
            # The catalog has CloudKitty's entry.
            self.assertEqual(
                self.stack['cloudkitty_url'],
                sess.get_endpoint(service_type='rating',
                                  interface='public').rstrip('/'))

    def test_gnocchi_status(self):
        self.pid('gnocchi-metricd')
        status = self.gnocchi('GET', '/v1/status')
        self.assertIn('summary', status['storage'])

    def test_cloudkitty_api_shows_billing_enabled(self):
        sess = self.session('admin', self.stack['admin_password'], 'admin')
        modules = sess.get(self.stack['cloudkitty_url'] +
                           '/v1/rating/modules').json()['modules']
        billing = [m for m in modules if m['module_id'] == 'billing']
        self.assertEqual(1, len(billing), modules)
        self.assertTrue(billing[0]['enabled'], billing)

    def test_processors_alive_with_tooz_heartbeats(self):
        pids = {self.pid('cloudkitty-processor-%d' % n) for n in (1, 2)}
        self.assertEqual(2, len(pids))
        # Each processor's workers start a Tooz coordinator on the shared
        # Redis with a heartbeat (key _tooz_beats:<member>): at least one
        # per processor.
        deadline = time.monotonic() + 60
        while True:
            beats = redis_keys('_tooz_beats*')
            if len(beats) >= 2 or time.monotonic() > deadline:
                break
            time.sleep(1)
        self.assertGreaterEqual(len(beats), 2, beats)

    def test_vm_state_reaches_gnocchi(self):
        self.pid('ceilometer-polling')
        self.pid('ceilometer-agent-notification')
        domain = self.stack['domains'][0]
        # A measure of this run, not one left by an earlier start (the
        # 60 s granularity rounds timestamps down to the minute).
        since = time.strftime('%Y-%m-%dT%H:%M:%SZ',
                              time.gmtime(time.time() - 60))
        deadline = time.monotonic() + 6 * POLL_INTERVAL + 90
        last = None
        while time.monotonic() < deadline:
            try:
                resource = self.gnocchi(
                    'GET', '/v1/resource/instance/%s' % domain['id'])
                metric = resource['metrics'].get('vm.state')
                if metric:
                    measures = self.gnocchi(
                        'GET', '/v1/metric/%s/measures' % metric,
                        params={'aggregation': 'last', 'start': since})
                    if measures:
                        self.assertEqual(domain['project'],
                                         resource['project_id'])
                        self.assertEqual(float(domain['state']),
                                         measures[-1][2])
                        return
                    last = 'vm.state has no measures yet'
                else:
                    last = 'no vm.state metric on %s' % resource['id']
            except requests.HTTPError as e:
                last = str(e)
            time.sleep(2)
        self.fail('vm.state of %s not in Gnocchi: %s' % (domain['id'], last))

    def test_cli_members_see_only_their_own_project(self):
        admin = ('admin', self.stack['admin_password'], 'admin')
        a, b = self.stack['projects']['billing-a'], self.stack['projects'][
            'billing-b']
        password = self.stack['member_password']
        alice = (a['member'], password, 'billing-a')
        for project in (a, b):
            self.openstack(*admin, 'account', 'recharge', project['id'],
                           '--amount', '5.00', '--idempotency-key',
                           'stack-test-%s-%s' % (project['id'], time.time()))
        shown = json.loads(self.openstack(
            *alice, 'account', 'show', a['id'], '-f', 'json').stdout)
        self.assertEqual(a['id'], shown['Project ID'])
        # Another project's account, ledger and orders: refused.
        for args in (('account', 'show', b['id']),
                     ('transaction', 'list', b['id']),
                     ('order', 'list', '--project', b['id'])):
            done = self.openstack(*alice, *args, status=1)
            self.assertIn('403', done.stderr, args)
        # A member cannot recharge, not even their own project.
        done = self.openstack(*alice, 'account', 'recharge', a['id'],
                              '--amount', '1000.00', status=1)
        self.assertIn('403', done.stderr)
        # Their own orders only, without asking for a project.
        orders = json.loads(self.openstack(*alice, 'order', 'list', '-f',
                                           'json').stdout)
        self.assertEqual(set(), {o['Project ID'] for o in orders} - {a['id']})

    def test_demo_bills_the_scripted_lives(self):
        from uos_billing.demo.stack import run as stack_run
        out = io.StringIO()
        figures = stack_run.run(REPO, STACK_DIR, os.environ.get(
            'UOS_BILLING_STACK_TRANSPORT_URL',
            'rabbit://guest:guest@127.0.0.1:5672/'), out=out)
        self.addDetail('demo', testtools.content.text_content(
            out.getvalue()))
        by_name = {f.name: f for f in figures}
        self.assertEqual({'demo-a', 'demo-b'}, set(by_name))
        for name, project in by_name.items():
            self.assertTrue(project.ledger_ok, name)
            self.assertTrue(project.charges_ok, (
                name, project.charged, project.expected_charged,
                project.allowance))
            self.assertTrue(all(project.line_checks), name)
        # demo-b bought one monthly term for b-web, paid at once.
        b = by_name['demo-b']
        self.assertEqual([('monthly', 'active', decimal.Decimal(500))], [
            (o['mode'], o['status'], decimal.Decimal(o['unit_price']))
            for o in b.orders if o['mode'] == 'monthly'])
        self.assertEqual([decimal.Decimal(-500)], [
            decimal.Decimal(e['amount']) for e in b.entries
            if e['kind'] == 'order_payment'])
        # Deleted VMs: their on-demand orders closed at their end (Nova's
        # delete event -> Gnocchi's ended_at -> the point's ended_at).
        closed = [o for f in figures for o in f.orders
                  if o['status'] == 'closed']
        self.assertEqual(2, len(closed), [f.orders for f in figures])
        # Every script period with on-demand usage was charged once per
        # project: one charge entry per period, no period twice, and no
        # entry of nothing (demo-b's b-web is under its term from 20 s).
        for project in figures:
            charges = [e for e in project.entries if e['kind'] == 'charge']
            periods = [e['period_begin'] for e in charges]
            self.assertEqual(len(periods), len(set(periods)), project.name)
            self.assertEqual([], [e for e in charges
                                  if decimal.Decimal(e['amount']) == 0],
                             project.name)
        # demo-a runs a-db all along; demo-b is on demand for b-batch's
        # 120 s (four periods at least) and maybe b-web's first seconds.
        self.assertGreaterEqual(len([e for e in by_name['demo-a'].entries
                                     if e['kind'] == 'charge']), 8)
        self.assertGreaterEqual(len([e for e in b.entries
                                     if e['kind'] == 'charge']), 4)

    def test_backfill_week_rated_from_its_start(self):
        from uos_billing.demo.stack import backfill
        out = io.StringIO()
        now = backfill.life.now()
        week = backfill.run(STACK_DIR, POLL_INTERVAL, 'uos_gnocchi', now=now,
                            out=out)
        self.addDetail('backfill', testtools.content.text_content(
            out.getvalue()))
        D = decimal.Decimal
        # Samples and changes on the polling grid: every line billed to
        # the second the script gives (the script's own figures are pinned
        # in tests/unit/demo/test_backfill.py), the charges exact.
        self.assertEqual(6, len(week.lines))
        for line in week.lines:
            self.assertEqual(line.seconds, line.billed_seconds,
                             (line.vm, line.flavor, line.state))
        self.assertEqual(D('13877.93'), week.charged)
        self.assertTrue(week.ledger_ok)
        self.assertTrue(week.ok)
        # CloudKitty rated the week from its first hour to its last: one
        # charge per period, none twice.
        start, end = backfill.week_window(now)
        periods = sorted(datetime.datetime.fromisoformat(e['period_begin'])
                         for e in week.entries if e['kind'] == 'charge')
        hour = datetime.timedelta(hours=1)
        self.assertEqual([start + i * hour for i in range(168)], periods)
        # The deleted VMs' on-demand orders closed at their deletion.
        self.assertEqual(sorted([
            start + datetime.timedelta(days=2, hours=10, minutes=5,
                                       seconds=40),
            start + datetime.timedelta(days=5, hours=12, minutes=10,
                                       seconds=20)]), sorted(
            datetime.datetime.fromisoformat(o['closed_at'])
            for o in week.orders if o['closed_at']))
