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
"""Billing notifications reach a real RabbitMQ through oslo.messaging."""

import os
import queue

import oslo_messaging
from oslo_utils import uuidutils

from uos_billing.core import ledger
from uos_billing import rating
from uos_billing.rating import notifier
from uos_billing.rating import service
from uos_billing.tests import base
from uos_billing.tests import samples

D = samples.D
URL = os.environ.get('UOS_BILLING_TRANSPORT_URL',
                     'rabbit://guest:guest@127.0.0.1:5672/')


class Collector(object):
    """Notification endpoint that keeps what it receives."""

    def __init__(self):
        self.received = queue.Queue()

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        self.received.put((publisher_id, event_type, payload))


class TestRabbitNotifications(base.DBTestCase):

    scenarios = [('sqlite', {'backend': 'sqlite'})]

    def setUp(self):
        super().setUp()
        self.topic = 'uos_billing_test_%s' % uuidutils.generate_uuid(
            dashed=False)[:8]
        self.conf.set_override('transport_url', URL)
        self.conf.set_override('driver', ['messagingv2'],
                               'oslo_messaging_notifications')
        self.conf.set_override('topics', [self.topic],
                               'oslo_messaging_notifications')
        notifier.reset()
        transport = oslo_messaging.get_notification_transport(self.conf)
        self.addCleanup(transport.cleanup)
        self.collector = Collector()
        listener = oslo_messaging.get_notification_listener(
            transport, [oslo_messaging.Target(topic=self.topic)],
            [self.collector], executor='threading')
        listener.start()
        self.addCleanup(listener.wait)
        self.addCleanup(listener.stop)
        self.db.create_product(samples.product('big', 'm1.big', '3'))

    def next_event(self):
        return self.collector.received.get(timeout=30)

    def test_owed_then_restored(self):
        svc = service.BillingService()
        svc.recharge('acme', '2')
        start, end = base.utc(2026, 11, 2, 10), base.utc(2026, 11, 2, 11)
        module = rating.BillingRating(tenant_id='acme')
        module.reload_config(start)
        module.process(samples.frame(start, end,
                                     [samples.point('vm-1', 'm1.big')]))
        publisher, event_type, payload = self.next_event()
        self.assertEqual(('billing', ledger.EVENT_OWED), (publisher,
                                                          event_type))
        self.assertEqual({'project_id': 'acme', 'balance': '-1.0000000000',
                          'status': 'owed', 'currency': 'EUR'},
                         {k: payload[k] for k in ('project_id', 'balance',
                                                  'status', 'currency')})
        svc.recharge('acme', '1')
        _, event_type, payload = self.next_event()
        self.assertEqual((ledger.EVENT_RESTORED, 'active',
                          '0.0000000000'),
                         (event_type, payload['status'], payload['balance']))
