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
"""The demo's CloudKitty on SQLite: work directory, configuration, schema.

Everything lives in one work directory, made fresh on each run:
cloudkitty.conf (loaded into oslo.config like CloudKitty's own services
load theirs), metrics.yml, the SQLite database and the tooz file locks.
The schema is what cloudkitty-dbsync and cloudkitty-storage-init create:
CloudKitty's core tables and those of its rating modules (the billing
module's among them), the v1 SQL storage and the scope state tables.
"""

import contextlib
import logging
from logging import config as log_config
import os
import shutil

from cloudkitty import db as ck_db
from cloudkitty.db import api as ck_db_api
from cloudkitty.rating.hash.db import api as hashmap_db_api
from cloudkitty.rating.hash.db.sqlalchemy import models as hashmap_models
from cloudkitty.rating.pyscripts.db import api as pyscripts_db_api
from cloudkitty.rating.pyscripts.db.sqlalchemy import models as \
    pyscripts_models
from cloudkitty import storage
from cloudkitty import storage_state
from oslo_config import cfg
import yaml

from uos_billing.rating import BillingRating

CONF = cfg.CONF

METRICS = {
    'metrics': {
        'instance': {
            'unit': 'instance',
            'description': 'Hours of a VM in one state (demo replay)',
            'groupby': ['id', 'flavor_name', 'state'],
            'metadata': ['flavor_id', 'vcpus', 'ram', 'disk', 'ended_at',
                         'display_name'],
        },
    },
}

CONF_MARKER = '# Written by uos-billing-demo'
CONF_TEMPLATE = CONF_MARKER + """: CloudKitty on one SQLite file, v1 storage.
[DEFAULT]
transport_url = fake:/
auth_strategy = noauth

[database]
connection = sqlite:///{work}/cloudkitty.sqlite
# A throw-away demo database: no fsync on every commit.
sqlite_synchronous = false

[storage]
version = 1
backend = sqlalchemy

[orchestrator]
coordination_url = file://{work}/locks
max_workers = 1
max_workers_reprocessing = 0

[collect]
collector = uos_demo_replay
period = {period}
wait_periods = 0
metrics_conf = {work}/metrics.yml

[fetcher]
backend = source

[fetcher_source]
sources = {sources}

[billing]
default_currency = {currency}
# A recorded month: its projects and VMs are in no Keystone or Gnocchi.
project_source = none
resource_owner_source = none
"""


def check_work_dir(path):
    """Refuse a work directory that holds anything but an earlier run."""
    path = os.path.abspath(path)
    if os.path.exists(path) and not os.path.isdir(path):
        raise ValueError('%s is not a directory' % path)
    if not os.path.isdir(path) or not os.listdir(path):
        return path
    try:
        with open(os.path.join(path, 'cloudkitty.conf')) as f:
            ours = f.readline().startswith(CONF_MARKER)
    except OSError:
        ours = False
    if not ours:
        raise ValueError('%s is not empty and was not made by '
                         'uos-billing-demo: refusing to empty it' % path)
    return path


def make_work_dir(path):
    """Create path afresh (removing what an earlier run left there)."""
    path = check_work_dir(path)
    if os.path.isdir(path):
        shutil.rmtree(path)
    os.makedirs(os.path.join(path, 'locks'))
    return path


def write_config(work, project_ids, currency, period):
    """Write metrics.yml and cloudkitty.conf; return the latter's path."""
    with open(os.path.join(work, 'metrics.yml'), 'w') as f:
        yaml.safe_dump(METRICS, f, default_flow_style=False)
    path = os.path.join(work, 'cloudkitty.conf')
    with open(path, 'w') as f:
        f.write(CONF_TEMPLATE.format(work=work, period=period,
                                     sources=','.join(project_ids),
                                     currency=currency))
    return path


def load_config(path):
    """Load the generated file into the process-wide oslo.config CONF."""
    CONF([], project='cloudkitty', default_config_files=[path])


@contextlib.contextmanager
def _migration_logging():
    """Keep alembic's INFO lines out, and the process's loggers on.

    CloudKitty's alembic env.py loads alembic.ini's logging setup, which
    disables every logger that exists already (CloudKitty's, the billing
    module's): they are enabled again afterwards.
    """
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)
        log_config.dictConfig({'version': 1,
                               'disable_existing_loggers': False})


def _create_upstream_module_tables():
    """The tables of CloudKitty's hashmap and pyscripts modules.

    The Worker builds every rating module, enabled or not, and these two
    read their tables when built. Their migrations fail on a SQLite file
    (a second session inside a migration cannot see its batch ALTER), so,
    as the known workaround does, the tables are created from the models
    and stamped at the head revision.
    """
    with ck_db.session_for_write() as session:
        engine = session.get_bind()
    for models, api in ((hashmap_models, hashmap_db_api),
                        (pyscripts_models, pyscripts_db_api)):
        models.Base.metadata.create_all(engine)
        api.get_instance().get_migration().stamp('head')


def create_schema():
    """cloudkitty-dbsync upgrade and cloudkitty-storage-init."""
    with _migration_logging():
        ck_db_api.get_instance().get_migration().upgrade('head')
        _create_upstream_module_tables()
        BillingRating.db_api.get_migration().upgrade('head')
        storage.get_storage().init()
        storage_state.StateManager().init()


def enable_billing_module():
    """Enable `billing` in modules_state; hashmap and pyscripts stay off."""
    modules = ck_db_api.get_instance().get_module_info()
    modules.set_state(BillingRating.module_name, True)
