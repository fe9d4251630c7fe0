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
"""The browser test's stand-in for Nova (the local stack has none).

The local stack runs no Nova, so Horizon cannot list a project's
instances. This application, installed only by the browser test's
settings, makes uos_billing.horizon.api.project_instances answer the
instances given in UOS_BILLING_BROWSER_INSTANCES (a JSON list of
{id, name, status, flavor_id, flavor_name}) for every project. Everything
else the panels do goes to the stack's Keystone and CloudKitty.
"""

import json
import os

from django import apps


class BrowserInstancesConfig(apps.AppConfig):
    name = 'uos_billing.horizon.test.browser'
    label = 'uos_billing_browser_instances'

    def ready(self):
        from uos_billing.horizon import api
        instances = json.loads(
            os.environ.get('UOS_BILLING_BROWSER_INSTANCES', '[]'))

        def project_instances(request):
            return [api.BillingObject(dict(i)) for i in instances]

        api.project_instances = project_instances
