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
"""Frames, points and products for the tests."""

import decimal

from cloudkitty import dataframe

from uos_billing.core import pricebook
from uos_billing.tests import base

D = decimal.Decimal
SINCE = base.utc(2026, 1, 1)


def point(vm, flavor, qty=1, state='running', project='acme', **metadata):
    return dataframe.DataPoint(
        unit='instance', qty=qty, price=0,
        groupby={'id': vm, 'project_id': project, 'flavor_name': flavor,
                 'state': state},
        metadata=dict({'vcpus': '1'}, **metadata))


def frame(start, end, points, service='instance'):
    return dataframe.DataFrame(start=start, end=end,
                               usage={service: list(points)})


def product(id, flavor=None, on_demand='0', monthly=None, yearly=None,
            state=None, currency='EUR', since=SINCE, until=None,
            service='instance', region='*', **match):
    if flavor is not None:
        match['flavor_name'] = flavor
    if state is not None:
        match['state'] = state
    return pricebook.Product.build(
        id=id, name=id, service=service, region=region, match=match,
        on_demand_price=D(on_demand),
        monthly_price=None if monthly is None else D(monthly),
        yearly_price=None if yearly is None else D(yearly),
        currency=currency, effective_from=since, effective_to=until)


def prices(frame):
    """{(vm, state): price} of a priced frame."""
    return {(p.groupby['id'], p.groupby.get('state')): p.price
            for _, p in frame.iterpoints()}
