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
"""The local stack as its operator and a README reader meet it.

The README's command-line cycle run as printed (``readme.py``), and the
settings of the CloudKitty API that the install guide documents:
keystonemiddleware's token cache (a revoked token is refused within
``token_cache_time``) and uwsgi's request buffer (a long URL gets an HTTP
answer, not a reset connection). Same stack and rules as test_stack.py.
"""

import configparser
import datetime
import os
import time

import requests
import testtools

from uos_billing.demo.stack import cloud as stack_cloud
from uos_billing.tests.functional import readme
from uos_billing.tests.functional import test_stack

BILLING = '/v1/rating/module_config/billing'


class TestStackOperator(test_stack.StackTestCase):

    def end_readme_products(self):
        """End the m1.large price a failed run of the cycle left."""
        billing = stack_cloud.Cloud(os.path.join(
            test_stack.STACK_DIR, 'stack.json')).billing
        now = datetime.datetime.now(datetime.timezone.utc)
        left = [p for p in billing.list('/products', 'products',
                                        params={'service': 'instance'})
                if p['name'] == 'm1.large'
                and p['match'] == {'flavor_name': 'm1.large'} and (
                    p['effective_to'] is None or
                    datetime.datetime.fromisoformat(p['effective_to']) > now)]
        end = now + datetime.timedelta(seconds=5)
        for product in left:
            billing.put('/products/%s' % product['id'],
                        {'effective_to': end.isoformat()})
        if left:
            time.sleep(6)

    def test_readme_cli_cycle_runs_as_printed(self):
        self.end_readme_products()
        with open(os.path.join(test_stack.REPO, 'README.rst')) as f:
            steps = readme.steps(f.read())
        self.assertGreaterEqual(len(steps), 10)
        env = {k: v for k, v in test_stack._env().items()
               if not k.startswith('OS_')}
        results = readme.run(steps, test_stack.REPO, env)
        self.addDetail('readme', testtools.content.text_content('\n'.join(
            '$ %s\n%s[exit %d]' % (step.command, output, rc)
            for step, output, rc in results)))
        for step, output, rc in results:
            self.assertEqual(1 if step.fails else 0, rc,
                             '%s:\n%s' % (step.command, output))
            self.assertIsNone(step.mismatch(output), '%s:\n%s' % (
                step.command, output))

    def api_setting(self, section, option):
        conf = configparser.ConfigParser(interpolation=None, strict=False)
        conf.read(os.path.join(test_stack.STACK_DIR, 'etc', 'cloudkitty',
                               'cloudkitty.conf'))
        return conf.get(section, option)

    def test_revoked_token_refused_within_the_token_cache_time(self):
        cache_time = int(self.api_setting('keystone_authtoken',
                                          'token_cache_time'))
        self.assertLessEqual(cache_time, 60)
        a = self.stack['projects']['billing-a']
        token = self.session(a['member'], self.stack['member_password'],
                             'billing-a').get_token()
        url = self.stack['cloudkitty_url'] + BILLING + '/products'

        def status():
            return requests.get(url, headers={'X-Auth-Token': token},
                                timeout=30).status_code

        self.assertEqual(200, status())  # validated, now in the cache
        admin = self.session('admin', self.stack['admin_password'], 'admin')
        admin.delete(self.stack['keystone_url'] + '/auth/tokens',
                     headers={'X-Subject-Token': token})
        revoked = time.monotonic()
        # The cache entry lives token_cache_time from its validation, which
        # came before the revocation; a few seconds for the requests.
        deadline = revoked + cache_time + 5
        while status() != 401:
            self.assertLess(time.monotonic(), deadline,
                            'a revoked token still works %.0f s after its '
                            'revocation (token_cache_time %d s)' % (
                                time.monotonic() - revoked, cache_time))
            time.sleep(1)

    def test_long_url_gets_an_http_answer(self):
        # uwsgi's default buffer (4096 bytes) resets such a connection.
        self.assertGreaterEqual(
            int(self.stack_option('--buffer-size')), 8192)
        sess = self.session('admin', self.stack['admin_password'], 'admin')
        url = '%s%s/products/%s' % (self.stack['cloudkitty_url'], BILLING,
                                    'x' * 6000)
        answer = requests.get(url, timeout=30,
                              headers={'X-Auth-Token': sess.get_token()})
        self.assertIn(answer.status_code, (404, 414), answer.text[:500])

    def stack_option(self, option):
        """An option of the running CloudKitty API's uwsgi command line."""
        with open('/proc/%d/cmdline' % self.pid('cloudkitty-api')) as f:
            argv = f.read().split('\0')
        return argv[argv.index(option) + 1]
