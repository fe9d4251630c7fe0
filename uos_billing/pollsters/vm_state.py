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
"""The ``vm.state`` pollster: every domain's state, straight from libvirt.

Entry point ``ceilometer.poll.compute: vm.state`` (SPEC section 7). One
gauge sample (unit ``state``) per instance per polling cycle, shut-off
domains included, whose volume is libvirt's state code (``virDomainState``:
0 no state, 1 running, 2 blocked, 3 paused, 4 shutting down, 5 shut off,
6 crashed, 7 pm-suspended; a code this module does not know is still
reported, named ``unknown``).

The instances come from Ceilometer's ``local_instances`` discovery, which
reads the Nova metadata of every libvirt domain. The pollster reads each
domain's ``state()`` (state and reason) over Ceilometer's cached read-only
libvirt connection, reconnecting the way Ceilometer's own inspector does,
and builds the sample with Ceilometer's ``make_sample_from_instance`` (user,
project and the standard instance metadata: display_name, flavor, host,
instance_host, image, image_ref, vcpus, memory_mb, disk_gb, status, ...),
adding ``state_name``, ``state_reason``, ``state_reason_code`` and the flat
flavor keys ``flavor_id``, ``flavor_name``, ``vcpus``, ``ram``, ``disk``.

A fault on one domain (it vanished between discovery and reading, libvirt
failed on it, or its instance lacks the Nova metadata a sample needs) costs
that domain's sample only. It is logged once, when it starts; while it lasts
later cycles log it at debug level, and a domain that recovers is logged
once more. A libvirt connection that stays down after Ceilometer's retries
ends the cycle (every domain would fail the same way); the next cycle tries
again.
"""

import logging
from time import monotonic as now

from oslo_log import log
import tenacity

from ceilometer.compute.pollsters import util
from ceilometer.compute.virt.libvirt import utils as libvirt_utils
from ceilometer.polling import plugin_base
from ceilometer import sample

from uos_billing.core import states as core_states

LOG = log.getLogger(__name__)

METER_NAME = 'vm.state'
# libvirt's state codes and names are a billing fact (the collector prices
# by them): one table, in uos_billing.core.states.
STATE_NAMES = core_states.STATE_NAMES
UNKNOWN = core_states.UNKNOWN

# The reason codes of each state (virDomain<State>Reason), by position.
STATE_REASONS = {
    0: ('unknown',),
    1: ('unknown', 'booted', 'migrated', 'restored', 'from_snapshot',
        'unpaused', 'migration_canceled', 'save_canceled', 'wakeup',
        'crashed', 'postcopy', 'postcopy_failed'),
    2: ('unknown',),
    3: ('unknown', 'user', 'migration', 'save', 'dump', 'ioerror',
        'watchdog', 'from_snapshot', 'shutting_down', 'snapshot', 'crashed',
        'starting_up', 'postcopy', 'postcopy_failed'),
    4: ('unknown', 'user'),
    5: ('unknown', 'shutdown', 'destroyed', 'crashed', 'migrated', 'saved',
        'failed', 'from_snapshot', 'daemon'),
    6: ('unknown', 'panicked'),
    7: ('unknown',),
}

NO_LIBVIRT = ("The vm.state pollster is not loaded: the libvirt Python "
              "module is not importable. Install libvirt-python in "
              "ceilometer-polling's environment (it builds against the "
              "libvirt development headers and pkg-config).")

# Fault kinds; a domain's fault is logged again only when its kind changes.
VANISHED = 'vanished'
LIBVIRT_ERROR = 'libvirt error'
NO_METADATA = 'incomplete Nova metadata'
ERROR = 'error'
# The key under which a connection fault is remembered.
_CONNECTION = object()


def state_name(state):
    """libvirt's name of a state code, ``unknown`` for a code it lacks."""
    return core_states.state_name(state)


def reason_name(state, reason):
    """libvirt's name of a state's reason code, else ``unknown``."""
    reasons = STATE_REASONS.get(state, ())
    if isinstance(reason, int) and 0 <= reason < len(reasons):
        return reasons[reason]
    return UNKNOWN


class IncompleteMetadata(Exception):
    """The instance lacks a value the sample needs."""


def _flavor_metadata(instance):
    for attr in ('id', 'user_id', 'tenant_id'):
        if not getattr(instance, attr, None):
            raise IncompleteMetadata('no %s' % attr)
    flavor = getattr(instance, 'flavor', None)
    if not isinstance(flavor, dict):
        raise IncompleteMetadata('no flavor')
    missing = [k for k in ('id', 'name', 'vcpus', 'ram', 'disk')
               if flavor.get(k) is None]
    if missing:
        raise IncompleteMetadata('no flavor %s' % ', '.join(missing))
    return {
        'flavor_id': flavor['id'],
        'flavor_name': flavor['name'],
        'vcpus': flavor['vcpus'],
        'ram': flavor['ram'],
        'disk': flavor['disk'],
    }


class VMStatePollster(plugin_base.PollsterBase):
    """One ``vm.state`` gauge per instance: libvirt's state code."""

    sample_name = METER_NAME
    sample_unit = 'state'
    sample_type = sample.TYPE_GAUGE

    def setup_environment(self):
        super().setup_environment()
        if libvirt_utils.libvirt is None:
            # Ceilometer's loader logs a refusal from setup_environment at
            # debug level only, so say it here where an operator sees it.
            LOG.error(NO_LIBVIRT)
            raise ImportError(NO_LIBVIRT)
        # instance id (or _CONNECTION) -> kind of the fault last logged
        self._faults = {}

    @property
    def default_discovery(self):
        return 'local_instances'

    @property
    def connection(self):
        return libvirt_utils.refresh_libvirt_connection(self.conf, self)

    @libvirt_utils.retry_on_disconnect
    def _connect(self):
        return self.connection

    @libvirt_utils.retry_on_disconnect
    def _read_state(self, instance_id):
        state = self.connection.lookupByUUIDString(instance_id).state()
        return state[0], state[1]

    def _fault(self, key, kind, msg, args, level=logging.WARNING):
        if self._faults.get(key) == kind:
            LOG.debug(msg, args)
            return
        self._faults[key] = kind
        LOG.log(level, msg, args)

    def _cleared(self, key, what):
        kind = self._faults.pop(key, None)
        if kind is not None:
            LOG.info('vm.state: %(what)s is read again (was: %(kind)s)',
                     {'what': what, 'kind': kind})

    def _connection_lost(self, err):
        self._fault(_CONNECTION, 'connection',
                    'vm.state: no libvirt connection, this polling cycle '
                    'gives no samples: %(err)s', {'err': err},
                    level=logging.ERROR)

    def make_sample(self, instance, state, reason):
        metadata = _flavor_metadata(instance)
        metadata.update({
            'state_name': state_name(state),
            'state_reason': reason_name(state, reason),
            'state_reason_code': reason,
        })
        return util.make_sample_from_instance(
            self.conf,
            instance,
            name=self.sample_name,
            type=self.sample_type,
            unit=self.sample_unit,
            volume=state,
            additional_metadata=metadata,
            monotonic_time=now(),
        )

    def get_samples(self, manager, cache, resources):
        libvirt = libvirt_utils.libvirt
        try:
            self._connect()
        except Exception as err:
            self._connection_lost(err)
            return
        self._cleared(_CONNECTION, 'the libvirt connection')
        polled = set()
        for instance in resources:
            instance_id = getattr(instance, 'id', None)
            polled.add(instance_id)
            args = {'id': instance_id}
            try:
                state, reason = self._read_state(instance_id)
                result = self.make_sample(instance, state, reason)
            except tenacity.RetryError as err:
                self._connection_lost(err.last_attempt.exception())
                break
            except libvirt.libvirtError as err:
                args['err'] = err
                if err.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                    self._fault(instance_id, VANISHED,
                                'vm.state: domain %(id)s is gone, no sample: '
                                '%(err)s', args, level=logging.INFO)
                else:
                    self._fault(instance_id, LIBVIRT_ERROR,
                                'vm.state: libvirt failed on domain %(id)s, '
                                'no sample: %(err)s', args)
                continue
            except IncompleteMetadata as err:
                args['err'] = err
                self._fault(instance_id, NO_METADATA,
                            'vm.state: instance %(id)s lacks Nova metadata, '
                            'no sample: %(err)s', args)
                continue
            except Exception as err:
                args['err'] = '%s: %s' % (type(err).__name__, err)
                self._fault(instance_id, ERROR,
                            'vm.state: cannot sample domain %(id)s: %(err)s',
                            args)
                continue
            self._cleared(instance_id, 'domain %s' % instance_id)
            yield result
        else:
            # A whole cycle: forget the faults of instances not polled.
            for key in [k for k in self._faults
                        if k is not _CONNECTION and k not in polled]:
                del self._faults[key]
