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
"""What every billing API controller shares.

Errors: every refusal is a JSON body ``{"error": {"code", "title",
"message", ...}}``, the shape keystoneauth reads, so that the CLI and
Horizon show ``message`` as it is. Policies: CloudKitty's enforcer, with
the billing rules registered into it. Paging: ``limit`` and ``marker``.
"""

import functools
import json
from urllib import parse

from cloudkitty.common import policy as ck_policy
from oslo_log import log as logging
import pecan
import voluptuous as vol
from webob import exc as webob_exc

from uos_billing.core import errors
from uos_billing.core import money
from uos_billing.core import text
from uos_billing.rating.api import policies
from uos_billing.rating.api import schemas

LOG = logging.getLogger(__name__)

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
TITLES = {400: 'Bad Request', 402: 'Payment Required', 403: 'Forbidden',
          404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
          413: 'Content Too Large', 415: 'Unsupported Media Type',
          500: 'Internal Server Error', 503: 'Service Unavailable'}


class Refused(Exception):
    """An HTTP refusal with extra fields for the error body."""

    def __init__(self, code, message, **extra):
        super().__init__(message)
        self.code = code
        self.extra = extra


def _register_policies():
    ck_policy.init()
    enforcer = ck_policy._ENFORCER
    if 'billing:quote' not in enforcer.registered_rules:
        enforcer.register_defaults(policies.list_rules())


def context():
    return pecan.request.context


def authorize(action, project_id=None):
    """Check billing:<action> against a target owned by project_id."""
    _register_policies()
    ctx = context()
    target = {'project_id': project_id or ctx.project_id}
    try:
        ck_policy.authorize(ctx, 'billing:' + action, target)
    except ck_policy.PolicyNotAuthorized as exc:
        raise Refused(403, str(exc))


def owned(kind, ident, row, action):
    """row, once the caller may act on it.

    Another project's object does not exist, as far as the caller knows
    (404); one the caller may read (billing:<kind>:get) but not act on is
    a 403 that names the policy.
    """
    try:
        authorize(action, row['project_id'])
    except Refused:
        read = '%s:get' % kind
        if action == read or not _may(read, row['project_id']):
            raise errors.NotFound(kind, ident)
        raise
    return row


def _may(action, project_id):
    if 'billing:' + action not in ck_policy._ENFORCER.registered_rules:
        return False
    try:
        authorize(action, project_id)
    except Refused:
        return False
    return True


def target_project(fields):
    """The body's project_id (removed from it), else the token's project."""
    project_id = fields.pop('project_id', None) or context().project_id
    if not project_id:
        raise errors.InvalidInput('project_id', 'is required: the token has '
                                                'no project')
    return project_id


def is_admin():
    return bool(context().is_admin)


def _error_body(code, message, extra):
    body = {'code': code, 'title': TITLES.get(code, 'Error'),
            'message': message}
    body.update(extra)
    return {'error': body}


def _refuse(code, message, **extra):
    pecan.response.status = code
    return _error_body(code, message, extra)


def handled(func):
    """Turn billing errors into HTTP answers; nothing else leaks."""
    @functools.wraps(func)
    def wrapper(controller, *args, **kwargs):
        try:
            return func(controller, *args, **kwargs)
        except Refused as exc:
            return _refuse(exc.code, str(exc), **exc.extra)
        except errors.InvalidInput as exc:
            return _refuse(400, str(exc), field=exc.field)
        except errors.NotFound as exc:
            return _refuse(404, str(exc))
        except errors.InsufficientFunds as exc:
            return _refuse(402, str(exc), missing=money.to_str(exc.missing),
                           currency=exc.currency)
        except (errors.Conflict, errors.CurrencyMismatch) as exc:
            return _refuse(409, str(exc))
        except errors.ServiceUnavailable as exc:
            return _refuse(503, str(exc))
        except webob_exc.HTTPException as exc:
            # Nothing under the billing path answers pecan's own pages.
            return _refuse(exc.code, exc.detail or exc.title)
        except Exception:
            LOG.exception('billing API: %s failed', func.__name__)
            return _refuse(500, 'internal error, see the CloudKitty API log')
    return wrapper


def _refuse_constant(name):
    raise ValueError('%s is not JSON' % name)


def _object(pairs):
    found = {}
    for key, value in pairs:
        if key in found:
            raise errors.InvalidInput(key, 'given more than once')
        found[key] = value
    return found


def body():
    """The request's JSON object body.

    The routing (guard.check) has bounded its size and depth and checked
    its encoding. Strict JSON: no NaN or Infinity, no name twice in an
    object (json.loads would keep the last one silently).
    """
    raw = pecan.request.body
    if not raw:
        return {}
    try:
        data = json.loads(raw, parse_constant=_refuse_constant,
                          object_pairs_hook=_object)
    except errors.InvalidInput:
        raise
    except ValueError as exc:
        raise errors.InvalidInput('body', 'not valid JSON: %s' % exc)
    if not isinstance(data, dict):
        raise errors.InvalidInput('body', 'expected a JSON object')
    return data


def no_body():
    if pecan.request.body and body():
        raise errors.InvalidInput('body', 'this action takes no body')


def validate(schema, data):
    """Apply a voluptuous schema; the first error names its field."""
    try:
        return schema(data)
    except vol.MultipleInvalid as exc:
        error = exc.errors[0]
        field = _field_name(error.path)
        message = error.msg
        if message == 'extra keys not allowed':
            message = 'unknown field'
        elif message == 'required key not provided':
            message = 'is required'
        raise errors.InvalidInput(field, message)


def _field_name(path):
    """items.0.mode as items[0].mode, the way uos_billing.core names it."""
    name = ''
    for part in path:
        if isinstance(part, int):
            name += '[%d]' % part
        else:
            name += ('.' if name else '') + str(part)
    return name or 'body'


def single_values(params):
    """Refuse a query parameter given more than once."""
    for name, value in params.items():
        if isinstance(value, list):
            raise errors.InvalidInput(name, 'given more than once')
    return params


def paging(params):
    """limit and marker of a list's query, the rest left in params."""
    single_values(params)
    limit = params.pop('limit', None)
    marker = params.pop('marker', None)
    if limit is None:
        limit = DEFAULT_LIMIT
    else:
        limit = money.parse_integer(limit, 'limit', 1, MAX_LIMIT)
    if marker is not None:
        # An id of the list: no id is longer than a line of billing's.
        text.check_line(marker, 'marker', schemas.FIELD_CHARS, min_chars=1)
    return limit, marker


def page(name, items, limit, key, query):
    """A list answer: the items and, when full, the next page's link."""
    links = []
    if len(items) == limit:
        params = dict(query, limit=limit, marker=items[-1][key])
        href = '%s?%s' % (pecan.request.path_url,
                          parse.urlencode(sorted(params.items())))
        links.append({'rel': 'next', 'href': href})
    return {name: items, 'links': links}
