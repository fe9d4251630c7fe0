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
"""Which API requests create or start a billable resource.

``classify(method, path, body)`` answers a request class name (e.g.
``server.create``) for the requests the admission filter may check, and
None for every other request: reads, deletes, updates, stops and every
action not listed below always pass.

One table serves the three services: their collection names do not
collide (Nova's ``servers``, ``os-volumes``, ``os-snapshots`` and
``os-floating-ips``; Cinder's ``volumes``, ``snapshots`` and ``backups``;
Neutron's ``floatingips``, ``ports`` and ``routers``). Paths are taken
as the service's API application sees them (PATH_INFO after its urlmap),
with or without a version segment (``/v2.1``, ``/v3``, ``/v2.0``) and a
project id segment (``/v2.1/{project_id}/servers``,
``/v3/{project_id}/volumes``); Neutron's ``.json`` suffix is ignored.
"""

import re

# POST to a collection: creation.
CREATE = {
    # Nova
    'servers': 'server.create',
    'os-volumes_boot': 'server.create',
    'os-volumes': 'volume.create',          # Nova's proxy to Cinder
    'os-snapshots': 'snapshot.create',      # Nova's proxy to Cinder
    'os-floating-ips': 'floatingip.create',  # Nova's proxy to Neutron
    # Cinder
    'volumes': 'volume.create',
    'snapshots': 'snapshot.create',
    'backups': 'backup.create',
    'os-volume-manage': 'volume.manage',
    'manageable_volumes': 'volume.manage',
    'os-snapshot-manage': 'snapshot.manage',
    'manageable_snapshots': 'snapshot.manage',
    # Neutron
    'floatingips': 'floatingip.create',
    'ports': 'port.create',
    'routers': 'router.create',
}

# POST {collection}/{id}/action with a body {"<action>": ...}.
ACTIONS = {
    'servers': {
        'os-start': 'server.start',
        'unshelve': 'server.start',
        'resume': 'server.start',
        'unpause': 'server.start',
        'restore': 'server.start',          # a soft-deleted server back
        'resize': 'server.resize',
        'createImage': 'server.snapshot',
        'createBackup': 'server.backup',
    },
    'volumes': {
        'os-extend': 'volume.extend',
        'os-retype': 'volume.retype',
        'os-volume_upload_image': 'volume.upload_image',
    },
}

# POST {collection}/{id}/{sub}: other creating sub-resources.
SUB_CREATE = {
    ('backups', 'restore'): 'backup.restore',
}

# Every class this module can answer (the check_classes option chooses
# among them).
CLASSES = frozenset(list(CREATE.values()) +
                    [c for a in ACTIONS.values() for c in a.values()] +
                    list(SUB_CREATE.values()))

_VERSION = re.compile(r'^v\d+(\.\d+)?$')
_KNOWN = frozenset(CREATE) | frozenset(ACTIONS)


def segments(path):
    """The path's segments from the collection on."""
    parts = [p for p in path.split('/') if p]
    if parts and parts[-1].endswith('.json'):
        parts[-1] = parts[-1][:-len('.json')]
    if parts and _VERSION.match(parts[0]):
        parts = parts[1:]
    if len(parts) > 1 and parts[0] not in _KNOWN and parts[1] in _KNOWN:
        parts = parts[1:]                       # a project id segment
    return parts


def action_name(body):
    """The action of an ``action`` body: its only key (None if unusable)."""
    if isinstance(body, dict) and len(body) == 1:
        return next(iter(body))
    return None


def classify(method, path, body=None):
    """The request class, or None when the request always passes.

    body is a callable answering the decoded JSON body (or None when it
    is not JSON); it is called for ``.../action`` requests only.
    """
    if method != 'POST':
        return None
    parts = segments(path)
    if len(parts) == 1:
        return CREATE.get(parts[0])
    if len(parts) == 3 and parts[2] == 'action' and parts[0] in ACTIONS:
        name = action_name(body() if body else None)
        return ACTIONS[parts[0]].get(name)
    if len(parts) == 3:
        return SUB_CREATE.get((parts[0], parts[2]))
    return None
