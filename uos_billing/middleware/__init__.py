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
"""Admission control for the Nova, Cinder and Neutron API pipelines.

``billing_admission`` (entry point ``paste.filter_factory``) refuses with
402 the requests that would create or start a billable resource for a
project whose billing account is owed or frozen, and buys the prepaid term
asked for in a new server's metadata (``billing:mode``, ``billing:count``)
before Nova creates it. See etc/api-paste/README.rst.
"""
