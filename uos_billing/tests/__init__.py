import os

# The database servers every development machine and CI run (tox sets the
# same): oslo.db reads this when its provisioning module is first imported,
# so it is set before any test module can import it.
os.environ.setdefault(
    'OS_TEST_DBAPI_ADMIN_CONNECTION',
    'mysql+pymysql://root@127.0.0.1:3306/test;'
    'postgresql+psycopg2://postgres@127.0.0.1:5432/postgres;sqlite://')
