"""This laptop's password and idle delay: scrypt hash in local_setting, real SQLite."""

from __future__ import annotations

import pytest

from inspector_app.core.db import session_scope
from inspector_app.core.local_user import (
    DEFAULT_IDLE_MINUTES,
    PASSWORD_KEY,
    check_local_password,
    has_local_password,
    idle_minutes,
    set_idle_minutes,
    set_local_password,
)
from inspector_app.core.services.editor import get_setting, set_setting
from inspector_app.core.services.errors import ServiceError
from inspector_app.core.workspace import Workspace


def test_no_password_at_first(workspace: Workspace) -> None:
    with workspace.session() as session:
        assert not has_local_password(session)
        assert not check_local_password(session, "")
        assert not check_local_password(session, "bất kỳ")


def test_set_then_check_survives_reopening(workspace: Workspace) -> None:
    with session_scope(workspace.engine) as session:
        set_local_password(session, "mật-khẩu-123")
    with workspace.session() as session:
        assert has_local_password(session)
        assert check_local_password(session, "mật-khẩu-123")
        assert not check_local_password(session, "mật-khẩu-124")
        assert not check_local_password(session, "MẬT-KHẨU-123")
        assert not check_local_password(session, "")
        stored = get_setting(session, PASSWORD_KEY) or ""
    assert "mật-khẩu-123" not in stored and stored.startswith("scrypt$16384$8$1$")


def test_same_password_gets_a_fresh_salt(workspace: Workspace) -> None:
    with session_scope(workspace.engine) as session:
        set_local_password(session, "abcdef")
        first = get_setting(session, PASSWORD_KEY)
        set_local_password(session, "abcdef")
        second = get_setting(session, PASSWORD_KEY)
        assert first != second
        assert check_local_password(session, "abcdef")


def test_replacing_the_password(workspace: Workspace) -> None:
    with session_scope(workspace.engine) as session:
        set_local_password(session, "cũ-cũ-cũ")
        set_local_password(session, "mới-mới-mới")
    with workspace.session() as session:
        assert check_local_password(session, "mới-mới-mới")
        assert not check_local_password(session, "cũ-cũ-cũ")


@pytest.mark.parametrize("short", ["", "a", "12345", "ắằẳẵặ"])
def test_short_password_refused_in_vietnamese(workspace: Workspace, short: str) -> None:
    with session_scope(workspace.engine) as session:
        with pytest.raises(ServiceError) as raised:
            set_local_password(session, short)
        assert str(raised.value) == "Mật khẩu phải có ít nhất 6 ký tự."
        assert not has_local_password(session)


def test_six_vietnamese_characters_are_enough(workspace: Workspace) -> None:
    with session_scope(workspace.engine) as session:
        set_local_password(session, "ắằẳẵặạ")
        assert check_local_password(session, "ắằẳẵặạ")


def test_damaged_setting_never_unlocks(workspace: Workspace) -> None:
    with session_scope(workspace.engine) as session:
        set_setting(session, PASSWORD_KEY, "scrypt$không-hợp-lệ")
        assert not check_local_password(session, "scrypt$không-hợp-lệ")
        set_setting(session, PASSWORD_KEY, "md5$1$1$1$AAAA$AAAA")
        assert not check_local_password(session, "abcdef")


def test_idle_minutes_default_set_and_disable(workspace: Workspace) -> None:
    with workspace.session() as session:
        assert idle_minutes(session) == DEFAULT_IDLE_MINUTES == 10
    with session_scope(workspace.engine) as session:
        set_idle_minutes(session, 3)
    with workspace.session() as session:
        assert idle_minutes(session) == 3
    with session_scope(workspace.engine) as session:
        set_idle_minutes(session, 0)
    with workspace.session() as session:
        assert idle_minutes(session) == 0


def test_idle_minutes_refuses_negative(workspace: Workspace) -> None:
    with session_scope(workspace.engine) as session:
        with pytest.raises(ServiceError, match="0"):
            set_idle_minutes(session, -1)
        set_setting(session, "local_user.idle_minutes", "rác")
        assert idle_minutes(session) == DEFAULT_IDLE_MINUTES
