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
"""The billing API seen from Horizon, with the signed-in user's token.

As cloudkitty-dashboard does for CloudKitty: a keystoneauth session that
carries the request's Keystone token, sent to the endpoint of the ``rating``
service of the user's catalog (region and interface as Horizon is set up),
under ``/v1/rating/module_config/billing``. Money comes back as strings and
is parsed into :class:`decimal.Decimal` here (never float); a refusal is a
:class:`~uos_billing.horizon.api_errors.BillingAPIError`. The views and
tests see only the functions of this module.
"""

import decimal
import json
from urllib import parse

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from horizon import exceptions as horizon_exceptions
from horizon.utils import memoized
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint
from openstack_dashboard.api import base
from openstack_dashboard.api import keystone
from openstack_dashboard.api import nova

from uos_billing.horizon import api_errors

BASE_PATH = '/v1/rating/module_config/billing'
SERVICE_TYPE = 'rating'
# The service name of instances in the price book and in orders.
INSTANCE_SERVICE = 'instance'
# The API's largest page; list_all() stops after MAX_PAGES of them.
MAX_PAGE = 1000
MAX_PAGES = 50

# Fields that hold money (or a Decimal figure) in the API's answers.
DECIMAL_FIELDS = frozenset([
    'amount', 'adjustments', 'available', 'balance', 'balance_after',
    'burn_rate', 'charges_total', 'closing_balance', 'credit_limit',
    'days_until_owed', 'held', 'low_balance_threshold', 'missing',
    'monthly_price', 'on_demand_price', 'opening_balance', 'order_payments',
    'price', 'qty', 'recharges', 'refund', 'refunds', 'total', 'unit_price',
    'yearly_price',
])


class BillingObject(base.APIDictWrapper):
    """One object of the API (attribute and item access to its fields)."""

    def set(self, key, value):
        """Add a field the panels show next to the API's (a currency)."""
        self._apidict[key] = value
        return self


def _decimals(value):
    """The API's answer with its money strings parsed into Decimal."""
    if isinstance(value, list):
        return [_decimals(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if key in DECIMAL_FIELDS and isinstance(item, (str, int)) \
                and not isinstance(item, bool):
            item = decimal.Decimal(item)
        elif key == 'charges' and isinstance(item, dict):
            item = {k: decimal.Decimal(v) for k, v in item.items()}
        else:
            item = _decimals(item)
        out[key] = item
    return out


def _jsonable(value):
    """A request body with Decimal amounts written as exact strings."""
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


class _Connection(object):
    def __init__(self, session, endpoint):
        self.session = session
        self.endpoint = endpoint.rstrip('/')


@memoized.memoized
def _connection(request):
    """The session and billing endpoint of this request's user."""
    try:
        endpoint = base.url_for(request, SERVICE_TYPE)
    except horizon_exceptions.ServiceCatalogException:
        raise api_errors.BillingAPIError(
            None, _('The rating service is not in the service catalog.'))
    auth = token_endpoint.Token(endpoint, request.user.token.id)
    insecure = getattr(settings, 'OPENSTACK_SSL_NO_VERIFY', False)
    cacert = getattr(settings, 'OPENSTACK_SSL_CACERT', None)
    verify = False if insecure else (cacert or True)
    return _Connection(ks_session.Session(auth=auth, verify=verify),
                       endpoint)


def call(request, method, path, params=None, body=None):
    """One request to the billing API; its decoded answer (or None)."""
    conn = _connection(request)
    kwargs = {'raise_exc': False,
              'headers': {'Accept': 'application/json'}}
    query = {k: v for k, v in (params or {}).items() if v is not None}
    if query:
        kwargs['params'] = query
    if body is not None:
        kwargs['json'] = _jsonable(body)
    try:
        response = conn.session.request(
            conn.endpoint + BASE_PATH + path, method, **kwargs)
    except ks_exc.ClientException:
        raise api_errors.BillingAPIError(
            None, _('The billing service could not be reached.'))
    if response.status_code == 401:
        raise horizon_exceptions.NotAuthenticated(
            _('Your session has expired: please sign in again.'))
    if response.status_code >= 400:
        raise api_errors.from_response(response)
    if response.status_code == 204 or not response.content:
        return None
    try:
        answer = json.loads(response.text, parse_float=decimal.Decimal)
    except ValueError:
        raise api_errors.BillingAPIError(
            response.status_code,
            _('The billing service sent an answer that is not JSON.'))
    return _decimals(answer)


def _page(request, path, collection, params, marker=None, limit=None):
    """One page of a list: (objects, whether more follow)."""
    params = dict(params)
    params['marker'] = marker
    params['limit'] = limit or getattr(settings, 'API_RESULT_PAGE_SIZE', 20)
    answer = call(request, 'GET', path, params=params) or {}
    items = [BillingObject(i) for i in answer.get(collection) or ()]
    more = any(link.get('rel') == 'next' for link in answer.get('links') or ())
    return items, more


def _all(request, path, collection, params, key='id'):
    """Every object of a list, following the pages (at most MAX_PAGES)."""
    items, marker = [], None
    for _page_number in range(MAX_PAGES):
        page, more = _page(request, path, collection, params, marker,
                           MAX_PAGE)
        items.extend(page)
        if not more or not page:
            break
        marker = getattr(page[-1], key)
    return items


def _path(template, *ids):
    """A path with its ids quoted (an id never adds a path segment)."""
    return template % tuple(parse.quote(str(i), safe='') for i in ids)


def _one(answer):
    return BillingObject(answer or {})


# Accounts and their ledger

def account_get(request, project_id):
    return _one(call(request, 'GET', _path('/accounts/%s', project_id)))


def account_list_all(request, status=None):
    return _all(request, '/accounts', 'accounts', {'status': status},
                key='project_id')


def account_update(request, project_id, **fields):
    return _one(call(request, 'PUT', _path('/accounts/%s', project_id),
                     body=fields))


def account_recharge(request, project_id, amount, note=None,
                     idempotency_key=None):
    body = {'amount': amount}
    if note:
        body['note'] = note
    if idempotency_key:
        body['idempotency_key'] = idempotency_key
    return _one(call(request, 'POST',
                     _path('/accounts/%s/recharge', project_id), body=body))


def transaction_list(request, project_id, kind=None, begin=None, end=None,
                     marker=None, limit=None):
    return _page(request, _path('/accounts/%s/transactions', project_id),
                 'transactions', {'kind': kind, 'begin': begin, 'end': end},
                 marker, limit)


def transaction_list_all(request, project_id, kind=None, begin=None,
                         end=None):
    return _all(request, _path('/accounts/%s/transactions', project_id),
                'transactions', {'kind': kind, 'begin': begin, 'end': end})


def statement_get(request, project_id, month):
    return _one(call(request, 'GET',
                     _path('/accounts/%s/statement', project_id),
                     params={'month': month}))


# Products

def product_list(request, marker=None, limit=None, service=None):
    return _page(request, '/products', 'products', {'service': service},
                 marker, limit)


def product_get(request, product_id):
    return _one(call(request, 'GET', _path('/products/%s', product_id)))


def product_create(request, **fields):
    return _one(call(request, 'POST', '/products', body=fields))


def product_update(request, product_id, **fields):
    return _one(call(request, 'PUT', _path('/products/%s', product_id),
                     body=fields))


def product_delete(request, product_id):
    call(request, 'DELETE', _path('/products/%s', product_id))


# Orders and quotes

def order_list(request, project_id=None, status=None, marker=None,
               limit=None):
    return _page(request, '/orders', 'orders',
                 {'project_id': project_id, 'status': status}, marker, limit)


def order_get(request, order_id):
    return _one(call(request, 'GET', _path('/orders/%s', order_id)))


def _with_key(body, idempotency_key):
    """body, with the idempotency key of a form when it has one."""
    if idempotency_key:
        body['idempotency_key'] = idempotency_key
    return body


def order_create(request, resource_id, product_id, mode, count,
                 auto_renew=False, service=INSTANCE_SERVICE,
                 idempotency_key=None):
    return _one(call(request, 'POST', '/orders', body=_with_key({
        'resource_id': resource_id, 'service': service,
        'product_id': product_id, 'mode': mode, 'count': count,
        'auto_renew': bool(auto_renew)}, idempotency_key)))


def order_set_auto_renew(request, order_id, auto_renew):
    return _one(call(request, 'PUT', _path('/orders/%s', order_id),
                     body={'auto_renew': bool(auto_renew)}))


def order_cancel(request, order_id, idempotency_key=None):
    return _one(call(request, 'POST', _path('/orders/%s/cancel', order_id),
                     body=_with_key({}, idempotency_key)))


def order_renewal(request, order_id):
    """What renewing the order now would charge (the API writes nothing).

    The product, price and next term that order_renew then uses, and the
    funds: available (balance + credit limit - holds) and missing.
    """
    return _one(call(request, 'GET', _path('/orders/%s/renewal', order_id)))


def order_renew(request, order_id, term_end, idempotency_key=None):
    """Renew the term that ends at term_end (the order's current one).

    The API refuses (409) when the order's term no longer ends then: a
    renewal confirmed twice renews once.
    """
    return _one(call(request, 'POST', _path('/orders/%s/renew', order_id),
                     body=_with_key({'term_end': term_end},
                                    idempotency_key)))


def quote(request, items, currency=None):
    body = {'items': items}
    if currency:
        body['currency'] = currency
    answer = call(request, 'POST', '/quotes', body=body) or {}
    answer['lines'] = [BillingObject(line)
                       for line in answer.get('lines') or ()]
    return BillingObject(answer)


# What the panels show next to billing objects (Nova, Keystone)

def project_instances(request):
    """The instances of the user's project (Nova).

    Each with id, name, status and the flavor's id and name (what an
    instance's products match on).
    """
    servers, _more = nova.server_list(request)
    flavor_names = None
    instances = []
    for server in servers:
        flavor = getattr(server, 'flavor', None) or {}
        flavor_id = flavor.get('id')
        flavor_name = flavor.get('original_name')
        if flavor_name is None and flavor_id:
            if flavor_names is None:
                flavor_names = {f.id: f.name
                                for f in nova.flavor_list(request)}
            flavor_name = flavor_names.get(flavor_id)
        instances.append(BillingObject({
            'id': server.id, 'name': server.name or server.id,
            'status': server.status, 'flavor_id': flavor_id,
            'flavor_name': flavor_name}))
    return instances


def project_names(request):
    """{project id: name} of every project (Keystone, admin)."""
    projects, _more = keystone.tenant_list(request)
    return {p.id: p.name for p in projects}


def project_name(request, project_id):
    """The name of one project (Keystone, admin); its id if unknown."""
    try:
        return keystone.tenant_get(request, project_id, admin=True).name
    except Exception:
        return project_id
