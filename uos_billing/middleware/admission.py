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
"""The ``billing_admission`` paste filter.

Placed after keystonemiddleware's ``authtoken`` (and the service's
context filter) in the Nova, Cinder or Neutron API pipeline, it lets every
request through except those that create or start a billable resource
(``classify``) for a project whose billing account is ``owed`` or
``frozen``: those are answered 402 with a JSON body saying why and how
much is owed. A project without an account (404) owes nothing.

A server created with ``billing:mode`` (monthly or yearly) and
``billing:count`` in its metadata is bought prepaid: the term's price is
held on the account before Nova sees the request (insufficient funds: 402,
and no server), the hold becomes the server's order once Nova accepted the
request, and is released when it did not.

When the billing API does not answer (unreachable, keystoneauth's timeout,
5xx), ``failure_policy`` decides: ``fail_open`` (default) lets the request
go on, ``fail_closed`` answers 503; both are logged. A prepaid creation is
always refused then (503): the term cannot be bought.
"""

import decimal
import json

from oslo_config import cfg
from oslo_log import log as logging
import webob

from uos_billing.conf import admission as conf_admission
from uos_billing.core import errors as core_errors
from uos_billing.core import money
from uos_billing.middleware import classify
from uos_billing.middleware import client as billing_client

LOG = logging.getLogger(__name__)

REFUSED_STATUSES = ('owed', 'frozen')
PREPAID_MODES = ('monthly', 'yearly')
MAX_BODY = 1024 * 1024
TITLES = {400: 'Bad Request', 402: 'Payment Required', 403: 'Forbidden',
          404: 'Not Found', 409: 'Conflict', 503: 'Service Unavailable'}
# The collections a Neutron body names its project in (an admin may
# create for another project).
NEUTRON_BODIES = {'floatingip.create': 'floatingip', 'port.create': 'port',
                  'router.create': 'router'}


def error_response(code, message, **extra):
    """A JSON error answer of the billing API's shape."""
    error = {'code': code, 'title': TITLES.get(code, 'Error'),
             'message': message}
    error.update(extra)
    return webob.Response(status=code, json_body={'error': error},
                          charset='UTF-8')


class BadRequest(Exception):

    def __init__(self, field, reason):
        super().__init__('%s: %s' % (field, reason))
        self.field = field


def _decimal(value):
    try:
        return decimal.Decimal(str(value))
    except (decimal.InvalidOperation, ValueError):
        return None


def _shown(amount, currency):
    try:
        places = money.minor_unit(currency)
    except (ValueError, KeyError):
        places = 2
    return core_errors.shown(amount, places)


def refusal(project_id, account, request_class):
    """The 402 answer for an owed or frozen account."""
    status = account.get('status')
    currency = account.get('currency') or ''
    balance = _decimal(account.get('balance'))
    owed = -balance if balance is not None and balance < 0 else \
        decimal.Decimal(0)
    if status == 'frozen':
        reason = ('the billing account of project %s is frozen by an '
                  'administrator' % project_id)
    else:
        reason = 'the billing account of project %s is owed' % project_id
        if account.get('owed_since'):
            reason += ' since %s' % account['owed_since']
    message = '%s: %s %s owed (balance %s %s); no new resources until ' \
        'the account is recharged' % (
            reason, _shown(owed, currency), currency,
            _shown(balance if balance is not None else decimal.Decimal(0),
                   currency), currency)
    if status == 'frozen':
        message = '%s: no new resources until it is unfrozen (%s %s ' \
            'owed)' % (reason, _shown(owed, currency), currency)
    return error_response(
        402, message, reason=status, project_id=project_id,
        owed=money.to_str(owed), balance=account.get('balance'),
        credit_limit=account.get('credit_limit'), currency=currency,
        owed_since=account.get('owed_since'), request_class=request_class)


def prepaid_request(body, default_auto_renew):
    """The prepaid term a server creation asks for, or None.

    Raises BadRequest naming the metadata key (or field) that is wrong.
    """
    server = body.get('server') if isinstance(body, dict) else None
    if not isinstance(server, dict):
        return None
    metadata = server.get('metadata')
    if not isinstance(metadata, dict):
        return None
    mode = metadata.get('billing:mode')
    count = metadata.get('billing:count')
    if mode is None:
        if count is not None:
            raise BadRequest('metadata.billing:count',
                             'given without billing:mode')
        return None
    if mode not in PREPAID_MODES:
        raise BadRequest('metadata.billing:mode',
                         'must be monthly or yearly, not %r' % (mode,))
    if count is None:
        count = 1
    else:
        try:
            count = int(str(count), 10)
        except ValueError:
            count = 0
        if count < 1:
            raise BadRequest('metadata.billing:count',
                             'must be a whole number >= 1, not %r' %
                             (metadata.get('billing:count'),))
    for field in ('min_count', 'max_count'):
        if str(server.get(field, 1)) != '1':
            raise BadRequest(
                'server.' + field,
                'a prepaid term (billing:mode) is bought for one server '
                'per request')
    auto_renew = metadata.get('billing:auto_renew')
    if auto_renew is None:
        auto_renew = default_auto_renew
    elif str(auto_renew).lower() in ('true', 'false'):
        auto_renew = str(auto_renew).lower() == 'true'
    else:
        raise BadRequest('metadata.billing:auto_renew',
                         'must be true or false, not %r' % (auto_renew,))
    flavor = server.get('flavorRef')
    if not isinstance(flavor, str) or not flavor.strip('/'):
        raise BadRequest('server.flavorRef',
                         'is required for a prepaid term')
    term = {'service': 'instance', 'mode': mode, 'count': count,
            'auto_renew': auto_renew,
            'flavor_id': flavor.rstrip('/').rsplit('/', 1)[-1]}
    if metadata.get('billing:product_id'):
        term['product_id'] = metadata['billing:product_id']
    return term


class AdmissionMiddleware(object):
    """The filter; ``client`` is built from conf unless given."""

    def __init__(self, app, conf, client=None):
        self.app = app
        self.conf = conf
        self.options = conf[conf_admission.GROUP]
        unknown = set(self.options.check_classes) - classify.CLASSES
        if unknown:
            raise cfg.ConfigFileValueError(
                '[%s] check_classes: unknown request classes %s (known: '
                '%s)' % (conf_admission.GROUP, ', '.join(sorted(unknown)),
                         ', '.join(sorted(classify.CLASSES))))
        self.classes = frozenset(self.options.check_classes)
        self.policy = self.options.failure_policy
        self.client = client or billing_client.BillingClient.from_conf(conf)

    def __call__(self, environ, start_response):
        if (not self.options.enabled or
                environ.get('REQUEST_METHOD') != 'POST'):
            return self.app(environ, start_response)
        request = webob.Request(environ)
        response = self.admit(request)
        return response(environ, start_response)

    @staticmethod
    def _json_body(request):
        """The request's JSON body, read once (None if not JSON)."""
        if 'uos_billing.admission.body' not in request.environ:
            data = None
            length = request.content_length
            if length is None or length <= MAX_BODY:
                try:
                    data = json.loads(request.body or b'null')
                except ValueError:
                    data = None
            request.environ['uos_billing.admission.body'] = data
        return request.environ['uos_billing.admission.body']

    def admit(self, request):
        request_class = classify.classify(
            request.method, request.path_info,
            lambda: self._json_body(request))
        if request_class not in self.classes:
            return request.get_response(self.app)
        project_id = self._project(request, request_class)
        if not project_id:
            LOG.debug('billing admission: %s without a project id (no '
                      'token context?), let through', request_class)
            return request.get_response(self.app)
        term = None
        if request_class == 'server.create' and self.options.prepaid:
            try:
                term = prepaid_request(self._json_body(request),
                                       self.options.auto_renew)
            except BadRequest as exc:
                return error_response(400, str(exc), field=exc.field)
        try:
            account = self.client.account(project_id)
        except billing_client.Unavailable as exc:
            refused = self._unavailable(exc, request_class, project_id,
                                        term is not None)
            if refused is not None:
                return refused
            account = None
        if account is not None and account.get('status') in \
                REFUSED_STATUSES:
            LOG.info('billing admission: %s refused for project %s, '
                     'account %s', request_class, project_id,
                     account.get('status'))
            return refusal(project_id, account, request_class)
        if term is not None:
            return self._prepaid(request, project_id, term)
        return request.get_response(self.app)

    def _project(self, request, request_class):
        project_id = request.headers.get('X-Project-Id')
        body_key = NEUTRON_BODIES.get(request_class)
        if body_key:
            body = self._json_body(request)
            item = body.get(body_key) if isinstance(body, dict) else None
            if isinstance(item, dict):
                project_id = (item.get('project_id') or
                              item.get('tenant_id') or project_id)
        return project_id

    def _unavailable(self, exc, request_class, project_id, prepaid):
        if prepaid or self.policy == conf_admission.FAIL_CLOSED:
            LOG.error('billing admission: billing API unavailable (%s): '
                      '%s for project %s refused (%s)', exc, request_class,
                      project_id, 'prepaid term' if prepaid else
                      conf_admission.FAIL_CLOSED)
            return error_response(
                503, 'the billing API cannot be reached to check the '
                'account of project %s; try again later' % project_id,
                request_class=request_class)
        LOG.warning('billing admission: billing API unavailable (%s): %s '
                    'for project %s let through (%s)', exc, request_class,
                    project_id, conf_admission.FAIL_OPEN)
        return None

    def _flavor_fields(self, request, flavor_id):
        """flavor_id and, from the service itself, flavor_name."""
        fields = {'flavor_id': flavor_id}
        path = request.path_info
        for collection in ('/servers', '/os-volumes_boot'):
            if path.rstrip('/').endswith(collection):
                prefix = path.rstrip('/')[:-len(collection)]
                break
        else:
            return fields
        sub = request.copy_get()
        sub.path_info = '%s/flavors/%s' % (prefix, flavor_id)
        sub.environ.pop('uos_billing.admission.body', None)
        try:
            answer = sub.get_response(self.app)
            flavor = answer.json_body.get('flavor') \
                if answer.status_int == 200 else None
        except Exception:
            LOG.debug('billing admission: flavor %s lookup failed',
                      flavor_id, exc_info=True)
            flavor = None
        if isinstance(flavor, dict) and flavor.get('name'):
            fields['flavor_name'] = flavor['name']
        return fields

    def _prepaid(self, request, project_id, term):
        """Hold, let the service create the server, confirm or release."""
        body = {'project_id': project_id, 'service': term['service'],
                'mode': term['mode'], 'count': term['count'],
                'auto_renew': term['auto_renew'],
                'fields': self._flavor_fields(request, term['flavor_id'])}
        if 'product_id' in term:
            body['product_id'] = term['product_id']
        try:
            hold = self.client.hold(body)
        except billing_client.Refused as exc:
            LOG.info('billing admission: prepaid server for project %s '
                     'refused: %s', project_id, exc)
            return error_response(exc.status, str(exc), **{
                k: v for k, v in exc.error.items()
                if k not in ('code', 'title', 'message')})
        except billing_client.Unavailable as exc:
            return self._unavailable(exc, 'server.create', project_id, True)
        hold_id = hold['id']
        try:
            response = request.get_response(self.app)
        except Exception:
            self._release(hold_id, project_id, 'the service failed')
            raise
        server_id = None
        if 200 <= response.status_int < 300:
            try:
                server_id = response.json_body['server']['id']
            except (ValueError, KeyError, TypeError):
                server_id = None
        if server_id is None:
            self._release(hold_id, project_id,
                          'the service answered %s' % response.status)
            return response
        try:
            order = self.client.confirm(hold_id, server_id)
        except (billing_client.Refused, billing_client.Unavailable) as exc:
            # The server exists; the hold expires by itself and the server
            # is billed on demand until the term is bought.
            LOG.error('billing admission: server %s of project %s created '
                      'but its %s term (hold %s) could not be bought: %s',
                      server_id, project_id, term['mode'], hold_id, exc)
            return response
        self.client.cache.forget(project_id)
        LOG.info('billing admission: server %s of project %s bought %s x %d '
                 '(order %s)', server_id, project_id, term['mode'],
                 term['count'], order.get('id'))
        if order.get('id'):
            response.headers['X-Billing-Order-Id'] = str(order['id'])
        return response

    def _release(self, hold_id, project_id, why):
        try:
            self.client.release(hold_id)
            LOG.info('billing admission: hold %s of project %s released: '
                     '%s', hold_id, project_id, why)
        except (billing_client.Refused, billing_client.Unavailable) as exc:
            LOG.error('billing admission: hold %s of project %s not '
                      'released (%s), it expires by itself: %s', hold_id,
                      project_id, why, exc)


def load_conf(local_conf):
    """The configuration the filter reads, per its paste section.

    With ``oslo_config_file`` (one path, or several separated by commas)
    or ``oslo_config_project`` the filter parses its own files; otherwise
    it reads the service's global configuration (cfg.CONF). Admission
    options given in the paste section override both.
    """
    files = local_conf.get('oslo_config_file')
    project = local_conf.get('oslo_config_project')
    if files or project:
        conf = cfg.ConfigOpts()
        conf_admission.register_opts(conf)
        kwargs = {}
        if files:
            kwargs['default_config_files'] = [
                f.strip() for f in files.split(',') if f.strip()]
        conf([], project=project, **kwargs)
    else:
        conf = cfg.CONF
        conf_admission.register_opts(conf)
    names = {opt.dest for opt in conf_admission.admission_opts}
    for key, value in local_conf.items():
        if key in names:
            conf.set_override(key, value, conf_admission.GROUP)
        elif key not in ('oslo_config_file', 'oslo_config_project'):
            LOG.warning('billing admission: unknown paste option %s '
                        'ignored', key)
    return conf


def filter_factory(global_conf, **local_conf):
    """paste.filter_factory: billing_admission."""
    conf = load_conf(local_conf)

    def admission_filter(app):
        return AdmissionMiddleware(app, conf)
    return admission_filter
