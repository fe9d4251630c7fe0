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
"""Local stack only: a fix of CloudKitty 25 that its reprocessing needs.

CloudKitty's reprocessing worker deletes the window's rated data from its
v2 storage with the schedule's start and end as read from its database:
naive datetimes (UTC). Its InfluxDB client writes them into the DELETE
query with ``isoformat()``, which gives no UTC offset, and InfluxDB
refuses the query ("invalid timestamp string"): every reprocessing task
fails at its first period and is retried forever. An upstream bug
(cloudkitty/storage/v2/influx.py, InfluxClient._get_time_query_delete, as
of 25.x and master); until it is fixed there, operators of CloudKitty
with InfluxDB need the same fix.

tools/stack/install-venv installs this module with a .pth file in the
stack's virtualenv; it patches CloudKitty only in CloudKitty's processes,
and only the time formatting of that one query.
"""

import datetime
import sys


def _utc(value):
    if isinstance(value, datetime.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=datetime.timezone.utc)
    return value


def apply():
    from cloudkitty.storage.v2 import influx
    original = influx.InfluxClient.__dict__['_get_time_query_delete']
    if getattr(original, 'uosb_fixed', False):
        return

    def time_query_delete(begin, end):
        return original.__func__(_utc(begin), _utc(end))

    time_query_delete.uosb_fixed = True
    influx.InfluxClient._get_time_query_delete = staticmethod(
        time_query_delete)


if any('cloudkitty' in arg for arg in sys.argv[:1]):
    try:
        apply()
    except ImportError:  # CloudKitty not installed here
        pass
