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
"""A gnocchiclient built the way CloudKitty's Gnocchi collector builds its.

From CloudKitty's ``[collector_gnocchi]`` options (keystone or basic auth,
interface, region, cafile/insecure, http_pool_maxsize), as
``cloudkitty.collector.gnocchi.GnocchiCollector.__init__`` does, so that
the billing API and the checker see the Gnocchi the collector sees.
"""

from cloudkitty.collector import gnocchi as ck_gnocchi
from cloudkitty.common import custom_session
from gnocchiclient import auth as gnocchi_auth
from gnocchiclient import client as gnocchi_client
from keystoneauth1 import loading as ks_loading

GROUP = ck_gnocchi.COLLECTOR_GNOCCHI_OPTS


def from_conf(conf):
    """A gnocchiclient v1 client from conf's [collector_gnocchi]."""
    options = conf[GROUP]
    adapter_options = {'connect_retries': 3}
    if options.gnocchi_auth_type == 'keystone':
        auth = ks_loading.load_auth_from_conf_options(conf, GROUP)
        adapter_options['interface'] = options.interface
    else:
        auth = gnocchi_auth.GnocchiBasicPlugin(
            user=options.gnocchi_user, endpoint=options.gnocchi_endpoint)
    adapter_options['region_name'] = options.region_name
    verify = True
    if options.cafile:
        verify = options.cafile
    elif options.insecure:
        verify = False
    session = custom_session.create_custom_session(
        {'auth': auth, 'verify': verify}, options.http_pool_maxsize)
    return gnocchi_client.Client('1', session=session,
                                 adapter_options=adapter_options)
