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
per resource): thousands of rows whose period, project, product and amount
repeat. SQLAlchemy's executemany runs every value of every row through its
bind processors and the driver's escaping; here each distinct value of a
column is processed once:

- SQLite: the processed rows go to sqlite3's executemany (in C);
- MySQL/MariaDB with PyMySQL: the multi-row VALUES statement PyMySQL's
  executemany would send is built here, each distinct value escaped once
  by PyMySQL's own literal(), in statements of at most MAX_STATEMENT bytes;
- other drivers keep SQLAlchemy's own path (insertmanyvalues for psycopg2).
"""

#: PyMySQL's own limit for a rewritten executemany statement.
MAX_STATEMENT = 1024000


def _memoized(function):
    memo = {}

    def call(value):
        try:
            return memo[value]
        except KeyError:
            memo[value] = result = function(value)
            return result
    return call


def _processors(table, keys, dialect):
    out = []
    for key in keys:
        processor = table.c[key].type._cached_bind_processor(dialect)
        out.append(_memoized(processor) if processor else None)
    return out


def insert(connection, table, columns, rows):
    """INSERT rows (sequences of the values of columns) in one batch."""
    if not rows:
        return
    dialect = connection.dialect
    if dialect.name == 'sqlite':
        _insert_sqlite(connection, table, columns, rows)
    elif dialect.name == 'mysql' and dialect.driver == 'pymysql':
        _insert_pymysql(connection, table, columns, rows)
    else:
        connection.execute(table.insert(),
                           [dict(zip(columns, row)) for row in rows])


def _insert_sqlite(connection, table, columns, rows):
    compiled = table.insert().compile(dialect=connection.dialect,
                                      column_keys=list(columns))
    index = {name: i for i, name in enumerate(columns)}
    order = [index[name] for name in compiled.positiontup]
    processors = _processors(table, compiled.positiontup,
                             connection.dialect)
    plan = list(zip(order, processors))
    params = [tuple(row[i] if process is None else process(row[i])
                    for i, process in plan) for row in rows]
    connection.exec_driver_sql(compiled.string, params)


def _insert_pymysql(connection, table, columns, rows):
    dialect = connection.dialect
    keys = list(columns)
    preparer = dialect.identifier_preparer
    head = 'INSERT INTO %s (%s) VALUES ' % (
        preparer.format_table(table),
        ', '.join(preparer.quote(key) for key in keys))
    dbapi_connection = connection.connection.dbapi_connection
    literals = []
    for process in _processors(table, keys, dialect):
        if process is None:
            literals.append(_memoized(dbapi_connection.literal))
        else:
            literals.append(_memoized(
                lambda v, p=process: dbapi_connection.literal(p(v))))
    plan = list(enumerate(literals))

    def execute(statement):
        # Through SQLAlchemy, so that oslo.db turns driver errors into
        # DBDuplicateEntry or DBDeadlock (retried); no parameters, so that
        # a '%' in a value is not taken for a placeholder.
        connection.exec_driver_sql(
            head + ','.join(statement),
            execution_options={'no_parameters': True})

    statement, size = [], len(head)
    for row in rows:
        values = '(%s)' % ', '.join([literal(row[i])
                                     for i, literal in plan])
        if statement and size + len(values) + 1 > MAX_STATEMENT:
            execute(statement)
            statement, size = [], len(head)
        statement.append(values)
        size += len(values) + 1
    execute(statement)
