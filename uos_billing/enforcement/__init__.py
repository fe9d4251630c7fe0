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
"""The enforcement ladder's two hooks into billing.

- after_posting(project_id): the rating module calls it once a period of
  the project is posted (CloudKitty's schedule: no scheduler of our own);
- after_commit(events): the service layer calls it with the events of
  each committed operation; an account restored (billing.account.restored)
  gets what billing stopped started again.

Both do nothing unless ``[billing_enforcement] enabled``, and never
raise: the money already moved and is committed, enforcement failing must
not turn it into an error. The ladder itself (and openstacksdk) is
loaded on first use.
"""

import threading

from oslo_config import cfg
from oslo_log import log as logging

from uos_billing.conf import enforcement as conf_enforcement
from uos_billing.core import ledger

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

_LADDER = None
_LOCK = threading.Lock()


def enabled():
    return CONF[conf_enforcement.GROUP].enabled


def get_ladder():
    global _LADDER
    with _LOCK:
        if _LADDER is None:
            from uos_billing.enforcement import ladder
            _LADDER = ladder.Ladder(CONF)
        return _LADDER


def reset():
    """Forget the ladder (tests change its options between cases)."""
    global _LADDER
    with _LOCK:
        _LADDER = None


def after_posting(project_id):
    """Evaluate the ladder for project_id; returns the step, or None."""
    if project_id is None or not enabled():
        return None
    try:
        return get_ladder().evaluate(project_id)
    except Exception:
        LOG.exception('enforcement of project %s failed', project_id)
        return None


def after_commit(events):
    """Restore the projects whose account an operation restored."""
    if not events or not enabled():
        return
    restored = sorted({payload['project_id'] for event, payload in events
                       if event == ledger.EVENT_RESTORED})
    for project_id in restored:
        try:
            get_ladder().restore(project_id)
        except Exception:
            LOG.exception('restoring project %s failed', project_id)
