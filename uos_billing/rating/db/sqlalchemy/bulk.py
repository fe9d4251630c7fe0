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
"""Bulk inserts of charge and order rows.

A period writes one charge row per point (and, the first time, one order
per resource): thousands of rows whose period, project and service are the
same. SQLAlchemy's executemany runs every column of every row through its
bind processors; here each distinct value goes through its processor once
and the rows go to the driver's executemany as they are. SQLite and PyMySQL
(which rewrites an executemany INSERT into multi-row VALUES) take this
path; other drivers keep SQLAlchemy's own (insertmanyvalues for psycopg2).
"""

_DIRECT_DIALECTS = ('sqlite', 'mysql')


def _memoized(processor):
    if processor is None:
        return None
    memo = {}

    def process(value):
        try:
            return memo[value]
        except KeyError:
            memo[value] = result = processor(value)
            return result
    return process


def insert(connection, table, rows):
    """INSERT rows (dicts with the same keys) into table, in one batch."""
    if not rows:
        return
    dialect = connection.dialect
    if dialect.name not in _DIRECT_DIALECTS:
        connection.execute(table.insert(), rows)
        return
    keys = list(rows[0])
    compiled = table.insert().compile(dialect=dialect, column_keys=keys)
    order = compiled.positiontup if compiled.positional else keys
    processors = [_memoized(table.c[key].type._cached_bind_processor(
        dialect)) for key in order]
    columns = list(zip(order, processors))
    if compiled.positional:
        params = [tuple(row[key] if process is None else process(row[key])
                        for key, process in columns) for row in rows]
    else:
        params = [{key: row[key] if process is None else process(row[key])
                   for key, process in columns} for row in rows]
    connection.exec_driver_sql(compiled.string, params)
