"""PostgreSQL for the office side: a throwaway database per test session on INSPECTOR_TEST_PG_URL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

PG_URL = os.environ.get("INSPECTOR_TEST_PG_URL")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    if not PG_URL:
        pytest.skip(
            "PostgreSQL tests need INSPECTOR_TEST_PG_URL, e.g. "
            "INSPECTOR_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test (.ci/run sets it)"
        )
    name = f"inspector_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.make_url(PG_URL).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
