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
"""``openstack rating`` commands for the billing module.

The commands are cliff commands registered in the ``openstack.rating.v1``
and ``openstack.rating.v2`` entry-point groups, which python-openstackclient
loads through python-cloudkittyclient's OSC plugin. They talk to the
billing module's API (``/v1/rating/module_config/billing``) through the
keystoneauth adapter of cloudkittyclient's client (``client.py``).
"""
