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
"""The demo's price book: two flavors, running and shut off, and monthly.

Prices chosen so that a second costs a whole number of cents or tenths
of a cent: the expected bill is exact arithmetic.
"""

import decimal

from uos_billing.demo.stack import expected

D = decimal.Decimal
CURRENCY = 'EUR'
PRICES = {
    'm1.small': expected.Prices(running=D('36.00'), shutoff=D('3.60'),
                                monthly=D('500.00')),
    'm1.medium': expected.Prices(running=D('72.00'), shutoff=D('7.20'),
                                 monthly=D('1000.00')),
}


def create_products(billing):
    """The demo's price book: each flavor, running and stopped."""
    existing = {p['name']: p for p in billing.list(
        '/products', 'products', params={'service': 'instance'})
        if p.get('effective_to') is None}
    products = {}
    for flavor, prices in sorted(PRICES.items()):
        for name, match, body in (
                ('demo %s' % flavor, {'flavor_name': flavor},
                 {'on_demand_price': str(prices.running),
                  'monthly_price': str(prices.monthly)}),
                ('demo %s stopped' % flavor,
                 {'flavor_name': flavor, 'state': 'shutoff'},
                 {'on_demand_price': str(prices.shutoff)})):
            product = existing.get(name)
            if product is None:
                product = billing.post('/products', dict(
                    body, name=name, service='instance', match=match,
                    unit='hour', currency=CURRENCY,
                    effective_from='2000-01-01T00:00:00+00:00'))
            products[name] = product
    return products
