"""Guessing is slowed down: per account, per client, shared by every worker and server."""

import shutil

import pytest
import redis
import sqlalchemy as sa

from intake import create_app
from intake.extensions import db
from intake.models import ThrottleEvent
from tests import factories
from tests.conftest import app_config, submit


def _fail(client, username="kim", password="wrong password!!"):
    return submit(client, "/login", {"username": username, "password": password})


def test_account_is_paused_after_failures_whoever_tries(app, client):
    with app.app_context():
        factories.account("kim")
    for _ in range(8):
        assert _fail(app.test_client()).status_code == 200  # different clients, same account
    blocked = _fail(client, password=factories.PASSWORD)  # even the right password now waits
    assert blocked.status_code == 429
    assert "try again in 15 minutes" in blocked.get_data(as_text=True)
    assert blocked.headers["Retry-After"] == "900"


def test_unknown_and_known_names_are_paused_alike(app, client):
    with app.app_context():
        factories.account("kim")
    for name in ("kim", "nobody"):
        for _ in range(8):
            _fail(app.test_client(), username=name)
        assert _fail(app.test_client(), username=name).status_code == 429


def test_one_client_trying_many_names_is_paused(app, client):
    for n in range(20):
        assert _fail(client, username=f"name{n}").status_code == 200
    assert _fail(client, username="another").status_code == 429


def test_a_successful_sign_in_is_not_counted(app, client, auth):
    with app.app_context():
        factories.account("kim")
    for _ in range(10):
        auth.login("kim")
        auth.logout()
    assert auth.login("kim").status_code == 302


def test_setup_link_guessing_is_throttled(app, client):
    statuses = [client.get(f"/setup/guess{i:040d}").status_code for i in range(21)]
    assert statuses[:20] == [404] * 20 and statuses[20] == 429


# --- counted in Redis when REDIS_URL is set ----------------------------------


@pytest.fixture
def redis_app(database_url, instance_dir, redis_url):
    app = create_app(app_config(database_url, REDIS_URL=redis_url))
    with app.app_context():
        factories.account("kim")
    yield app
    with app.app_context():
        db.engine.dispose()


def _throttle_rows(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(ThrottleEvent.id)))


@pytest.mark.sqlite_only
def test_counts_live_in_redis_when_it_is_configured(redis_app, redis_url):
    for _ in range(8):
        assert _fail(redis_app.test_client()).status_code == 200
    assert _fail(redis_app.test_client(), password=factories.PASSWORD).status_code == 429
    assert _throttle_rows(redis_app) == 0
    names = [name.decode() for name in redis.Redis.from_url(redis_url).keys("*")]
    assert names and all(name.startswith("intake:throttle:") for name in names)
    assert not any("kim" in name or "127.0.0.1" in name for name in names)


@pytest.mark.sqlite_only
def test_app_servers_with_their_own_databases_share_the_count(
    redis_app, redis_url, tmp_path, sqlite_template
):
    """Only Redis is shared here, so only Redis can have carried the count across."""
    copy = tmp_path / "other.sqlite"
    shutil.copyfile(sqlite_template, copy)
    other = create_app(app_config(f"sqlite:///{copy}", REDIS_URL=redis_url))
    for server in (redis_app, other) * 4:
        assert _fail(server.test_client(), username="nobody").status_code == 200
    assert _fail(other.test_client(), username="nobody").status_code == 429
    assert _fail(redis_app.test_client(), username="nobody").status_code == 429
    with other.app_context():
        db.engine.dispose()


@pytest.mark.sqlite_only
def test_an_unreachable_redis_means_counting_in_the_database(
    database_url, instance_dir, tmp_path, caplog
):
    app = create_app(app_config(database_url, REDIS_URL=f"unix://{tmp_path}/gone.sock"))
    for _ in range(8):
        assert _fail(app.test_client(), username="nobody").status_code == 200
    assert _fail(app.test_client(), username="nobody").status_code == 429
    assert _throttle_rows(app) > 0
    assert "Redis unreachable" in caplog.text
    with app.app_context():
        db.engine.dispose()
