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
"""What the billing API checks of a request before pecan touches it.

The root controller's routing calls check() first: pecan decodes a JSON
body to look for arguments before any handler runs (a body nested 100,000
deep raises RecursionError there, and the connection is dropped), and it
answers wrong routes and methods with its own text or HTML pages. Here,
in this order, without parsing the body:

- the route and method, from the controllers' own handlers: 404, or 405
  with Allow;
- the ids in the path: longer than their column or with control
  characters, an object cannot have them (404); a project id that cannot
  be a Keystone project's (core.identifiers) has no account (GET: 404)
  and is refused by a write (400, field project_id);
- a body: Content-Type application/json (415), at most MAX_BODY_BYTES
  (413), UTF-8 (400), nested at most MAX_DEPTH deep (400).

Refusals are raised as base.Refused and answered in the API's error body.
"""

import re

from pecan import rest

from uos_billing.core import errors
from uos_billing.core import identifiers
from uos_billing.core import text
from uos_billing.rating.api import base
from uos_billing.rating.api import schemas
from uos_billing.rating.db.sqlalchemy import models

#: The largest request body, in bytes: a product whose description is the
#: most a TEXT column holds (65,535 bytes of UTF-8) still fits when a
#: client escapes every character as JSON's \uXXXX (up to 12 bytes for 4 of
#: UTF-8), with room for the other fields.
MAX_BODY_BYTES = 256 * 1024
#: The deepest nesting of arrays and objects a body may have. The deepest
#: body the API takes (a quote's items and their fields) is 3 deep.
MAX_DEPTH = 32

#: What the item segment of each collection is: (the kind of object, the
#: column its id is kept in). An account is named by its project id.
ITEM_IDS = {
    'products': ('product', models.Product.id),
    'orders': ('order', models.Order.id),
    'holds': ('hold', models.Hold.id),
    'accounts': ('project_id', models.Account.project_id),
}

_VERBS = {'get_all': ('GET', 'collection'), 'post': ('POST', 'collection'),
          'get_one': ('GET', 'item'), 'put': ('PUT', 'item'),
          'delete': ('DELETE', 'item')}
JSON = 'application/json'


def route_table(root_class):
    """The methods each route serves, by collection.

    {collection: {'collection': methods, 'item': methods, 'actions':
    {action: methods}}}, read from the controllers' handlers and custom
    actions, as pecan's RestController routes them.
    """
    table = {}
    for name, controller in vars(root_class).items():
        if not isinstance(controller, rest.RestController):
            continue
        shapes = {'collection': set(), 'item': set(), 'actions': {}}
        for handler, (method, shape) in _VERBS.items():
            if callable(getattr(controller, handler, None)):
                shapes[shape].add(method)
        for action, methods in controller._custom_actions.items():
            shapes['actions'][action] = {m.upper() for m in methods}
        table[name] = shapes
    return table


def allowed_methods(table, args):
    """The methods of the route args names, or None when there is none."""
    if args and args[-1] == '':
        # A trailing slash names the same route.
        args = args[:-1]
    if not args or args[0] not in table or '' in args or len(args) > 3:
        return None
    shapes = table[args[0]]
    if len(args) == 1:
        methods = shapes['collection']
    elif args[1] in shapes['actions']:
        # Pecan would route it to the action, without its object's id.
        methods = None
    elif len(args) == 2:
        methods = shapes['item']
    else:
        methods = shapes['actions'].get(args[2])
    return sorted(methods) if methods else None


def _check_route(table, args, request):
    methods = allowed_methods(table, args)
    path = '/' + '/'.join(args)
    if methods is None:
        raise base.Refused(404, 'no billing API route %s' % _shown(path))
    if '_method' in request.GET:
        # Pecan's method override for browser forms: the billing API is
        # routed by the request's own method.
        raise errors.InvalidInput('_method', 'the method is the request\'s '
                                             'own: no override')
    if request.method not in methods:
        raise base.Refused(405, 'method %s is not allowed on %s (allowed: '
                                '%s)' % (request.method, _shown(path),
                                         ', '.join(methods)),
                           allow=methods)


def _check_item(args, method):
    if len(args) < 2 or args[1] == '':
        return
    kind, column = ITEM_IDS[args[0]]
    ident = args[1]
    if kind == 'project_id':
        try:
            identifiers.check_project_id(ident)
        except errors.InvalidInput:
            if method == 'GET':
                # Read: no account has it. A write, which may open the
                # account, says why the id is refused.
                raise errors.NotFound('account', _shown(ident))
            raise
        return
    try:
        text.check_line(ident, kind, schemas.column_chars(column))
    except errors.InvalidInput:
        # No object has such an id.
        raise errors.NotFound(kind, _shown(ident))


def _has_body(request):
    return bool(request.content_length) or 'chunked' in (
        request.headers.get('Transfer-Encoding', '').lower())


def _check_content_type(request):
    sent = request.headers.get('Content-Type')
    if sent is None:
        raise base.Refused(415, 'a request body must be JSON sent with '
                                'Content-Type: application/json; none was '
                                'given')
    charset = request.charset
    if (request.content_type.lower() != JSON
            or (charset or 'utf-8').lower().replace('_', '-') != 'utf-8'):
        raise base.Refused(415, 'a request body must be JSON sent with '
                                'Content-Type: application/json (charset '
                                'utf-8, if any), got %s' % _shown(sent))


_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b'[]{}')


def nesting_depth(raw, most=MAX_DEPTH):
    """How deep arrays and objects nest in a JSON text, up to most + 1.

    Brackets inside strings do not count; no JSON is parsed.
    """
    brackets = _STRING.sub(b'', raw).translate(None, _NOT_BRACKETS)
    level = deepest = 0
    for byte in brackets:
        if byte in b'[{':
            level += 1
            if level > deepest:
                deepest = level
                if deepest > most:
                    break
        else:
            level -= 1
    return deepest


def _check_body(request):
    if request.content_length and request.content_length > MAX_BODY_BYTES:
        raise base.Refused(413, 'the request body is %d bytes: at most %d '
                                'are taken' % (request.content_length,
                                               MAX_BODY_BYTES))
    raw = request.body
    if len(raw) > MAX_BODY_BYTES:
        raise base.Refused(413, 'the request body is over %d bytes' %
                           MAX_BODY_BYTES)
    try:
        raw.decode('utf-8')
    except UnicodeDecodeError:
        raise errors.InvalidInput('body', 'not UTF-8 encoded JSON')
    if nesting_depth(raw) > MAX_DEPTH:
        raise errors.InvalidInput('body', 'arrays and objects nested more '
                                          'than %d deep' % MAX_DEPTH)


def check(table, args, request):
    """Refuse what the handlers must not see (see the module's doc)."""
    _check_route(table, args, request)
    _check_item(args, request.method)
    if _has_body(request):
        _check_content_type(request)
        _check_body(request)


def _shown(value, most=80):
    return value if len(value) <= most else value[:most] + '...'
