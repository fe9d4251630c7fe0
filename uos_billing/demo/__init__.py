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
"""The demo billing run (uos-billing-demo, tox -e demo).

A recorded month of instance usage for three projects (data/month.json),
served by a replay collector (replay.py) and rated by CloudKitty's own
orchestrator Worker, v1 SQL storage and the billing module on SQLite
(environment.py, scenario.py); run.py prints what report.py reads back.
"""

import warnings

# oslo.messaging and Ceilometer import eventlet, which warns once per
# process that it is deprecated (an EventletDeprecationWarning, not a
# DeprecationWarning: PYTHONWARNINGS=ignore::DeprecationWarning misses it).
# The demo runs two processes (the live part and the backfill), so its
# output had the same nine-line block twice; it says nothing about the
# demo. Only this warning is ignored, only in the demo's processes (and
# tools/stack/server), before anything imports eventlet.
warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')
