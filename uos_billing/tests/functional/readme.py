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
"""The README's command-line cycle, read from README.rst and run in bash.

The cycle is the literal block of the section "Using it: the openstack
rating commands": each ``$ `` line (with its ``\\`` continuations) is a
command, the lines after it up to the next command, comment or blank line
its expected output. Every command runs, in order, in one bash process
(the variables one sets are the next one's); its standard output and
error are compared line by line with the README's, where a UUID, a
32-digit hex ID or an ISO 8601 instant stands for any other.
"""

import dataclasses
import re
import subprocess

SECTION = 'Using it: the openstack rating commands'
MARK = '@@@readme-step'
# What differs on every run: IDs and instants.
VARIABLE = re.compile(
    r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
    r'|\b[0-9a-f]{32}\b'
    r'|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)')


@dataclasses.dataclass
class Step:
    command: str
    expected: list

    @property
    def fails(self):
        """The README shows the API's refusal: exit status 1."""
        return any(re.search(r'\(HTTP \d{3}\)$', line)
                   for line in self.expected)

    def pattern(self, line):
        parts, at = [], 0
        for found in VARIABLE.finditer(line):
            parts.append(re.escape(line[at:found.start()]))
            parts.append(VARIABLE.pattern.join('(?:)'))
            at = found.end()
        parts.append(re.escape(line[at:]))
        return re.compile(''.join(parts))

    def mismatch(self, output):
        """None, or why output is not the README's."""
        lines = output.splitlines()
        if len(lines) != len(self.expected):
            return 'expected %d lines, got %d' % (
                len(self.expected), len(lines))
        for want, got in zip(self.expected, lines):
            if not self.pattern(want).fullmatch(got.rstrip()):
                return 'expected %r, got %r' % (want, got)
        return None


def literal_block(readme, section=SECTION):
    """The lines of the first literal block of the section, dedented."""
    lines = readme.splitlines()
    start = lines.index(section)
    for i in range(start, len(lines)):
        if lines[i].rstrip().endswith('::') and not lines[i].startswith(' '):
            break
    else:
        raise ValueError('no literal block in section %r' % section)
    block = []
    for line in lines[i + 1:]:
        if line and not line.startswith('    '):
            break
        block.append(line[4:])
    return block


def steps(readme):
    """The Steps of the README's cycle."""
    found = []
    block = iter(literal_block(readme))
    current = None
    for line in block:
        if line.startswith('$ '):
            command = line[2:]
            while command.endswith('\\'):
                command = command[:-1] + next(block).strip()
            current = Step(command, [])
            found.append(current)
        elif not line.strip() or line.startswith('#'):
            current = None
        elif current is not None:
            current.expected.append(line.rstrip())
        else:
            raise ValueError('output without a command: %r' % line)
    return found


def script(found):
    """One bash script running every step, each output after a mark."""
    out = []
    for n, step in enumerate(found):
        out.append('echo "%s %d"' % (MARK, n))
        out.append(step.command)
        out.append('echo "%s %d rc=$?"' % (MARK, n))
    return '\n'.join(out) + '\n'


def run(found, cwd, env, timeout=900):
    """[(step, output, exit status)] of running the steps in bash."""
    done = subprocess.run(['bash', '-c', 'exec 2>&1\n' + script(found)],
                          cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    results = []
    chunks = re.split(r'^%s (\d+)\n' % MARK, done.stdout, flags=re.M)
    by_step = {}
    for number, body in zip(chunks[1::2], chunks[2::2]):
        text, rc = re.match(r'(.*?)%s \d+ rc=(\d+)\n?\Z' % MARK, body,
                            re.S).groups()
        by_step[int(number)] = (text, int(rc))
    for n, step in enumerate(found):
        text, rc = by_step.get(n, ('<not run>\n' + done.stdout[-2000:], -1))
        results.append((step, text, rc))
    return results
