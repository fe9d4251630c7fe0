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
"""Bad [billing] options are refused with the option's name."""

from oslo_config import cfg

from uos_billing.conf import opts
from uos_billing.tests import base
from uos_billing.tests import samples

D = samples.D


class TestOpts(base.TestCase):

    def test_defaults_are_valid(self):
        opts.check(self.conf)
        self.assertEqual(D('0'), opts.default_credit_limit(self.conf))
        self.assertIsNone(opts.default_low_balance_threshold(self.conf))

    def test_bad_values_name_the_option(self):
        for option, value, text in (
                ('default_currency', 'EURO', '[billing] default_currency'),
                ('default_credit_limit', '-5',
                 '[billing] default_credit_limit: must not be negative'),
                ('default_credit_limit', 'lots',
                 '[billing] default_credit_limit: not a decimal amount'),
                ('default_low_balance_threshold', 'x',
                 '[billing] default_low_balance_threshold'),
                ('resource_key', '', '[billing] resource_key')):
            self.conf.set_override(option, value, 'billing')
            e = self.assertRaises(cfg.ConfigFileValueError, opts.check,
                                  self.conf)
            self.assertIn(text, str(e))
            self.conf.clear_override(option, 'billing')

    def test_a_negative_threshold_is_allowed(self):
        self.conf.set_override('default_low_balance_threshold', '-10',
                               'billing')
        self.assertEqual(D('-10'),
                         opts.default_low_balance_threshold(self.conf))

    def test_list_opts_names_the_groups(self):
        groups = dict(opts.list_opts())
        self.assertEqual(['billing', 'billing_admission', 'billing_checker',
                          'billing_enforcement'], sorted(groups))
        self.assertIn('default_currency',
                      [o.name for o in groups['billing']])
        self.assertIn('failure_policy',
                      [o.name for o in groups['billing_admission']])
