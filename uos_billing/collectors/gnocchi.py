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
"""The ``uos_gnocchi`` collector: vm.state measures as billed seconds.

A subclass of CloudKitty's Gnocchi collector. A metric of metrics.yml whose
``extra_args`` hold ``state_reduction`` is collected here: the measures of
every resource of the scope come in one aggregates request (grouped by
resource), the resources' life bounds and attributes in one paged resource
search, and ``uos_billing.core.states`` reduces each resource's measures to
the seconds it spent in each state inside the period. One point per
(resource, state): qty = seconds x factor + offset (exact Decimal), groupby
with the state's name under ``state_key``, metadata with ``estimated`` and
``gap_seconds``. Every other metric is CloudKitty's Gnocchi collector's.

Example (etc/cloudkitty/metrics.yml)::

    vm.state:
      alt_name: instance
      unit: hour
      factor: 1/3600
      groupby: [id, project_id, flavor_name, state]
      metadata: [flavor_id, vcpus, ram, disk, image_ref, display_name, host]
      extra_args:
        resource_type: instance
        aggregation_method: last      # the archive policy's method
        force_granularity: 60         # the archive policy's granularity
        state_reduction:
          gap_threshold: 180          # default: 3 x force_granularity

Errors: Gnocchi unreachable or answering 5xx raises (CloudKitty then leaves
the period for its next cycle); a metric Gnocchi does not know yet is "no
data".
"""

import datetime
import decimal
import fractions

from cloudkitty import collector as ck_collector
from cloudkitty.collector import gnocchi as ck_gnocchi
from gnocchiclient import exceptions as gexceptions
from oslo_config import cfg
from oslo_log import log as logging
import voluptuous
from voluptuous import All
from voluptuous import In
from voluptuous import Length
from voluptuous import Optional
from voluptuous import Range
from voluptuous import Required
from voluptuous import Schema

from uos_billing.collectors import schema
from uos_billing.collectors import sized
from uos_billing.core import clock
from uos_billing.core import states

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

STATE_REDUCTION = 'state_reduction'
DEFAULT_GAP_GRANULARITIES = schema.DEFAULT_GAP_GRANULARITIES
# Aggregations that keep a state code a state code.
STATE_AGGREGATION_METHODS = ('last', 'first', 'max', 'min')
STATE_RE_AGGREGATION_METHODS = ('max', 'min')
# Quantities are exact ratios of whole seconds.
_QTY_CONTEXT = decimal.Context(prec=28)

# (metric, resource) whose measures without a resource were warned about
# by this process: a deleted VM keeps such measures for every period after
# its end that its archive still covers. Bounded: a long-lived processor
# forgets them all at this size, and warns once more.
_NOT_FOUND_WARNED = set()
_NOT_FOUND_WARNED_MAX = 100000


def _log_not_found(project_id, metric_name, resource_id, start, end):
    """Measures of no resource: a WARNING once per resource, then DEBUG."""
    key = (metric_name, resource_id)
    if key in _NOT_FOUND_WARNED:
        log = LOG.debug
    else:
        if len(_NOT_FOUND_WARNED) >= _NOT_FOUND_WARNED_MAX:
            _NOT_FOUND_WARNED.clear()
        _NOT_FOUND_WARNED.add(key)
        log = LOG.warning
    log('[%s] %s: resource %s has measures but was not found between %s '
        'and %s; skipped', project_id, metric_name, resource_id, start, end)


def _reduction_options(value):
    # ``state_reduction: true`` asks for the defaults.
    if value is True:
        return {}
    return value


STATE_REDUCTION_SCHEMA = All(_reduction_options, {
    # Seconds without data longer than this are a gap: not billed.
    Optional('gap_threshold'): All(schema.strict_int, Range(min=0)),
    # The groupby key that carries the state's name.
    Required('state_key', default='state'): All(str, Length(min=1)),
    # State code -> name, replacing libvirt's names.
    Optional('state_names'): {All(schema.strict_int, Range(min=0)):
                              All(str, Length(min=1))},
})

STATE_EXTRA_SCHEMA = {
    Required('extra_args'): {
        Required('resource_type'): All(str, Length(min=1)),
        Required('resource_key', default='id'): All(str, Length(min=1)),
        Required('aggregation_method', default='last'):
            In(STATE_AGGREGATION_METHODS),
        Required('re_aggregation_method', default='max'):
            In(STATE_RE_AGGREGATION_METHODS),
        # No default: it must be the archive policy's granularity.
        Required('force_granularity'): All(schema.strict_int, Range(min=1)),
        Required(STATE_REDUCTION): STATE_REDUCTION_SCHEMA,
    },
}


def _path(path):
    return '.'.join(str(p) for p in path) or '(metric)'


def _invalid(metric_name, error):
    """A voluptuous error naming the metric and the key."""
    errors = getattr(error, 'errors', None) or [error]
    text = '; '.join('%s: %s' % (_path(e.path), e.error_message)
                     for e in errors)
    return voluptuous.Invalid('metric %s: %s' % (metric_name, text),
                              path=[metric_name] + list(errors[0].path))


def asks_for_states(metric):
    extra_args = metric.get('extra_args')
    return isinstance(extra_args, dict) and STATE_REDUCTION in extra_args


def exact_qty(seconds, factor, offset):
    """seconds x factor + offset as an exact Decimal."""
    value = fractions.Fraction(seconds) * _fraction(factor) + _fraction(
        offset)
    return _QTY_CONTEXT.divide(decimal.Decimal(value.numerator),
                               decimal.Decimal(value.denominator))


def _fraction(number):
    if isinstance(number, float):
        # As CloudKitty's DataPoint reads a float: by its str().
        return fractions.Fraction(str(number))
    return fractions.Fraction(number)


def _instant(value):
    if value in (None, ''):
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return clock.instant(value)


class UosGnocchiCollector(sized.SizedCollection,
                          ck_gnocchi.GnocchiCollector):
    """CloudKitty's Gnocchi collector plus state and size reduction."""

    collector_name = 'uos_gnocchi'

    @staticmethod
    def check_configuration(conf):
        """Validate metrics.yml; the state metrics with their own schema.

        Raises a voluptuous error whose message names the metric and the
        key at fault.
        """
        conf = Schema(ck_collector.CONF_BASE_SCHEMA)(conf)
        base = Schema(ck_collector.METRIC_BASE_SCHEMA)
        for metric_name, metrics in conf['metrics'].items():
            for metric in (metrics if isinstance(metrics, list)
                           else [metrics]):
                try:
                    base(metric)
                except voluptuous.Invalid as e:
                    raise _invalid(metric_name, e)
        conf = ck_collector.BaseCollector.check_configuration(conf)

        gnocchi_schema = Schema(ck_collector.METRIC_BASE_SCHEMA).extend(
            ck_gnocchi.GNOCCHI_EXTRA_SCHEMA)
        state_schema = Schema(ck_collector.METRIC_BASE_SCHEMA).extend(
            STATE_EXTRA_SCHEMA)
        sized_schema = Schema(ck_collector.METRIC_BASE_SCHEMA).extend(
            sized.LIFECYCLE_EXTRA_SCHEMA)
        output = {}
        for metric_name, metric in conf.items():
            states_wanted = asks_for_states(metric)
            sizes_wanted = sized.asks_for_lifecycle(metric)
            name = metric_name.split('@#')[0]
            if states_wanted and sizes_wanted:
                raise voluptuous.Invalid(
                    'metric %s: extra_args: state_reduction and lifecycle '
                    'exclude each other' % name, path=[name, 'extra_args'])
            schema = (state_schema if states_wanted else
                      sized_schema if sizes_wanted else gnocchi_schema)
            try:
                met = schema(metric)
            except voluptuous.Invalid as e:
                raise _invalid(name, e)
            extra_args = met['extra_args']
            if extra_args['resource_key'] not in met['groupby']:
                met['groupby'].append(extra_args['resource_key'])
            if states_wanted:
                UosGnocchiCollector._check_state_metric(metric_name, met)
            if sizes_wanted:
                sized.check_sized_metric(name, met)
            output[metric_name] = met
        return output

    @staticmethod
    def _check_state_metric(metric_name, met):
        name = metric_name.split('@#')[0]
        if met['mutate'] != 'NONE':
            raise voluptuous.Invalid(
                'metric %s: mutate: a state metric counts seconds, it '
                'takes no mutate (got %s)' % (name, met['mutate']),
                path=[name, 'mutate'])
        extra_args = met['extra_args']
        options = extra_args[STATE_REDUCTION]
        granularity = extra_args['force_granularity']
        options.setdefault('gap_threshold',
                           DEFAULT_GAP_GRANULARITIES * granularity)
        key = options['state_key']
        if key in met['metadata']:
            raise voluptuous.Invalid(
                'metric %s: extra_args.state_reduction.state_key: %r is a '
                'metadata key too' % (name, key),
                path=[name, 'extra_args', STATE_REDUCTION, 'state_key'])
        if key not in met['groupby']:
            met['groupby'].append(key)

    log_not_found = staticmethod(_log_not_found)
    instant = staticmethod(_instant)
    exact_qty = staticmethod(exact_qty)

    def fetch_all(self, metric_name, start, end,
                  project_id=None, q_filter=None):
        extra_args = self.conf[metric_name]['extra_args']
        if STATE_REDUCTION in extra_args:
            return self.fetch_states(metric_name, start, end,
                                     project_id=project_id,
                                     q_filter=q_filter)
        if sized.LIFECYCLE in extra_args:
            return self.fetch_sized(metric_name, start, end,
                                    project_id=project_id,
                                    q_filter=q_filter)
        return super().fetch_all(metric_name, start, end,
                                 project_id=project_id, q_filter=q_filter)

    # State reduction

    def _fetch_state_measures(self, metric_name, begin, end, project_id,
                              q_filter):
        """{resource id: [Measure]} of the scope, in one request."""
        options = self.conf[metric_name]['extra_args'][STATE_REDUCTION]
        grouped = self.fetch_grouped_measures(
            metric_name, clock.Window(begin, end), options['gap_threshold'],
            project_id, q_filter)
        of = states.Measure.of
        return {resource_id: [of(at, value) for at, value in measures]
                for resource_id, measures in grouped.items()}

    def fetch_grouped_measures(self, metric_name, period, gap_threshold,
                               project_id, q_filter):
        """{resource id: [(instant, value)]} of the scope, in one request.

        The measures reach gap_threshold and a granularity past the
        period on each side.
        """
        met = self.conf[metric_name]
        extra_args = met['extra_args']
        begin, end = period.begin, period.end
        granularity = extra_args['force_granularity']
        resource_type = extra_args['resource_type']
        resource_key = extra_args['resource_key']
        # The measure before the period (within a gap's reach) and the one
        # after it tell how far the first and the last measure reach.
        reach = datetime.timedelta(seconds=granularity + gap_threshold)
        query = self.build_query_parameters(project_id, q_filter,
                                            resource_type)
        operation = ['aggregate', extra_args['re_aggregation_method'],
                     ['metric', metric_name.split('@#')[0],
                      extra_args['aggregation_method']]]
        try:
            # use_history=False: the resource id is the group, whatever its
            # revisions; with history Gnocchi would hide measures older
            # than the resource's first revision.
            results = self._conn.aggregates.fetch(
                operation, resource_type=resource_type,
                search=self.extend_filter(*query),
                groupby=[resource_key], start=begin - reach,
                stop=end + reach, granularity=granularity,
                use_history=False)
        except gexceptions.MetricNotFound:
            LOG.info('[%s] %s: no such metric in Gnocchi yet',
                     project_id, metric_name)
            return {}
        except gexceptions.BadRequest as e:
            if 'Metrics not found' not in str(getattr(e, 'message', e)):
                raise
            LOG.info('[%s] %s: no such metric in Gnocchi yet',
                     project_id, metric_name)
            return {}
        found = {}
        for result in results:
            resource_id = result['group'][resource_key]
            aggregated = result['measures']['measures']['aggregated']
            found.setdefault(resource_id, []).extend(
                (_instant(m[0]), m[2]) for m in aggregated)
        return found

    def fetch_states(self, metric_name, start, end, project_id=None,
                     q_filter=None):
        """The state points of the scope for [start, end)."""
        met = self.conf[metric_name]
        extra_args = met['extra_args']
        options = extra_args[STATE_REDUCTION]
        period = clock.Window(start, end)
        measures = self._fetch_state_measures(
            metric_name, period.begin, period.end, project_id, q_filter)
        if not measures:
            return []
        resources = self._fetch_resources(
            metric_name, start, end, project_id=project_id,
            q_filter=q_filter)
        points = []
        for resource_id, vm_measures in sorted(measures.items()):
            resource = resources.get(resource_id)
            if resource is None:
                _log_not_found(project_id, metric_name, resource_id, start,
                               end)
                continue
            ended_at = _instant(resource.get('ended_at'))
            found = []
            for revision, window in self._state_windows(
                    met, resource, period):
                usage = states.reduce_states(
                    vm_measures, window, extra_args['force_granularity'],
                    options['gap_threshold'],
                    _instant(resource.get('started_at')), ended_at)
                if usage:
                    found.extend(self._state_points(
                        met, dict(revision, ended_at=resource.get(
                            'ended_at')), usage, start))
            if (not found and ended_at is not None
                    and period.begin < ended_at < period.end):
                # Ended in this period after its last billed second: a
                # point of nothing, so that the billing module still learns
                # of the end (and closes the resource's orders). An end at
                # the period's start was the previous period's to tell.
                last = states.ordered(vm_measures)[-1].state
                found = self._state_points(
                    met, resource, states.Usage({last: 0}), start)
            points.extend(found)
        return points

    def _state_windows(self, met, resource, period):
        """[(revision, window)] of the period, split at resizes."""
        extra_args = met['extra_args']
        state_key = extra_args[STATE_REDUCTION]['state_key']
        fields = [key for key in list(met['groupby']) + list(met['metadata'])
                  if key not in (state_key, extra_args['resource_key'])]
        return self.attribute_windows(met, resource, period, fields)

    def attribute_windows(self, met, resource, period, fields):
        """[(revision, window)] of the period, split where fields changed.

        A resource whose current revision began before the period kept
        its attributes through it: one window. Otherwise (a resize, a
        rename, its creation) its history tells which attributes held
        when; the period is split where a grouped or metadata attribute
        changed, so that each second is priced with the flavor it ran
        with (to the publisher's latency: a revision starts when Gnocchi
        got the sample that carried the change).
        """
        current = _instant(resource.get('revision_start'))
        if current is None or current <= period.begin:
            return [(resource, period)]
        extra_args = met['extra_args']
        revisions = self._conn.resource.history(
            extra_args['resource_type'],
            resource[extra_args['resource_key']], details=True)
        return states.attribute_windows(revisions or [resource], fields,
                                        period)

    def _state_points(self, met, resource, usage, start):
        extra_args = met['extra_args']
        options = extra_args[STATE_REDUCTION]
        resource_key = extra_args['resource_key']
        state_key = options['state_key']
        names = options.get('state_names')
        metadata = {k: resource.get(k, '') for k in met['metadata']}
        metadata['estimated'] = usage.estimated
        metadata['gap_seconds'] = usage.gap_seconds
        # A deleted VM's end (Nova's delete event ends the Gnocchi
        # resource): the billing module closes its orders at that second.
        # Every point has the key (empty: still alive), as CloudKitty's
        # metadata keys are the same for all points of a metric (the
        # billing module looks for ends only in metrics that carry them).
        ended_at = _instant(resource.get('ended_at'))
        metadata['ended_at'] = ended_at.isoformat() if ended_at else ''
        points = []
        for code in sorted(usage.seconds):
            groupby = {}
            for key in met['groupby']:
                if key == state_key:
                    groupby[key] = states.state_name(code, names)
                elif key == resource_key:
                    groupby[key] = resource[resource_key]
                else:
                    groupby[key] = resource.get(key, '')
            qty = exact_qty(usage.seconds[code], met['factor'],
                            met['offset'])
            points.append(self._create_data_point(
                met, qty, 0, groupby, dict(metadata), start))
        return points
