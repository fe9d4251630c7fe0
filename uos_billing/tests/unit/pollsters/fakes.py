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
"""Libvirt stand-ins and Nova domain XML for the vm.state tests.

The fakes follow Ceilometer's own compute tests: a libvirt module whose
``libvirtError`` is a plain exception carrying an error code and domain, a
connection and domains answering only what the code under test asks.
``domain_xml`` builds a ``<domain type='test'>`` carrying Nova's 1.1
metadata, for libvirt's real test driver (functional tests, benchmark).
"""

import types

NOVA_NS = 'http://openstack.org/xmlns/libvirt/nova/1.1'
TEST_NS = 'http://libvirt.org/schemas/domain/test/1.0'

# libvirt's error codes and domains used by Ceilometer and the pollster.
VIR_ERR_INTERNAL_ERROR = 1
VIR_ERR_SYSTEM_ERROR = 38
VIR_ERR_NO_DOMAIN = 42
VIR_ERR_OPERATION_FAILED = 9
VIR_ERR_NO_DOMAIN_METADATA = 80
VIR_FROM_QEMU = 10
VIR_FROM_REMOTE = 13
VIR_FROM_RPC = 7


class FakeLibvirtError(Exception):
    """Replaces libvirt.libvirtError."""

    def __init__(self, message, error_code=None,
                 error_domain=VIR_FROM_QEMU):
        super().__init__(message)
        self._error_code = error_code
        self._error_domain = error_domain

    def get_error_code(self):
        return self._error_code

    def get_error_domain(self):
        return self._error_domain


def fake_libvirt_module():
    return types.SimpleNamespace(
        libvirtError=FakeLibvirtError,
        VIR_ERR_INTERNAL_ERROR=VIR_ERR_INTERNAL_ERROR,
        VIR_ERR_SYSTEM_ERROR=VIR_ERR_SYSTEM_ERROR,
        VIR_ERR_NO_DOMAIN=VIR_ERR_NO_DOMAIN,
        VIR_ERR_NO_DOMAIN_METADATA=VIR_ERR_NO_DOMAIN_METADATA,
        VIR_FROM_REMOTE=VIR_FROM_REMOTE,
        VIR_FROM_RPC=VIR_FROM_RPC,
        VIR_DOMAIN_METADATA_ELEMENT=2,
    )


def no_domain(uuid):
    return FakeLibvirtError('Domain not found: no domain with matching '
                            'uuid \'%s\'' % uuid, VIR_ERR_NO_DOMAIN)


def disconnected():
    return FakeLibvirtError('Cannot write data: Broken pipe',
                            VIR_ERR_SYSTEM_ERROR, VIR_FROM_REMOTE)


class FakeDomain:
    """A domain: its state, or an error its state() raises."""

    def __init__(self, uuid, name, state=1, reason=1, nova_metadata=None,
                 error=None, arch='x86_64'):
        self.uuid = uuid
        self._name = name
        self.state_value = [state, reason]
        self.nova_metadata = nova_metadata
        self.error = error
        self.arch = arch

    def UUIDString(self):
        return self.uuid

    def name(self):
        return self._name

    def state(self, flags=0):
        if self.error is not None:
            raise self.error
        return list(self.state_value)

    def metadata(self, kind, uri, flags=0):
        if self.nova_metadata is None or uri != NOVA_NS:
            raise FakeLibvirtError('metadata not found',
                                   VIR_ERR_NO_DOMAIN_METADATA)
        return self.nova_metadata

    def XMLDesc(self, flags=0):
        return ("<domain><os><type arch='%s'>hvm</type></os></domain>"
                % self.arch)


class FakeConnection:
    """A read-only connection over a list of FakeDomains."""

    def __init__(self, domains=()):
        self.domains = list(domains)
        self.alive = True
        self.lookups = 0

    def isAlive(self):
        return self.alive

    def listAllDomains(self, flags=0):
        return list(self.domains)

    def lookupByUUIDString(self, uuid):
        self.lookups += 1
        for domain in self.domains:
            if domain.uuid == uuid:
                return domain
        raise no_domain(uuid)


def nova_metadata(name, user_id, project_id, flavor_id='fl-1',
                  flavor_name='m1.small', vcpus=1, ram=512, disk=10,
                  image_id=None, prefix=''):
    """Nova's <instance> metadata element, 1.1 schema.

    With ``prefix`` (e.g. ``'nova:'``) the elements are qualified, as in
    a domain definition; libvirt hands ``metadata()`` callers the element
    without a prefix, as Ceilometer's discovery expects.
    """
    p = prefix
    xmlns = ' xmlns:nova="%s"' % NOVA_NS if p else ''
    root = ('<{p}root type="image" uuid="{img}"/>'.format(p=p, img=image_id)
            if image_id else '')
    return (
        '<{p}instance{xmlns}>'
        '<{p}package version="32.0.0"/>'
        '<{p}name>{name}</{p}name>'
        '<{p}creationTime>2026-01-05 10:00:00</{p}creationTime>'
        '<{p}flavor name="{fname}" id="{fid}">'
        '<{p}memory>{ram}</{p}memory><{p}disk>{disk}</{p}disk>'
        '<{p}swap>0</{p}swap><{p}ephemeral>0</{p}ephemeral>'
        '<{p}vcpus>{vcpus}</{p}vcpus></{p}flavor>'
        '<{p}owner><{p}user uuid="{user}">user</{p}user>'
        '<{p}project uuid="{project}">project</{p}project></{p}owner>'
        '{root}</{p}instance>').format(
            p=p, xmlns=xmlns, name=name, fname=flavor_name, fid=flavor_id,
            ram=ram, disk=disk, vcpus=vcpus, user=user_id,
            project=project_id, root=root)


def domain_xml(uuid, name, display_name, user_id, project_id,
               runstate=None, with_metadata=True, **flavor):
    """A ``<domain type='test'>`` with Nova metadata for the test driver.

    ``runstate`` (a state code) sets the state the domain starts in when
    it is part of a ``test:///<file>`` node definition.
    """
    metadata = ''
    if with_metadata:
        metadata = '<metadata>%s</metadata>' % nova_metadata(
            display_name, user_id, project_id, prefix='nova:', **flavor)
    runstate_xml = ''
    if runstate is not None:
        runstate_xml = '<test:runstate>%d</test:runstate>' % runstate
    ram_kib = 1024 * flavor.get('ram', 512)
    return (
        "<domain type='test' xmlns:test='{test_ns}'>"
        "<name>{name}</name><uuid>{uuid}</uuid>"
        "<memory unit='KiB'>{ram}</memory>"
        "<currentMemory unit='KiB'>{ram}</currentMemory>"
        "<vcpu>{vcpus}</vcpu>"
        "<os><type arch='x86_64'>hvm</type></os>"
        "{metadata}{runstate}"
        "<devices><memballoon model='virtio'/></devices>"
        "</domain>").format(
            test_ns=TEST_NS, name=name, uuid=uuid, ram=ram_kib,
            vcpus=flavor.get('vcpus', 1), metadata=metadata,
            runstate=runstate_xml)


def node_xml(domains):
    """A ``test:///<file>`` node definition holding the given domains."""
    return '<node>%s</node>' % ''.join(domains)
