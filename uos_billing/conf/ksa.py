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
"""keystoneauth's session, auth and adapter options in a group of ours.

A group that calls another service (the admission middleware calls the
billing API, the enforcement ladder calls Nova) registers keystoneauth's
own options, with a few defaults changed for that use.
"""

import copy

from keystoneauth1 import loading as ks_loading


def register_opts(conf, group, defaults):
    """Register keystoneauth's options under group, with defaults."""
    ks_loading.register_session_conf_options(conf, group)
    ks_loading.register_auth_conf_options(conf, group)
    ks_loading.register_adapter_conf_options(conf, group)
    for name, value in defaults.items():
        conf.set_default(name, value, group=group)


def list_opts(defaults):
    """keystoneauth's options (password auth), for oslo-config-generator."""
    opts = []
    for opt in (ks_loading.get_session_conf_options() +
                ks_loading.get_auth_common_conf_options() +
                ks_loading.get_auth_plugin_conf_options('password') +
                ks_loading.get_adapter_conf_options()):
        opt = copy.deepcopy(opt)
        if opt.dest in defaults:
            opt.default = defaults[opt.dest]
        opts.append(opt)
    return opts
