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
"""Request classes of the Nova, Cinder and Neutron API paths."""

from oslotest import base

from uos_billing.conf import admission as conf_admission
from uos_billing.middleware import classify

PROJECT = '0b3dbf4e2fd14cb0a2d7d1a9f7a7e1c2'
SERVER = '6f3d0c36-5fb2-4d0e-9d8c-1c2c4ac9f0a1'


def body(data):
    return lambda: data


class TestClassify(base.BaseTestCase):

    def assertClass(self, expected, method, path, data=None):
        self.assertEqual(expected, classify.classify(method, path,
                                                     body(data)),
                         '%s %s %r' % (method, path, data))

    def test_nova_creation(self):
        for path in ('/servers', '/v2.1/servers', '/v2.1/%s/servers' %
                     PROJECT, '/%s/servers' % PROJECT, '/servers/',
                     '/os-volumes_boot'):
            self.assertClass('server.create', 'POST', path)
        self.assertClass('volume.create', 'POST', '/v2.1/os-volumes')
        self.assertClass('snapshot.create', 'POST', '/v2.1/os-snapshots')
        self.assertClass('floatingip.create', 'POST',
                         '/v2.1/os-floating-ips')

    def test_nova_actions(self):
        path = '/v2.1/%s/servers/%s/action' % (PROJECT, SERVER)
        expected = {
            'os-start': 'server.start', 'unshelve': 'server.start',
            'resume': 'server.start', 'unpause': 'server.start',
            'restore': 'server.start', 'resize': 'server.resize',
            'createImage': 'server.snapshot',
            'createBackup': 'server.backup',
            # always pass
            'os-stop': None, 'shelve': None, 'shelveOffload': None,
            'suspend': None, 'pause': None, 'reboot': None,
            'rebuild': None, 'confirmResize': None, 'revertResize': None,
            'migrate': None, 'os-migrateLive': None, 'lock': None,
            'forceDelete': None, 'evacuate': None,
        }
        for action, request_class in expected.items():
            self.assertClass(request_class, 'POST', path, {action: None})

    def test_unusable_action_body_passes(self):
        path = '/v2.1/servers/%s/action' % SERVER
        for data in (None, [], {}, {'os-start': None, 'resize': {}}):
            self.assertClass(None, 'POST', path, data)

    def test_cinder(self):
        prefix = '/v3/%s' % PROJECT
        self.assertClass('volume.create', 'POST', prefix + '/volumes')
        self.assertClass('snapshot.create', 'POST', prefix + '/snapshots')
        self.assertClass('backup.create', 'POST', prefix + '/backups')
        self.assertClass('backup.restore', 'POST',
                         prefix + '/backups/b1/restore')
        self.assertClass('volume.manage', 'POST',
                         prefix + '/manageable_volumes')
        self.assertClass('volume.manage', 'POST',
                         prefix + '/os-volume-manage')
        self.assertClass('snapshot.manage', 'POST',
                         prefix + '/manageable_snapshots')
        action = prefix + '/volumes/v1/action'
        self.assertClass('volume.extend', 'POST', action,
                         {'os-extend': {'new_size': 3}})
        self.assertClass('volume.retype', 'POST', action,
                         {'os-retype': {'new_type': 'ssd'}})
        self.assertClass('volume.upload_image', 'POST', action,
                         {'os-volume_upload_image': {}})
        for passing in ('os-attach', 'os-detach', 'os-reserve',
                        'os-force_delete', 'revert', 'os-set_bootable'):
            self.assertClass(None, 'POST', action, {passing: {}})

    def test_neutron(self):
        self.assertClass('floatingip.create', 'POST', '/v2.0/floatingips')
        self.assertClass('floatingip.create', 'POST',
                         '/v2.0/floatingips.json')
        self.assertClass('floatingip.create', 'POST', '/floatingips')
        self.assertClass('port.create', 'POST', '/v2.0/ports')
        self.assertClass('router.create', 'POST', '/v2.0/routers')
        for path in ('/v2.0/networks', '/v2.0/subnets',
                     '/v2.0/security-groups'):
            self.assertClass(None, 'POST', path)

    def test_reads_updates_deletes_pass(self):
        for method in ('GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'):
            for path in ('/v2.1/servers', '/v2.1/servers/%s' % SERVER,
                         '/v3/%s/volumes' % PROJECT, '/v2.0/floatingips',
                         '/v2.0/floatingips/f1'):
                self.assertClass(None, method, path)

    def test_body_read_only_for_actions(self):
        def explode():
            raise AssertionError('body read')
        self.assertEqual('server.create',
                         classify.classify('POST', '/servers', explode))
        self.assertIsNone(classify.classify('POST', '/servers/x/metadata',
                                            explode))
        self.assertIsNone(classify.classify('POST', '/', explode))

    def test_default_classes_are_known(self):
        self.assertLessEqual(set(conf_admission.DEFAULT_CLASSES),
                             classify.CLASSES)
        self.assertEqual({'port.create', 'router.create'},
                         classify.CLASSES -
                         set(conf_admission.DEFAULT_CLASSES))
