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
"""Billing notifications, sent through oslo.messaging after each commit."""

from oslo_config import cfg
from oslo_log import log as logging
import oslo_messaging

LOG = logging.getLogger(__name__)

PUBLISHER_ID = 'billing'
_NOTIFIER = None


def get_notifier():
    global _NOTIFIER
    if _NOTIFIER is None:
        transport = oslo_messaging.get_notification_transport(cfg.CONF)
        _NOTIFIER = oslo_messaging.Notifier(transport,
                                            publisher_id=PUBLISHER_ID)
    return _NOTIFIER


def reset():
    """Forget the notifier (tests change the driver between cases)."""
    global _NOTIFIER
    _NOTIFIER = None


def send(events):
    """Send (event_type, payload) pairs; a failure is logged, never raised.

    The money already moved and is committed: a broker outage must not turn
    a posted period into a retried one.
    """
    for event_type, payload in events:
        try:
            get_notifier().info({}, event_type, payload)
        except Exception:
            LOG.exception('could not send notification %s for %s',
                          event_type, payload.get('project_id'))
