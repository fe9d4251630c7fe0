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
"""The base of the ``list`` commands with ``--long``."""

from uos_billing.cli import client
from uos_billing.cli import common
from uos_billing.cli import output


class ListCommand(output.Lister):
    """A list of one of the API's collections, its pages followed.

    Subclasses add their filters in add_filters() and give the query of
    the list in params(); they name the collection (the answer's key and,
    by default, the path and the objects in the help: what), its fields,
    the columns shown without --long (short_columns) and the help of
    --long (long_help). The options are the filters, --long, --limit and
    --marker.
    """

    collection = None
    what = None
    fields = None
    short_columns = None
    long_help = None

    def add_filters(self, parser):
        raise NotImplementedError

    def path(self, parsed_args):
        return common.path(self.collection)

    def params(self, parsed_args):
        raise NotImplementedError

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        self.add_filters(parser)
        parser.add_argument(
            '--long', action='store_true', default=False,
            help=self.long_help)
        common.add_paging_arguments(parser, self.what or self.collection)
        return parser

    def take_action(self, parsed_args):
        objects = client.get_client(self).list(
            self.path(parsed_args), self.collection, self.params(parsed_args),
            limit=parsed_args.limit, marker=parsed_args.marker)
        columns = None if parsed_args.long else self.short_columns
        return self.fields.list(objects, columns)
