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
"""``uos-billing-checker``: one round, or one every ``--interval`` seconds.

    uos-billing-checker --config-file /etc/cloudkitty/cloudkitty.conf \\
        [--interval 600] [--dry-run]

Each finding is printed as one JSON line on standard output; the round
ends with a summary line. Exit status: 0, or 1 when the last round or a
heal in it failed, 2 on a bad configuration.
"""

import json
import signal
import sys
import threading

from oslo_config import cfg
from oslo_log import log as logging

from uos_billing import checker
from uos_billing.checker import partition as partition_mod
from uos_billing.checker import resources
from uos_billing.conf import checker as checker_conf
from uos_billing.conf import opts

LOG = logging.getLogger(__name__)
CONF = cfg.CONF


def parse_args(argv, conf=CONF):
    conf.register_cli_opts(checker_conf.cli_opts)
    conf.import_opt('period', 'cloudkitty.collector', 'collect')
    conf.import_opt('coordination_url', 'cloudkitty.orchestrator',
                    'orchestrator')
    logging.register_options(conf)
    # Standard output carries the findings.
    conf.set_default('use_stderr', True)
    conf(argv, project='cloudkitty', prog='uos-billing-checker')
    logging.setup(conf, 'uos-billing-checker')
    opts.check(conf)
    return conf


def coordination_url(conf):
    return (conf.billing_checker.coordination_url
            or conf.orchestrator.coordination_url)


def report(findings, out):
    for finding in findings:
        out.write(json.dumps({
            'kind': finding.kind, 'project_id': finding.project_id,
            'resource_id': finding.resource_id, 'outcome': finding.outcome,
            'detail': finding.detail}, sort_keys=True) + '\n')


def one_round(conf, the_checker, partition, out):
    projects = the_checker.projects()
    mine = partition.mine(projects)
    findings = the_checker.check(mine, dry_run=conf.dry_run)
    report(findings, out)
    out.write('checked %d of %d projects: %s\n' % (
        len(mine), len(projects),
        json.dumps(checker.summary(findings), sort_keys=True)))
    out.flush()
    return findings


def run(conf, the_checker, partition, stop_event, out=sys.stdout):
    """Rounds until stop_event (one when --interval is 0).

    Returns the findings of the last round, or None when it failed (the
    database, Gnocchi or the coordination backend out of reach): logged,
    and with --interval the next round tries again.
    """
    while True:
        try:
            findings = one_round(conf, the_checker, partition, out)
        except Exception:
            LOG.exception('the round of checks failed')
            findings = None
        if not conf.interval or stop_event.wait(conf.interval):
            return findings


def main(argv=None):
    try:
        conf = parse_args(sys.argv[1:] if argv is None else argv)
    except (cfg.Error, ValueError) as e:
        sys.stderr.write('uos-billing-checker: %s\n' % e)
        return 2
    except SystemExit as e:
        # A bad command line: oslo.config printed what is wrong.
        if e.code:
            return 2
        raise
    stop_event = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop_event.set())
    signal.signal(signal.SIGINT, lambda *_: stop_event.set())
    try:
        partition = partition_mod.Partition(coordination_url(conf),
                                            conf.billing_checker.group)
    except ValueError as e:
        sys.stderr.write('uos-billing-checker: %s\n' % e)
        return 2
    gnocchi = resources.GnocchiResources(
        resources.client_from_conf(conf),
        conf.billing_checker.resource_types)
    partition.start()
    try:
        findings = run(conf, checker.Checker(conf, gnocchi), partition,
                       stop_event)
    finally:
        partition.stop()
    if findings is None:
        return 1
    return 1 if any(f.outcome == checker.FAILED for f in findings) else 0


if __name__ == '__main__':
    sys.exit(main())
