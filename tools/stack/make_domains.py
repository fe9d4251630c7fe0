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

import dataclasses
import json
import sys
import uuid

from uos_billing.demo.stack import domains as node

VMS = (('billing-a', 'a-web', 'm1.small', 'running'),
       ('billing-a', 'a-db', 'm1.medium', 'paused'),
       ('billing-b', 'b-web', 'm1.small', 'running'))


def main(stack_json, output):
    with open(stack_json) as f:
        stack = json.load(f)
    domains = []
    for project_name, name, flavor, state in VMS:
        project = stack['projects'][project_name]
        domains.append(node.Domain(
            id=str(uuid.uuid4()), name=name, flavor=flavor,
            project_id=project['id'], project_name=project_name,
            user_id=project['member_id'], user_name=project['member'],
            state=state))
    node.write_node_file(output, domains)
    # 'state' is libvirt's code; 'domain' what node.Domain is made of (the
    # demo keeps these domains in the node files it writes).
    stack['domains'] = [
        {'id': d.id, 'name': d.name, 'flavor': d.flavor,
         'project': d.project_id, 'state': node.STATE_CODES[d.state],
         'domain': dataclasses.asdict(d)}
        for d in domains]
    with open(stack_json, 'w') as f:
        json.dump(stack, f, indent=2)


if __name__ == '__main__':
    main(*sys.argv[1:])
