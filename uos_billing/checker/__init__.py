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
"""uos-billing-checker: finds drift between the books and the cloud, heals.

The projects are the billing accounts and CloudKitty's scopes; several
checkers share them through a Tooz partitioned group (partition.py), each
project checked by exactly one. For each of its projects a checker reads
the facts (drift.read_facts), finds the drift (drift.py) and, unless it
runs dry, heals it (heal.py).
"""

import collections

from cloudkitty import db
from oslo_log import log as logging
from oslo_utils import timeutils
import sqlalchemy as sa

from uos_billing.checker import drift
from uos_billing.checker import heal
from uos_billing.conf import checker as checker_conf
from uos_billing.core import clock
from uos_billing.rating.db import api as db_api
from uos_billing.rating.db.sqlalchemy import models
from uos_billing.rating import pricing

LOG = logging.getLogger(__name__)
FAILED = 'failed'


class Checker(object):
    """Checks and heals a set of projects; resources is GnocchiResources."""

    def __init__(self, conf, resources, now=None):
        self.conf = conf
        self.options = conf[checker_conf.GROUP]
        self.resources = resources
        self._now = now

    def now(self):
        return clock.instant(self._now or timeutils.utcnow(
            with_timezone=True))

    def projects(self):
        """Every project with an account or a CloudKitty scope."""
        with db.session_for_read() as session:
            found = set(session.execute(
                sa.select(models.Account.project_id)).scalars())
            try:
                found.update(session.execute(
                    sa.select(drift.STATE.c.identifier).distinct())
                    .scalars())
            except sa.exc.DBAPIError:
                LOG.warning('CloudKitty\'s storage state table cannot be '
                            'read: only accounts are checked')
        return sorted(found)

    def check(self, project_ids, dry_run=False):
        """Find (and heal, unless dry_run) the drift of project_ids."""
        now = self.now()
        project_ids = sorted(project_ids)
        live = collections.defaultdict(list)
        for resource in self.resources.live(project_ids):
            live[resource.project_id].append(resource)
        prices = pricing.PRICE_BOOKS.get(db_api.get_instance())
        healer = heal.Healer(self.options.actor, now)
        findings = []
        for project_id in project_ids:
            with db.session_for_read() as session:
                facts = drift.read_facts(
                    session, project_id, self.conf.collect.period,
                    self.options.lookback, now)
            found = (
                drift.balance(facts) +
                drift.unordered(facts, live.get(project_id, [])) +
                drift.ended(facts, self.resources.get,
                            set(self.options.resource_types.values())) +
                drift.unposted(facts) +
                drift.renewals(facts, prices, prices.get, now,
                               self.options.renewal_notice_days))
            for finding in found:
                if not dry_run:
                    try:
                        finding.outcome = healer.heal(finding, facts)
                    except Exception:
                        LOG.exception('could not heal %s of project %s',
                                      finding.kind, project_id)
                        finding.outcome = FAILED
                LOG.info('project %s: %s %s: %s (%s)', project_id,
                         finding.kind, finding.resource_id or '',
                         finding.detail, finding.outcome)
            findings.extend(found)
        return findings


def summary(findings):
    """{outcome: count} of findings."""
    return dict(collections.Counter(f.outcome for f in findings))
