"""Accounts kept in the store: argon2id password hashes, roles, lock-out after failures, and the audit log."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, func, insert, select, update

from lagesbild.store.schema import audit_log, users

ROLES = ("admin", "styrgrupp", "partner")
MIN_PASSWORD_LENGTH = 12
MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
USERNAME = re.compile(r"[a-z0-9._@-]{2,64}")
HASHER = PasswordHasher()  # argon2id with the library's current parameters
# Verified against when the user does not exist, so a wrong name costs as long as a wrong password.
DUMMY_HASH = HASHER.hash("no such user, but the same work")


class AccountError(ValueError):
    pass


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")


def _check_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.fullmatch(name):
        raise AccountError("a user name is 2–64 characters of a–z, 0–9 and . _ @ -")
    return name


def add_user(engine: Engine, username: str, password: str, role: str) -> None:
    name = _check_username(username)
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; one of: {', '.join(ROLES)}")
    _check_password(password)
    with engine.begin() as conn:
        if conn.execute(select(users.c.id).where(users.c.username == name)).first():
            raise AccountError(f"user {name!r} exists already")
        conn.execute(insert(users).values(username=name, password_hash=HASHER.hash(password), role=role,
                                          failed_logins=0, created_at=datetime.now()))
        _audit(conn, "user_added", None, f"{name} ({role})")


def set_password(engine: Engine, username: str, password: str) -> None:
    _check_password(password)
    with engine.begin() as conn:
        done = conn.execute(update(users).where(users.c.username == _check_username(username)).values(
            password_hash=HASHER.hash(password), failed_logins=0, locked_until=None))
        if done.rowcount == 0:
            raise AccountError(f"no user {username!r}")
        _audit(conn, "user_password", None, username)


def remove_user(engine: Engine, username: str) -> None:
    with engine.begin() as conn:
        if conn.execute(delete(users).where(users.c.username == _check_username(username))).rowcount == 0:
            raise AccountError(f"no user {username!r}")
        _audit(conn, "user_removed", None, username)


def list_users(engine: Engine) -> list[dict]:
    query = select(users.c.username, users.c.role, users.c.created_at, users.c.last_login_at, users.c.locked_until)
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query.order_by(users.c.username)).mappings()]


def has_accounts(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(select(func.count()).select_from(users)).scalar())


def authenticate(engine: Engine, username: str, password: str, now: datetime | None = None) -> dict | None:
    """The user (name, role) when the password is right and the account not locked; every attempt is audited."""
    now = now or datetime.now()
    name = (username or "").strip().lower()[:64]
    with engine.begin() as conn:
        row = conn.execute(select(users).where(users.c.username == name)).mappings().first()
        if row is None:
            _verify(DUMMY_HASH, password)
            _audit(conn, "login_failed", name, "unknown user")
            return None
        if row["locked_until"] and row["locked_until"] > now:
            _audit(conn, "login_failed", name, "locked")
            return None
        if not _verify(row["password_hash"], password):
            _record_failure(conn, row, now)
            return None
        conn.execute(update(users).where(users.c.id == row["id"]).values(failed_logins=0, locked_until=None,
                                                                         last_login_at=now))
        _audit(conn, "login", name, None)
        return {"username": name, "role": row["role"]}


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def _record_failure(conn, row, now: datetime) -> None:
    failures = row["failed_logins"] + 1
    locked = now + LOCK_FOR if failures >= MAX_FAILURES else None
    conn.execute(update(users).where(users.c.id == row["id"]).values(
        failed_logins=0 if locked else failures, locked_until=locked))
    _audit(conn, "login_failed", row["username"], "locked for 15 minutes" if locked else "wrong password")


def audit(engine: Engine, action: str, username: str | None, detail: str | None = None) -> None:
    with engine.begin() as conn:
        _audit(conn, action, username, detail)


def _audit(conn, action: str, username: str | None, detail: str | None) -> None:
    conn.execute(insert(audit_log).values(at=datetime.now(), username=username, action=action,
                                          detail=(detail or "")[:2000] or None))


def recent_audit(engine: Engine, limit: int = 200) -> list[dict]:
    with engine.connect() as conn:
        query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        return [dict(row) for row in conn.execute(query).mappings()]
