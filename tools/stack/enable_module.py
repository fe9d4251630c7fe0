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
"""Enable a rating module through CloudKitty's API, as the stack's admin.

Usage: python enable_module.py STACK_JSON MODULE
"""

import json
import sys

from keystoneauth1.identity import v3
from keystoneauth1 import session


def main(stack_json, module):
    with open(stack_json) as f:
        stack = json.load(f)
    auth = v3.Password(auth_url=stack['keystone_url'], username='admin',
                       password=stack['admin_password'],
                       project_name='admin', user_domain_id='default',
                       project_domain_id='default')
    sess = session.Session(auth=auth)
    url = '%s/v1/rating/modules/%s' % (stack['cloudkitty_url'], module)
    current = sess.get(url).json()
    if not current.get('enabled'):
        # The v1 API wants the whole module object back.
        # It answers 302 to the module's URL.
        sess.put(url, json=dict(current, enabled=True), redirect=False)
    print('%s enabled: %s' % (module, sess.get(url).json()))


if __name__ == '__main__':
    main(*sys.argv[1:])
