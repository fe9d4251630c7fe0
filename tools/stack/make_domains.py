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
"""Write libvirt's test-driver node file for the local stack.

Usage: python make_domains.py STACK_JSON OUTPUT_XML

Three domains with Nova metadata (so Ceilometer's libvirt_metadata
discovery takes them), owned by the stack's Keystone projects: billing-a
has one running m1.small and one paused m1.medium, billing-b one running
m1.small. Their ids are added to STACK_JSON under ``domains``.
"""

import json
import sys
import uuid

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
          <nova:user uuid="{user}">{user_name}</nova:user>
          <nova:project uuid="{project}">{project_name}</nova:project>
        </nova:owner>
        <nova:root type="image" uuid="{image}"/>
      </nova:instance>
    </metadata>
    <test:runstate>{state}</test:runstate>
  </domain>
"""

FLAVORS = {'m1.small': (2048, 1), 'm1.medium': (4096, 2)}
VMS = (('billing-a', 'a-web', 'm1.small', 1),
       ('billing-a', 'a-db', 'm1.medium', 3),
       ('billing-b', 'b-web', 'm1.small', 1))


def main(stack_json, output):
    with open(stack_json) as f:
        stack = json.load(f)
    image = str(uuid.uuid4())
    parts, domains = [], []
    for i, (project_name, name, flavor, state) in enumerate(VMS):
        project = stack['projects'][project_name]
        ram, vcpus = FLAVORS[flavor]
        vm_id = str(uuid.uuid4())
        parts.append(DOMAIN.format(
            domain='instance-%08x' % (i + 1), id=vm_id, ram=ram,
            vcpus=vcpus, name=name, flavor=flavor, image=image,
            user=project['member_id'], user_name=project['member'],
            project=project['id'], project_name=project_name, state=state))
        domains.append({'id': vm_id, 'name': name, 'flavor': flavor,
                        'project': project['id'], 'state': state})
    with open(output, 'w') as f:
        f.write(NODE.format(domains=''.join(parts)))
    stack['domains'] = domains
    with open(stack_json, 'w') as f:
        json.dump(stack, f, indent=2)


if __name__ == '__main__':
    main(*sys.argv[1:])
