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
"""Tests of uos_billing.core.text: lines, free text and their limits."""

from uos_billing.core import errors
from uos_billing.core import text
from uos_billing.tests import base

# Every control character: C0, DEL and C1.
CONTROLS = [chr(c) for c in list(range(0x20)) + list(range(0x7f, 0xa0))]


class LineTest(base.TestCase):

    def refused(self, value, **kwargs):
        e = self.assertRaises(errors.InvalidInput, text.check_line, value,
                              'name', **kwargs)
        self.assertEqual('name', e.field)
        return e.reason

    def test_plain_text_is_kept_as_given(self):
        for value in ('m1.small', ' spaced ', 'caf\u00e9', '\u96f2',
                      '\U0001f600', ''):
            self.assertEqual(value, text.check_line(value, 'name', 255))

    def test_every_control_character_is_refused(self):
        for char in CONTROLS:
            reason = self.refused('a' + char + 'b', max_chars=255)
            self.assertEqual(
                'contains the control character U+%04X: control characters '
                '(tab and newline too) are not allowed here (at character '
                '2)' % ord(char), reason)

    def test_ansi_escape_sequence_is_refused(self):
        self.assertIn('U+001B', self.refused('\x1b[31mred\x1b[0m'))

    def test_lone_surrogate_is_refused(self):
        self.assertEqual('contains a lone surrogate U+D800, which is not '
                         'Unicode text (at character 1)',
                         self.refused('\ud800x'))

    def test_limit_in_characters(self):
        self.assertEqual('\u96f2' * 64,
                         text.check_line('\u96f2' * 64, 'name', 64))
        self.assertEqual('at most 64 characters (got 65)',
                         self.refused('\u96f2' * 65, max_chars=64))

    def test_minimum(self):
        self.assertEqual('must not be empty',
                         self.refused('', max_chars=5, min_chars=1))

    def test_not_a_string(self):
        self.assertEqual('expected a string, got int', self.refused(5))
        self.assertEqual('expected a string, got null', self.refused(None))


class FreeTextTest(base.TestCase):

    def refused(self, value, **kwargs):
        e = self.assertRaises(errors.InvalidInput, text.check_free_text,
                              value, 'description', **kwargs)
        self.assertEqual('description', e.field)
        return e.reason

    def test_tabs_and_line_breaks_are_kept(self):
        value = 'first\tline\nsecond line\r\nthird'
        self.assertEqual(value, text.check_free_text(value, 'description'))

    def test_other_control_characters_are_refused(self):
        for char in CONTROLS:
            if char in '\t\n':
                continue
            reason = self.refused('ab' + char)
            self.assertEqual(
                'contains the control character U+%04X: only tab and line '
                'breaks are allowed (at character 3)' % ord(char), reason)

    def test_a_carriage_return_alone_is_refused(self):
        # It rewrites a terminal's line; CR LF is a line break.
        self.assertIn('U+000D', self.refused('total 0\rtotal 100'))
        self.assertIn('U+000D', self.refused('end\r'))

    def test_limit_in_bytes_of_utf8(self):
        self.assertEqual(65535, text.TEXT_BYTES)
        self.assertEqual('a' * 65535,
                         text.check_free_text('a' * 65535, 'description'))
        self.assertEqual('at most 65535 bytes of UTF-8 (got 70000)',
                         self.refused('a' * 70000))
        # 21,846 characters of 3 bytes each: fewer characters than the
        # limit, more bytes.
        self.assertEqual('at most 65535 bytes of UTF-8 (got 65538)',
                         self.refused('\u96f2' * 21846))

    def test_lone_surrogate_is_refused(self):
        self.assertIn('lone surrogate U+DC00', self.refused('a\udc00'))
