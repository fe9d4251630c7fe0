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
"""Text from the API made safe for a terminal.

Data the API returns (names, notes, descriptions, error messages that quote
them) may hold control characters: stored before the API refused them, or
sent by a server that does not. Written raw, an ANSI escape sequence
recolours or rewrites the user's terminal and a NUL cuts the line; the
text formats write each one as a backslash escape instead.
"""

import re

# C0, DEL and C1 controls, the line and paragraph separators, and the
# bidirectional formatting characters (which reorder what a terminal
# shows: "Trojan Source").
_CONTROL = re.compile('[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029'
                      '\u202a-\u202e\u2066-\u2069]')
_NAMED = {'\t': '\\t', '\n': '\\n', '\r': '\\r'}


def _escaped(match):
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return '\\x%02x' % code if code < 0x100 else '\\u%04x' % code


def escape(text):
    """text with each control character written as a backslash escape."""
    return _CONTROL.sub(_escaped, text)
