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
"""The Horizon plugin: Project > Billing and Admin > Billing panels.

Installed the way Horizon plugins are: the files of ``enabled/`` are copied
into ``openstack_dashboard/local/enabled/`` (etc/horizon/README.rst). The
panels talk to the billing API (``/v1/rating/module_config/billing``) with
the signed-in user's Keystone token through :mod:`uos_billing.horizon.api`.
"""
