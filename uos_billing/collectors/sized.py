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
"""Sized metrics of the ``uos_gnocchi`` collector: seconds x size.

A metric whose ``extra_args`` hold ``lifecycle`` (a volume's, a
snapshot's, an image's size) is collected as each resource's seconds of
life inside the period times its size (uos_billing.core.lifecycle): one
point per (resource, attribute window, size), qty = size x seconds x
factor + offset (exact), the size under ``size_key`` in groupby, so that
an extend splits the resource's line where it happened. Example::

    volume.size:
      unit: GiB-hour
      factor: 1/3600
      groupby: [id, project_id, volume_type]
      metadata: [display_name]
      extra_args:
        resource_type: volume
        aggregation_method: max
        force_granularity: 300
        lifecycle:
          size_from: measures     # or attribute (a resource attribute)
          gap_threshold: 900      # measures: default 3 x granularity

With ``size_from: attribute`` (and ``size_attribute``, default ``size``)
the size is the resource's attribute, which the service's create and
resize notifications set: exact to the second, and billed even before
the first poll. With ``measures`` it is the polled metric's value.
"""

from oslo_log import log as logging
import voluptuous
from voluptuous import All
from voluptuous import In
from voluptuous import Length
from voluptuous import Optional
from voluptuous import Range
from voluptuous import Required

from uos_billing.collectors import schema
from uos_billing.core import clock
from uos_billing.core import errors
from uos_billing.core import lifecycle

LOG = logging.getLogger(__name__)

LIFECYCLE = 'lifecycle'
SIZE_AGGREGATION_METHODS = ('last', 'first', 'max', 'min', 'mean')
LIFECYCLE_SCHEMA = {
    Required('size_from', default=lifecycle.MEASURES):
        In(lifecycle.SIZE_SOURCES),
    # size_from attribute: the resource attribute that holds the size.
    Required('size_attribute', default='size'): All(str, Length(min=1)),
    # The groupby key that carries the size.
    Required('size_key', default='size'): All(str, Length(min=1)),
    # size_from measures: seconds without data longer than this are a
    # gap, not billed.
    Optional('gap_threshold'): All(schema.strict_int, Range(min=0)),
}

LIFECYCLE_EXTRA_SCHEMA = {
    Required('extra_args'): {
        Required('resource_type'): All(str, Length(min=1)),
        Required('resource_key', default='id'): All(str, Length(min=1)),
        Required('aggregation_method', default='max'):
            In(SIZE_AGGREGATION_METHODS),
        Required('re_aggregation_method', default='max'):
            In(SIZE_AGGREGATION_METHODS),
        Required('force_granularity'): All(schema.strict_int, Range(min=1)),
        Required(LIFECYCLE): LIFECYCLE_SCHEMA,
    },
}


def asks_for_lifecycle(metric):
    extra_args = metric.get('extra_args')
    return isinstance(extra_args, dict) and LIFECYCLE in extra_args


def check_sized_metric(name, met):
    """Checks across keys, and the defaults that depend on others."""
    if met['mutate'] != 'NONE':
        raise voluptuous.Invalid(
            'metric %s: mutate: a sized metric counts size x seconds, it '
            'takes no mutate (got %s)' % (name, met['mutate']),
            path=[name, 'mutate'])
    extra_args = met['extra_args']
    options = extra_args[LIFECYCLE]
    options.setdefault('gap_threshold', schema.DEFAULT_GAP_GRANULARITIES *
                       extra_args['force_granularity'])
    key = options['size_key']
    if key in met['metadata']:
        raise voluptuous.Invalid(
            'metric %s: extra_args.lifecycle.size_key: %r is a metadata '
            'key too' % (name, key),
            path=[name, 'extra_args', LIFECYCLE, 'size_key'])
    if key not in met['groupby']:
        met['groupby'].append(key)


class SizedCollection(object):
    """The sized metrics' part of UosGnocchiCollector."""

    def fetch_sized(self, metric_name, start, end, project_id=None,
                    q_filter=None):
        """The sized points of the scope for [start, end)."""
        met = self.conf[metric_name]
        options = met['extra_args'][LIFECYCLE]
        period = clock.Window(start, end)
        by_attribute = options['size_from'] == lifecycle.ATTRIBUTE
        measures = {}
        if not by_attribute:
            measures = self.fetch_grouped_measures(
                metric_name, period, options['gap_threshold'], project_id,
                q_filter)
            if not measures:
                return []
        resources = self._fetch_resources(
            metric_name, start, end, project_id=project_id,
            q_filter=q_filter)
        if by_attribute:
            wanted = sorted(resources)
        else:
            wanted = sorted(measures)
        points = []
        for resource_id in wanted:
            resource = resources.get(resource_id)
            if resource is None:
                self.log_not_found(project_id, metric_name, resource_id,
                                   start, end)
                continue
            try:
                points.extend(self._sized_points(
                    met, resource, period, measures.get(resource_id)))
            except errors.InvalidInput as e:
                LOG.warning('[%s] %s: %s; the resource is skipped',
                            project_id, metric_name, e)
        return points

    def _sized_points(self, met, resource, period, measures):
        extra_args = met['extra_args']
        options = extra_args[LIFECYCLE]
        resource_id = resource[extra_args['resource_key']]
        started_at = self.instant(resource.get('started_at'))
        ended_at = self.instant(resource.get('ended_at'))
        fields = [key for key in list(met['groupby']) + list(met['metadata'])
                  if key not in (options['size_key'],
                                 extra_args['resource_key'])]
        if measures is None:
            fields.append(options['size_attribute'])
        points = []
        for revision, window in self.attribute_windows(
                met, resource, period, fields):
            if measures is None:
                usage = lifecycle.from_attribute(
                    revision, window, resource_id,
                    options['size_attribute'], started_at, ended_at)
            else:
                usage = lifecycle.from_measures(
                    measures, window, resource_id,
                    extra_args['force_granularity'],
                    options['gap_threshold'], started_at, ended_at)
            for size in sorted(usage.seconds):
                points.append(self._sized_point(
                    met, revision, resource, size, usage.seconds[size],
                    usage.gap_seconds, period.begin))
        if (not points and ended_at is not None
                and period.begin < ended_at < period.end):
            # Ended in this period after its last billed second: a point
            # of nothing, so that the billing module closes its orders.
            size = (lifecycle.size_of(resource.get(options[
                'size_attribute']), resource_id) if measures is None
                else lifecycle.size_of(max(measures)[1], resource_id))
            points.append(self._sized_point(met, resource, resource, size,
                                            0, 0, period.begin))
        return points

    def _sized_point(self, met, revision, resource, size, seconds,
                     gap_seconds, start):
        extra_args = met['extra_args']
        size_key = extra_args[LIFECYCLE]['size_key']
        resource_key = extra_args['resource_key']
        groupby = {}
        for key in met['groupby']:
            if key == size_key:
                # One text per size: 100, never 100.0 or 1E+2.
                groupby[key] = format(size.normalize(), 'f')
            elif key == resource_key:
                groupby[key] = resource[resource_key]
            else:
                groupby[key] = revision.get(key, '')
        metadata = {k: revision.get(k, '') for k in met['metadata']}
        metadata['estimated'] = gap_seconds > 0
        metadata['gap_seconds'] = gap_seconds
        metadata['billed_seconds'] = seconds
        ended_at = self.instant(resource.get('ended_at'))
        metadata['ended_at'] = ended_at.isoformat() if ended_at else ''
        qty = self.exact_qty(size * seconds, met['factor'], met['offset'])
        return self._create_data_point(met, qty, 0, groupby, metadata,
                                       start)
