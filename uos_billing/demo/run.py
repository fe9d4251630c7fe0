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
"""uos-billing-demo: a recorded month billed by CloudKitty on SQLite.

Sets up CloudKitty (v1 SQL storage, the billing module enabled) in a fresh
work directory, creates the price book, then lets CloudKitty's orchestrator
Worker rate each project's month from the recording, applying recharges and
a prepaid purchase at their instants. Prints per project the charges, the
orders, the ledger and the checks; exits 1 when a check fails.
"""

import argparse
import calendar
import datetime
import sys
import time

from cloudkitty import storage as ck_storage
from cloudkitty import utils as ck_utils
from oslo_config import cfg

from uos_billing.core import clock
from uos_billing.demo import environment
from uos_billing.demo import replay
from uos_billing.demo import report
from uos_billing.demo import scenario
from uos_billing.rating.db import api as db_api
from uos_billing.rating import service as billing_service

CONF = cfg.CONF

DEFAULT_WORK_DIR = 'work/demo'
PERIOD = 3600


def previous_month(today=None):
    """Start (UTC) of the calendar month before today's."""
    today = today or datetime.datetime.now(clock.UTC)
    year, month = today.year, today.month - 1
    if month == 0:
        year, month = year - 1, 12
    return datetime.datetime(year, month, 1, tzinfo=clock.UTC)


def parse_month(text):
    try:
        start = datetime.datetime.strptime(text, '%Y-%m')
    except ValueError:
        raise argparse.ArgumentTypeError('expected YYYY-MM, got %r' % text)
    return start.replace(tzinfo=clock.UTC)


def span_end(month_start, days=None):
    """End of the replayed span: the month's end, or days after its start."""
    month_days = calendar.monthrange(month_start.year, month_start.month)[1]
    if days is not None and not 1 <= days <= month_days:
        raise ValueError('days must be between 1 and %d, got %d' % (
            month_days, days))
    return month_start + datetime.timedelta(days=days or month_days)


def setup(work_dir, recording):
    """Fresh work directory, configuration and schema; returns the dir."""
    work = environment.make_work_dir(work_dir)
    conf_path = environment.write_config(
        work, [project_id for project_id, _ in recording.projects],
        recording.raw['currency'], PERIOD)
    environment.load_config(conf_path)
    environment.create_schema()
    environment.enable_billing_module()
    return work


def run_demo(work_dir, month_start, days=None, out=None):
    """Bill the recorded month; print the report and return the figures."""
    out = out or sys.stdout
    recording = replay.Recording.load(month_start,
                                      span_end(month_start, days))
    work = setup(work_dir, recording)
    dbapi = db_api.get_instance()
    products = scenario.create_products(recording, dbapi)
    collector = replay.ReplayCollector(
        period=CONF.collect.period, recording=recording,
        conf=ck_utils.load_conf(CONF.collect.metrics_conf))
    storage = ck_storage.get_storage()
    out.write('uos-billing demo: %s .. %s, work directory %s\n' % (
        report.instant_str(recording.month_start),
        report.instant_str(recording.span_end), work))
    processed = scenario.rate_all(collector, storage,
                                  billing_service.BillingService(dbapi),
                                  products)
    out.write('CloudKitty rated %s periods of %d s with the billing module\n'
              % (' + '.join(str(n) for n in processed.values()),
                 CONF.collect.period))
    product_names = {p.id: p.name for p in products.values()}
    figures = []
    for scope in processed:
        project = report.collect(dbapi, storage, recording, scope)
        report.print_project(out, project, recording, product_names)
        figures.append(project)
    return figures


def build_parser():
    parser = argparse.ArgumentParser(
        prog='uos-billing-demo', description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', default=DEFAULT_WORK_DIR,
                        help='work directory, emptied first (default: '
                             '%(default)s)')
    parser.add_argument('--month', type=parse_month, default=None,
                        help='month (YYYY-MM) the recording is replayed '
                             'in; default: the previous calendar month')
    parser.add_argument('--days', type=int, default=None,
                        help='replay only the first DAYS days')
    return parser


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ['stack']:
        from uos_billing.demo.stack import run as stack_run
        return stack_run.main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    month_start = args.month or previous_month()
    try:
        end = span_end(month_start, args.days)
        environment.check_work_dir(args.work_dir)
    except ValueError as e:
        parser.error(str(e))
    if end > datetime.datetime.now(clock.UTC):
        # CloudKitty rates a period only once it is over.
        parser.error('the replayed span must be over: it ends at %s' %
                     end.isoformat())
    started = time.monotonic()
    figures = run_demo(args.work_dir, month_start, args.days)
    failed = [f.name for f in figures if not f.ok]
    print('\nRuntime: %.1f s' % (time.monotonic() - started))
    if failed:
        print('FAILED checks for: %s' % ', '.join(failed))
        return 1
    print('All checks passed.')
    return 0


if __name__ == '__main__':
    sys.exit(main())
