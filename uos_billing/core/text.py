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
"""Text given by users: the one rule for every string billing keeps.

Two kinds of text. A *line* (a name, service, region, unit, id, key, match
field or value) holds no control character at all: none of C0
(U+0000-U+001F, so no tab or newline either), DEL (U+007F) or C1
(U+0080-U+009F). *Free text* (a description, a note) may also hold tabs
and line breaks (LF, or CR LF as browsers send a text area), nothing else
of those. Neither may hold a lone surrogate (U+D800-U+DFFF, which JSON's
``\\ud800`` escapes can carry), since it is not Unicode text that any
database can store.

Limits: a line is at most its column's length in characters (VARCHAR(n)
counts characters on MariaDB and PostgreSQL); free text lands in TEXT
columns, at most TEXT_BYTES bytes once encoded in UTF-8 (MariaDB's TEXT
holds 65,535 bytes; PostgreSQL's and SQLite's hold more).
"""

import re

from uos_billing.core import errors

#: The most bytes of UTF-8 a free text may take: what MariaDB's TEXT holds.
TEXT_BYTES = 65535

_LINE_REFUSED = re.compile('[\x00-\x1f\x7f-\x9f\ud800-\udfff]')
# Tab, LF and a CR that starts a CR LF are free text's own.
_FREE_TEXT_REFUSED = re.compile(
    '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|\r(?!\n)')


def _refuse_characters(value, field, refused, allowed):
    found = refused.search(value)
    if found is None:
        return
    char = found.group()[0]
    if '\ud800' <= char <= '\udfff':
        what = 'a lone surrogate U+%04X, which is not Unicode text' % (
            ord(char))
    else:
        what = 'the control character U+%04X%s' % (
            ord(char), allowed)
    raise errors.InvalidInput(field, 'contains %s (at character %d)' % (
        what, found.start() + 1))


def _check_type(value, field):
    if not isinstance(value, str):
        raise errors.InvalidInput(field, 'expected a string, got %s' % (
            'null' if value is None else type(value).__name__))


def check_line(value, field, max_chars=None, min_chars=0):
    """A single-line text of at most max_chars characters, or InvalidInput.

    The value is returned as given (not stripped).
    """
    _check_type(value, field)
    if max_chars is not None and len(value) > max_chars:
        raise errors.InvalidInput(field, 'at most %d characters (got %d)' % (
            max_chars, len(value)))
    if len(value) < min_chars:
        raise errors.InvalidInput(field, 'must not be empty' if min_chars == 1
                                  else 'at least %d characters (got %d)' % (
                                      min_chars, len(value)))
    _refuse_characters(value, field, _LINE_REFUSED,
                       ': control characters (tab and newline too) are '
                       'not allowed here')
    return value


def check_free_text(value, field, max_bytes=TEXT_BYTES):
    """A free text of at most max_bytes bytes of UTF-8, or InvalidInput."""
    _check_type(value, field)
    # A lone surrogate has no UTF-8 form: refused before it is measured.
    _refuse_characters(value, field, _FREE_TEXT_REFUSED,
                       ': only tab and line breaks are allowed')
    size = len(value.encode('utf-8'))
    if size > max_bytes:
        raise errors.InvalidInput(
            field, 'at most %d bytes of UTF-8 (got %d)' % (max_bytes, size))
    return value
