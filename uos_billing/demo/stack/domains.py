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
"""libvirt test-driver node files whose domains carry Nova's metadata.

Ceilometer's ``libvirt_metadata`` discovery takes a domain for a Nova
server when its metadata holds ``nova:instance`` (name, flavor, owner);
the vm.state pollster reads its state (``test:runstate``, libvirt's
virDomainState code) through the test driver.
"""

import dataclasses
import os

NODE = """<node>
{domains}</node>
"""

DOMAIN = """  <domain type='test'
          xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>{domain}</name>
    <uuid>{id}</uuid>
    <memory unit='MiB'>{ram}</memory>
    <vcpu>{vcpus}</vcpu>
    <os><type arch='x86_64'>hvm</type></os>
    <metadata>
      <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1">
        <nova:name>{name}</nova:name>
        <nova:flavor name="{flavor}" id="{flavor}-id">
          <nova:memory>{ram}</nova:memory>
          <nova:disk>10</nova:disk>
          <nova:swap>0</nova:swap>
          <nova:ephemeral>0</nova:ephemeral>
          <nova:vcpus>{vcpus}</nova:vcpus>
        </nova:flavor>
        <nova:owner>
          <nova:user uuid="{user_id}">{user_name}</nova:user>
          <nova:project uuid="{project_id}">{project_name}</nova:project>
        </nova:owner>
        <nova:root type="image" uuid="{image}"/>
      </nova:instance>
    </metadata>
    <test:runstate>{state}</test:runstate>
  </domain>
"""

#: (RAM MiB, vCPUs) of the flavors the stack's VMs use.
FLAVORS = {'m1.tiny': (512, 1), 'm1.small': (2048, 1),
           'm1.medium': (4096, 2), 'm1.large': (8192, 4)}
#: libvirt's virDomainState codes of the states VMs are put in.
STATE_CODES = {'running': 1, 'paused': 3, 'shutoff': 5}
IMAGE = '5b2d0f0e-9c1a-4d8e-8f3b-2f6a1c0d7e11'


@dataclasses.dataclass
class Domain:
    """A Nova server on the test driver."""
    id: str
    name: str
    flavor: str
    project_id: str
    project_name: str
    user_id: str
    user_name: str
    state: str = 'running'


def node_xml(domains):
    """The node file holding domains (libvirt names instance-%08x)."""
    parts = []
    for i, domain in enumerate(domains):
        ram, vcpus = FLAVORS[domain.flavor]
        fields = dict(dataclasses.asdict(domain),
                      state=STATE_CODES[domain.state])
        parts.append(DOMAIN.format(
            domain='instance-%08x' % (i + 1), ram=ram, vcpus=vcpus,
            image=IMAGE, **fields))
    return NODE.format(domains=''.join(parts))


def write_node_file(path, domains):
    """Write the node file in one step (a reader never sees half of it)."""
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        f.write(node_xml(domains))
    os.replace(tmp, path)
