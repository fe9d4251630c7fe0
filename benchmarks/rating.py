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
"""Rating throughput of the billing module against CloudKitty's hashmap.

Run with ``tox -e bench`` or ``python benchmarks/rating.py --help``.

For every scope (project) one hourly frame of ``instance`` points, priced
by flavor: hashmap with one flat mapping per flavor on the field
``flavor_name`` of the service ``instance``, billing with one product per
flavor matching ``flavor_name``, both at the same hourly price. Each module
is driven as CloudKitty's orchestrator drives it: per scope an instance
built with tenant_id=scope, reload_config(period start), process(frame).
billing's timing includes what its process() writes (the charge rows, the
ledger entry, the balance; the first time, the account and the on-demand
orders).

Every (backend, shape) configuration gets fresh tables and rates two
consecutive periods of the same VMs. The first period is billing's first
rating of each project (account and one on-demand order per VM opened);
the second is what the orchestrator does every period after that (steady
state), and is what the bars are measured on; both are printed. hashmap
costs the same in every period. The bare reference loop (dict lookup,
Decimal multiply, set_price) over the same frames gives the scale of pure
Python pricing.

This is the only place with timing bars: unit tests assert no timings.
"""

import warnings

# Some OpenStack libraries warn when imported (eventlet's deprecation among
# them): silence those warnings before importing them.
warnings.simplefilter('ignore', DeprecationWarning)
warnings.filterwarnings('ignore', message=r'(?s).*[Ee]ventlet is deprecated')

import argparse  # noqa: E402
import contextlib  # noqa: E402
import cProfile  # noqa: E402
import datetime  # noqa: E402
import decimal  # noqa: E402
import gc  # noqa: E402
import io  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import pstats  # noqa: E402
import random  # noqa: E402
import sqlite3  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from unittest import mock  # noqa: E402
import uuid  # noqa: E402

from cloudkitty import dataframe  # noqa: E402
from cloudkitty import db as ck_db  # noqa: E402
from cloudkitty.db import api as ck_db_api  # noqa: E402
from cloudkitty.rating import hash as hashmap  # noqa: E402
from cloudkitty.rating.hash.db.sqlalchemy import models as hash_models  # noqa
from oslo_config import cfg  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from uos_billing.core import pricebook  # noqa: E402
from uos_billing import rating as billing  # noqa: E402
from uos_billing.rating.db import api as billing_db_api  # noqa: E402
from uos_billing.rating import pricing  # noqa: E402

UTC = datetime.timezone.utc

#: The rated hour, and when the price rules start (well before it).
PERIOD_START = datetime.datetime(2025, 6, 2, 10, 0, tzinfo=UTC)
RULES_FROM = datetime.datetime(2020, 1, 1, tzinfo=UTC)

#: name, vcpus, hourly price (EUR).
FLAVORS = (
    ('m1.tiny', 1, '0.0060'),
    ('m1.small', 1, '0.0120'),
    ('m1.medium', 2, '0.0240'),
    ('m1.large', 4, '0.0480'),
    ('m1.xlarge', 8, '0.0960'),
    ('c1.medium', 2, '0.0310'),
    ('c1.large', 4, '0.0620'),
    ('c1.xlarge', 8, '0.1240'),
    ('r1.large', 4, '0.0740'),
    ('r1.xlarge', 8, '0.1480'),
)

#: The module totals must agree to this many decimal places.
TOTAL_QUANTUM = decimal.Decimal('1e-8')

SERVICE = 'instance'
FIELD = 'flavor_name'

DEFAULT_BACKENDS = 'sqlite,mysql'
DEFAULT_SHAPES = '200x2000,20x20000,2000x20'
DEFAULT_MYSQL_URL = 'mysql+pymysql://root@127.0.0.1:3306/'

#: (shape, minimum billing/hashmap throughput ratio), on every backend.
BARS = (('200x2000', 2.0), ('2000x20', 10.0))

BACKEND_LABELS = {'sqlite': 'SQLite file', 'mysql': 'MySQL/MariaDB'}

# The configuration oslo.messaging reads when billing first notifies:
# in-process transport, notifications dropped.
MESSAGING_CONF = """[DEFAULT]
transport_url = fake:/

[oslo_messaging_notifications]
driver = noop
"""


def flavor_id(name):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, 'flavor:' + name))


def prices():
    return {name: decimal.Decimal(price) for name, _vcpus, price in FLAVORS}


# Frames


def parse_shape(text):
    try:
        scopes, points = (int(part) for part in text.lower().split('x'))
    except ValueError:
        raise argparse.ArgumentTypeError(
            'a shape is SCOPESxPOINTS, e.g. 200x2000: %r' % (text,))
    if scopes < 1 or points < 1:
        raise argparse.ArgumentTypeError('empty shape: %r' % (text,))
    return scopes, points


def shape_name(shape):
    return '%dx%d' % shape


def build_frames(shape, seed=42):
    """[(scope, DataFrame)] with shape[1] instance points per scope."""
    scopes, points = shape
    rng = random.Random(seed)
    flavors = [(name, flavor_id(name), str(vcpus))
               for name, vcpus, _price in FLAVORS]
    end = PERIOD_START + datetime.timedelta(seconds=cfg.CONF.collect.period)

    def new_uuid():
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    frames = []
    for _s in range(scopes):
        scope = new_uuid().hex
        data = []
        for _p in range(points):
            name, fid, vcpus = rng.choice(flavors)
            data.append(dataframe.DataPoint(
                unit='instance', qty=1, price=0,
                groupby={'id': str(new_uuid()), 'project_id': scope,
                         'flavor_name': name},
                metadata={'flavor_id': fid, 'vcpus': vcpus}))
        frame = dataframe.DataFrame(start=PERIOD_START, end=end)
        frame.add_points(data, SERVICE)
        frames.append((scope, frame))
    return frames


def expected_total(frames):
    table = prices()
    return sum((table[point.groupby[FIELD]] * point.qty
                for _scope, frame in frames
                for _type, point in frame.iterpoints()),
               decimal.Decimal(0))


def next_period(frames):
    """The same points, one period later."""
    delta = datetime.timedelta(seconds=cfg.CONF.collect.period)
    return [(scope, dataframe.DataFrame(
        start=frame.start + delta, end=frame.end + delta,
        usage={type_: list(points) for type_, points in frame.itertypes()}))
        for scope, frame in frames]


def frame_total(frame):
    return sum((point.price for _type, point in frame.iterpoints()),
               decimal.Decimal(0))


# Databases


@contextlib.contextmanager
def quiet_migrations():
    """Alembic's env.py loads a logging configuration that logs at INFO."""
    with mock.patch('logging.config.fileConfig'):
        yield
    logging.getLogger('alembic').setLevel(logging.ERROR)


def reset_engine():
    """Close cloudkitty's engine and forget its facade."""
    if ck_db._FACADE is not None:
        with ck_db.session_for_write() as session:
            session.get_bind().dispose()
    ck_db._FACADE = None


class SQLiteDatabase(object):
    """A fresh SQLite file in a temporary directory."""

    backend = 'sqlite'

    def __init__(self, args):
        self._dir = None

    def __enter__(self):
        self._dir = tempfile.TemporaryDirectory(prefix='uosb_bench_')
        path = os.path.join(self._dir.name, 'bench.sqlite')
        return 'sqlite:///%s' % path

    def __exit__(self, *exc):
        reset_engine()
        self._dir.cleanup()
        return False


class MySQLDatabase(object):
    """A throw-away database uosb_bench_<random> on the server, dropped."""

    backend = 'mysql'

    def __init__(self, args):
        self._server_url = sa.engine.make_url(args.mysql_url)
        self._server = sa.create_engine(self._server_url,
                                        poolclass=sa.pool.NullPool)
        self._name = None

    def server_version(self):
        with self._server.connect() as conn:
            return conn.execute(sa.text('SELECT VERSION()')).scalar()

    def __enter__(self):
        self._name = 'uosb_bench_%s' % uuid.uuid4().hex[:12]
        with self._server.connect() as conn:
            conn.execute(sa.text(
                'CREATE DATABASE %s CHARACTER SET utf8mb4' % self._name))
        url = self._server_url.set(database=self._name)
        return url.render_as_string(hide_password=False)

    def __exit__(self, *exc):
        reset_engine()
        with self._server.connect() as conn:
            conn.execute(sa.text('DROP DATABASE IF EXISTS %s' % self._name))
        return False


DATABASES = {'sqlite': SQLiteDatabase, 'mysql': MySQLDatabase}


def prepare_database(backend, url):
    """Point cloudkitty at url and create the core, hashmap, billing tables.

    hashmap's migration 8a591f85865f fails on a SQLite file (it opens a
    second session that cannot see its own uncommitted ALTER): there its
    tables come from its models, stamped at head.
    """
    reset_engine()
    cfg.CONF.set_override('connection', url, 'database')
    pricing.PRICE_BOOKS.clear()
    with quiet_migrations():
        ck_db_api.get_instance().get_migration().upgrade('head')
        hash_migration = hashmap.HashMap.db_api.get_migration()
        if backend == 'sqlite':
            with ck_db.session_for_write() as session:
                engine = session.get_bind()
            hash_models.Base.metadata.create_all(engine)
            hash_migration.stamp('head')
        else:
            hash_migration.upgrade('head')
        billing.BillingRating.db_api.get_migration().upgrade('head')


def create_rules():
    """The same flavor prices as hashmap mappings and as billing products."""
    hash_db = hashmap.HashMap.db_api
    service = hash_db.create_service(SERVICE)
    field = hash_db.create_field(service.service_id, FIELD)
    naive_from = RULES_FROM.replace(tzinfo=None)
    for name, _vcpus, price in FLAVORS:
        hash_db.create_mapping(
            cost=price, map_type='flat', value=name,
            field_id=field.field_id, start=naive_from,
            name='bench-' + name, created_by='bench')
    billing_db = billing_db_api.get_instance()
    for name, _vcpus, price in FLAVORS:
        billing_db.create_product(pricebook.Product.build(
            id=str(uuid.uuid5(uuid.NAMESPACE_URL, 'product:' + name)),
            name=name, service=SERVICE, unit='instance',
            match={FIELD: name}, on_demand_price=decimal.Decimal(price),
            currency='EUR', effective_from=RULES_FROM),
            created_by='bench')


# Timed runs


def run_module(module_class, frames, profiler=None):
    """Seconds spent rating every scope as the orchestrator does, total."""
    gc.collect()
    elapsed = 0.0
    total = decimal.Decimal(0)
    clock = time.perf_counter
    for scope, frame in frames:
        if profiler is not None:
            profiler.enable()
        begin = clock()
        module = module_class(tenant_id=scope)
        module.reload_config(frame.start)
        out = module.process(frame)
        elapsed += clock() - begin
        if profiler is not None:
            profiler.disable()
        total += frame_total(out)
    return elapsed, total


def run_reference(frames):
    """The bare loop: flavor price lookup, Decimal multiply, set_price."""
    gc.collect()
    table = prices()
    elapsed = 0.0
    total = decimal.Decimal(0)
    clock = time.perf_counter
    for _scope, frame in frames:
        begin = clock()
        out = dataframe.DataFrame(start=frame.start, end=frame.end)
        for type_, points in frame.itertypes():
            out.add_points(
                [point.set_price(point.price
                                 + table[point.groupby[FIELD]] * point.qty)
                 for point in points], type_)
        elapsed += clock() - begin
        total += frame_total(out)
    return elapsed, total


def count_rows(frames):
    """What billing wrote: accounts, orders, charges, ledger entries."""
    with ck_db.session_for_read() as session:
        return {table: session.execute(sa.text(
            'SELECT COUNT(*) FROM %s' % table)).scalar()
            for table in ('billing_account', 'billing_order',
                          'billing_charge', 'billing_ledger')}


def check_rows(rows, shape):
    scopes, points = shape
    expected = {'billing_account': scopes, 'billing_order': scopes * points,
                'billing_charge': 2 * scopes * points,
                'billing_ledger': 2 * scopes}
    if rows != expected:
        raise SystemExit('billing wrote %s, expected %s' % (rows, expected))


def check_totals(label, totals):
    # SQLite keeps hashmap's Numeric costs as binary floats
    # (0.0120 -> 0.01199999999999999955...): compare to TOTAL_QUANTUM.
    if len({value.quantize(TOTAL_QUANTUM) for value in totals.values()}) != 1:
        raise SystemExit('%s: the totals differ: %s' % (
            label, ', '.join('%s %s' % item for item in totals.items())))


def run_once(database, shape, frames, hash_frames, profiler):
    """One run on fresh tables: seconds of hashmap, billing, reference.

    hashmap rates hash_frames (all frames, or the first scopes of them
    when sampled), the reference loop all frames, and billing all frames
    then the same VMs one period later (its steady state, profiled).
    """
    later = next_period(frames)
    with database as url:
        prepare_database(database.backend, url)
        create_rules()
        hash_time, hash_total = run_module(hashmap.HashMap, hash_frames)
        first_time, bill_total = run_module(billing.BillingRating, frames)
        bill_time, later_total = run_module(billing.BillingRating, later,
                                            profiler)
        ref_time, ref_total = run_reference(frames)
        rows = count_rows(frames)
    label = '%s %s' % (database.backend, shape_name(shape))
    check_totals(label, {'expected': expected_total(frames),
                         'billing': bill_total, 'billing later': later_total,
                         'reference': ref_total})
    if hash_frames is frames:
        check_totals(label, {'billing': bill_total, 'hashmap': hash_total})
    else:
        check_totals(label + ' (hashmap sample)',
                     {'expected': expected_total(hash_frames),
                      'hashmap': hash_total})
    check_rows(rows, shape)
    return hash_time, first_time, bill_time, ref_time, bill_total


def print_profile(profiler, label, limit):
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats('cumulative').print_stats(limit)
    print('\n--- cProfile of billing, %s (top %d by cumulative time) ---'
          % (label, limit))
    print(out.getvalue().strip())


def bench(args, backend, shape, frames):
    database = DATABASES[backend](args)
    points = shape[0] * shape[1]
    hash_frames = frames
    if args.hashmap_sample and args.hashmap_sample < len(frames):
        hash_frames = frames[:args.hashmap_sample]
    hash_points = len(hash_frames) * shape[1]
    runs = []
    profiler = cProfile.Profile() if args.profile else None
    for run in range(args.repeat):
        hash_time, first_time, bill_time, ref_time, total = run_once(
            database, shape, frames, hash_frames, profiler)
        runs.append((hash_time, first_time, bill_time, ref_time))
        print('  %-13s %-9s run %d/%d: hashmap %7.2f s%s, billing first '
              'period %7.2f s, next period %7.2f s, reference %6.2f s, '
              'total %s EUR (%s)'
              % (BACKEND_LABELS[backend], shape_name(shape), run + 1,
                 args.repeat, hash_time,
                 '' if hash_frames is frames
                 else ' (%d scopes)' % len(hash_frames),
                 first_time, bill_time, ref_time, total,
                 'same for all three' if hash_frames is frames
                 else 'billing = reference; hashmap checked on its sample'),
              flush=True)
    if profiler is not None:
        print_profile(profiler, '%s %s, %d run(s)' % (
            BACKEND_LABELS[backend], shape_name(shape), args.repeat),
            args.profile)
    hash_time, first_time, bill_time, ref_time = (
        statistics.median(column) for column in zip(*runs))
    hash_rate = hash_points / hash_time
    bill_rate = points / bill_time
    first_rate = points / first_time
    return {'backend': backend, 'shape': shape_name(shape),
            'hashmap': hash_rate, 'billing': bill_rate,
            'first': first_rate, 'first_ratio': first_rate / hash_rate,
            'reference': points / ref_time,
            'ratio': bill_rate / hash_rate,
            'sampled': hash_frames is not frames,
            'hash_ms_scope': 1000.0 * hash_time / len(hash_frames),
            'bill_ms_scope': 1000.0 * bill_time / shape[0],
            'total': total}


def print_table(results):
    header = ('| backend | scopes x points | hashmap pts/s | billing pts/s '
              '| billing/hashmap | billing first period pts/s '
              '| first/hashmap | reference pts/s | hashmap ms/scope '
              '| billing ms/scope |')
    print(header)
    print('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|')
    for r in results:
        print('| %s | %s | %s%s | %s | %.2fx | %s | %.2fx | %s | %.1f | %.1f |'
              % (BACKEND_LABELS[r['backend']], r['shape'],
                 '{:,.0f}'.format(r['hashmap']),
                 ' *' if r['sampled'] else '',
                 '{:,.0f}'.format(r['billing']), r['ratio'],
                 '{:,.0f}'.format(r['first']), r['first_ratio'],
                 '{:,.0f}'.format(r['reference']),
                 r['hash_ms_scope'], r['bill_ms_scope']))


def check_bars(results, backends):
    """Print PASS/FAIL per bar; True when every bar that ran passed."""
    by_key = {(r['backend'], r['shape']): r for r in results}
    ok = True
    print('\nBars (billing/hashmap throughput, steady state):')
    for backend in backends:
        for shape, minimum in BARS:
            result = by_key.get((backend, shape))
            label = '%-13s %-9s >= %4.1fx' % (
                BACKEND_LABELS[backend], shape, minimum)
            if result is None:
                print('  %s: not run' % label)
                continue
            passed = result['ratio'] >= minimum
            ok = ok and passed
            print('  %s: %.2fx %s' % (label, result['ratio'],
                                      'PASS' if passed else 'FAIL'))
    return ok


# Set up


def silence_logging():
    logging.basicConfig(level=logging.WARNING,
                        format='%(levelname)s %(name)s: %(message)s')
    for name in ('alembic', 'oslo_db', 'oslo.db', 'oslo_messaging',
                 'oslo.messaging', 'stevedore', 'cloudkitty', 'sqlalchemy'):
        logging.getLogger(name).setLevel(logging.ERROR)


def configure(tmpdir):
    """oslo.config without the system's files, messaging kept in-process."""
    path = os.path.join(tmpdir, 'bench.conf')
    with open(path, 'w') as conf_file:
        conf_file.write(MESSAGING_CONF)
    cfg.CONF(args=[], project='cloudkitty', default_config_files=[path],
             default_config_dirs=[])


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description='Rating throughput: uos-billing against CloudKitty '
                    'hashmap, as the orchestrator drives them.')
    parser.add_argument(
        '--backends', default=DEFAULT_BACKENDS,
        help='comma-separated, of: %s (default: %%(default)s)'
             % ', '.join(sorted(DATABASES)))
    parser.add_argument(
        '--shapes', default=DEFAULT_SHAPES,
        help='comma-separated SCOPESxPOINTS (default: %(default)s)')
    parser.add_argument(
        '--repeat', type=int, default=1,
        help='runs per configuration, each on fresh tables; the median is '
             'reported (default: %(default)s)')
    parser.add_argument(
        '--mysql-url', default=DEFAULT_MYSQL_URL,
        help='MySQL/MariaDB server URL, without database; a throw-away '
             'database is created and dropped (default: %(default)s)')
    parser.add_argument(
        '--hashmap-sample', type=int, default=0, metavar='SCOPES',
        help='time hashmap on the first SCOPES scopes only (its cost per '
             'scope does not depend on the scope) to shorten runs with '
             'many scopes; 0 (default) rates all scopes')
    parser.add_argument(
        '--profile', type=int, nargs='?', const=30, default=0,
        metavar='N',
        help='profile billing with cProfile and print its top N functions '
             'by cumulative time (default N: 30); timings are inflated')
    args = parser.parse_args(argv)
    args.backends = [b.strip() for b in args.backends.split(',')
                     if b.strip()]
    unknown = [b for b in args.backends if b not in DATABASES]
    if unknown or not args.backends:
        parser.error('unknown backend(s): %s' % ', '.join(unknown))
    try:
        args.shapes = [parse_shape(s.strip()) for s in args.shapes.split(',')
                       if s.strip()]
    except argparse.ArgumentTypeError as e:
        parser.error(str(e))
    if args.repeat < 1:
        parser.error('--repeat must be at least 1')
    if args.hashmap_sample < 0:
        parser.error('--hashmap-sample must not be negative')
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    silence_logging()
    with tempfile.TemporaryDirectory(prefix='uosb_bench_conf_') as tmpdir:
        configure(tmpdir)
        versions = {}
        for backend in args.backends:
            if backend == 'sqlite':
                versions[backend] = 'SQLite %s (file in a temp dir)' % (
                    sqlite3.sqlite_version)
            else:
                versions[backend] = '%s at %s' % (
                    DATABASES[backend](args).server_version(),
                    sa.engine.make_url(args.mysql_url).render_as_string())
        print('uos-billing rating benchmark: Python %s, %d CPU(s)'
              % (platform.python_version(), os.cpu_count() or 0))
        for backend in args.backends:
            print('  %s: %s' % (BACKEND_LABELS[backend], versions[backend]))
        print('  %d flavors; %d s periods; median of %d run(s) on fresh '
              'tables; billing rates two consecutive periods per scope: '
              'the first opens the account and one on-demand order per '
              'VM, the next is the steady state (the bars); each writes one '
              'charge row per VM and one ledger entry; notifications: noop '
              'driver' % (len(FLAVORS), cfg.CONF.collect.period,
                          args.repeat))
        results = []
        start = time.perf_counter()
        for shape in args.shapes:
            frames = build_frames(shape)
            for backend in args.backends:
                results.append(bench(args, backend, shape, frames))
            del frames
        print('\nPoints per second (module built per scope + '
              'reload_config + process, summed over all scopes); '
              'total run time %.0f s%s:\n'
              % (time.perf_counter() - start,
                 ' (PROFILED: billing timings inflated)'
                 if args.profile else ''))
        print_table(results)
        if any(r['sampled'] for r in results):
            print('\n* hashmap timed on its first %d scopes only '
                  '(--hashmap-sample)' % args.hashmap_sample)
        ok = check_bars(results, args.backends)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
