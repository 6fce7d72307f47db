"""Accounts kept in the store: argon2id password hashes, roles, session generations, throttled logins, the audit log."""

from __future__ import annotations

import ipaddress
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import Engine, delete, func, insert, select, update
from zxcvbn import zxcvbn

from lagesbild.store.schema import audit_log, users

ROLES = ("admin", "styrgrupp", "dataansvarig", "partner")
STEWARDS = ("admin", "dataansvarig")  # load and undo any kind, see rejected rows
SOURCE_NAME = re.compile(r"[a-z0-9-]{2,64}")
MIN_PASSWORD_LENGTH = 12
MIN_PASSWORD_SCORE = 3  # zxcvbn's 0–4: 3 is "safely unguessable" (about 10^8 guesses or more)
STRENGTH_CHECKED = 72  # zxcvbn refuses longer input; a passphrase strong in its first 72 characters is strong
NOT_A_SECRET = ("lagesbild", "lägesbild", "västra", "vastra", "södermalm", "sodermalm", "stockholm", "styrgrupp",
                "partner", "admin", "dataansvarig")
# Failed logins allowed in each moving window; a window that is full refuses until its oldest failure is old enough,
# so the wait grows with the failures: a minute after 5, a quarter of an hour after 10, an hour after 20, a day
# after 50. An account's windows are counted per browser that has logged in to it before (a known device), so a
# stranger guessing from elsewhere never locks out the user at a known browser. An address is a whole IPv6 /64.
ACCOUNT_LIMITS = "5 per minute; 10 per 15 minutes; 20 per hour; 50 per day"
ADDRESS_LIMITS = "20 per minute; 100 per hour; 500 per day"  # many colleagues may share one city NAT address
USERNAME = re.compile(r"[a-z0-9._@-]{2,64}")
HASHER = PasswordHasher()  # argon2id with the library's current parameters
# Verified against when the user does not exist, so a wrong name costs as long as a wrong password.
DUMMY_HASH = HASHER.hash("no such user, but the same work")


class AccountError(ValueError):
    pass


def check_password(password: str, username: str = "") -> None:
    """Refuse a password shorter than 12 characters or one zxcvbn can guess (common, repeated, a keyboard row...)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    found = zxcvbn(password[:STRENGTH_CHECKED], user_inputs=[username, *NOT_A_SECRET])
    if found["score"] < MIN_PASSWORD_SCORE:
        why = " ".join(part for part in (found["feedback"]["warning"], *found["feedback"]["suggestions"]) if part)
        raise AccountError("the password is too easy to guess" + (f": {why}" if why else "")
                           + " Use a passphrase of four or more unusual words.")


def _check_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.fullmatch(name):
        raise AccountError("a user name is 2–64 characters of a–z, 0–9 and . _ @ -")
    return name


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; one of: {', '.join(ROLES)}")


def add_user(engine: Engine, username: str, password: str, role: str, by: str | None = None) -> None:
    name = _check_username(username)
    _check_role(role)
    check_password(password, name)
    with engine.begin() as conn:
        if conn.execute(select(users.c.id).where(users.c.username == name)).first():
            raise AccountError(f"user {name!r} exists already")
        # A random first generation: a session cookie of a removed account of the same name never fits the new one.
        conn.execute(insert(users).values(username=name, password_hash=HASHER.hash(password), role=role,
                                          session_generation=secrets.randbelow(2**30), created_at=datetime.now()))
        _audit(conn, "user_added", by, f"{name} ({role})")


def set_password(engine: Engine, username: str, password: str, by: str | None = None) -> None:
    """A new password; every session of the user ends, and so does the throttling of failed logins to the account."""
    name = _check_username(username)
    check_password(password, name)
    _change_user(engine, name, "user_password", name, by, password_hash=HASHER.hash(password))


def set_role(engine: Engine, username: str, role: str, by: str | None = None) -> None:
    """A new role; every session of the user ends (a session holds the role it was started with)."""
    name = _check_username(username)
    _check_role(role)
    _change_user(engine, name, "user_role", f"{name} ({role})", by, role=role)


def end_sessions(engine: Engine, username: str) -> None:
    """End every session of `username` (logout ends them all, not only the browser's own)."""
    _change_user(engine, _check_username(username), None, None)


def _change_user(engine: Engine, name: str, action: str | None, detail: str | None, by: str | None = None,
                 **values) -> None:
    with engine.begin() as conn:
        done = conn.execute(update(users).where(users.c.username == name).values(
            session_generation=users.c.session_generation + 1, **values))
        if done.rowcount == 0:
            raise AccountError(f"no user {name!r}")
        if action:
            _audit(conn, action, by, detail)


def remove_user(engine: Engine, username: str, by: str | None = None) -> None:
    with engine.begin() as conn:
        if conn.execute(delete(users).where(users.c.username == _check_username(username))).rowcount == 0:
            raise AccountError(f"no user {username!r}")
        _audit(conn, "user_removed", by, username)


def set_upload_rights(engine: Engine, username: str, organisation: str | None, sources: list[str],
                      by: str | None = None) -> None:
    """The organisation an account belongs to and the sources it may load (a partner's named sources; stewards load
    every source whatever is set here). Its sessions go on: rights are looked up at each upload."""
    name = _check_username(username)
    org = (organisation or "").strip()[:200] or None
    kept = sorted({s.strip().lower() for s in sources if s and s.strip()})
    bad = [s for s in kept if not SOURCE_NAME.fullmatch(s)]
    if bad:
        raise AccountError(f"not a source name: {', '.join(map(repr, bad))} (e.g. outreach-shifts, incident-log)")
    if kept and not org:
        raise AccountError("upload rights need an organisation: the loads are tagged with it")
    with engine.begin() as conn:
        done = conn.execute(update(users).where(users.c.username == name).values(organisation=org,
                                                                                  upload_sources=kept or None))
        if done.rowcount == 0:
            raise AccountError(f"no user {name!r}")
        _audit(conn, "user_rights", by, f"{name}: organisation {org or '-'}, may load {', '.join(kept) or 'nothing'}")


def unlock(engine: Engine, username: str, by: str | None = None) -> None:
    """Start the account's failed-login counters afresh (they carry its session generation), ending its sessions."""
    name = _check_username(username)
    _change_user(engine, name, "user_unlocked", name, by)


def list_users(engine: Engine) -> list[dict]:
    query = select(users.c.username, users.c.role, users.c.created_at, users.c.last_login_at, users.c.organisation,
                   users.c.upload_sources)
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query.order_by(users.c.username)).mappings()]


def find_user(engine: Engine, username: str) -> dict | None:
    """{'username', 'role', 'session_generation'} of an account, or None."""
    query = select(users.c.username, users.c.role, users.c.session_generation).where(users.c.username == username)
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    return dict(row) if row else None


# ---- who may load and undo what ----

class UploadRefused(PermissionError):
    """The account may not load this source, or undo this load; the message says why."""


@dataclass(frozen=True)
class Uploader:
    """Someone loading or undoing through the web: what their role and rights allow (the CLI's operator holds the
    store and is not one of these)."""

    username: str
    role: str
    organisation: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def steward(self) -> bool:
        return self.role in STEWARDS

    @property
    def may_upload(self) -> bool:
        return self.steward or bool(self.role == "partner" and self.organisation and self.sources)

    @property
    def load_organisation(self) -> str | None:
        """The organisation a partner's loads are tagged with (always its own); None for a steward (their choice)."""
        return None if self.steward else self.organisation

    def check_load(self, source: str) -> None:
        if self.steward:
            return
        if not self.may_upload:
            raise UploadRefused(f"{self.username} ({self.role}) may not load files")
        if source not in self.sources:
            raise UploadRefused(f"{self.username} may load {', '.join(self.sources)} only, not {source}")

    def check_undo(self, load: dict) -> None:
        """A steward undoes any load; a partner only loads of its own organisation of a source it may load."""
        if self.steward:
            return
        if not self.may_upload or load.get("organisation") != self.organisation:
            raise UploadRefused(f"load #{load.get('id')} is not a load of {self.organisation or self.username}; "
                                "only a data steward may undo it")
        self.check_load(load.get("source") or "")


def uploader(engine: Engine, username: str) -> Uploader | None:
    """The account's rights as the store holds them now (asked at every upload and undo), or None."""
    query = select(users.c.username, users.c.role, users.c.organisation, users.c.upload_sources).where(
        users.c.username == username)
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        return None
    return Uploader(row["username"], row["role"], row["organisation"], tuple(row["upload_sources"] or ()))


def has_accounts(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(select(func.count()).select_from(users)).scalar())


# ---- logging in ----

@dataclass(frozen=True)
class Login:
    """What a login attempt gave: the user when it succeeded, else how long to wait when the attempt was throttled."""

    user: dict | None = None  # {'username', 'role', 'session_generation'}
    retry_after: int = 0  # seconds; 0: not throttled


class LoginThrottle:
    """Failed logins counted in moving windows (ACCOUNT_LIMITS, ADDRESS_LIMITS), kept in a `limits` storage (memory
    by default: one server process). A throttled attempt is refused however right its password; nothing sleeps."""

    def __init__(self, storage_uri: str = "memory://", account_limits: str = ACCOUNT_LIMITS,
                 address_limits: str = ADDRESS_LIMITS):
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self.account_limits, self.address_limits = parse_many(account_limits), parse_many(address_limits)

    def buckets(self, name: str, generation: int | None, address: str, device: str | None) -> list[tuple]:
        """The windows an attempt is counted in: its account's (or, from a known device, that device's) and its
        address's. The account's carry the session generation, so `user passwd` starts them afresh."""
        if device:  # the browser logged in to this very account before: only its own failures count against it
            return [(limit, "device", name, device) for limit in self.account_limits]
        account = [(limit, "account", name, str(generation)) for limit in self.account_limits]
        return account + [(limit, "address", address) for limit in self.address_limits]

    def wait(self, buckets: list[tuple]) -> int:
        """Seconds until every window has room again; 0 when none is full."""
        full = [self._reset_at(limit, *ids) for limit, *ids in buckets if not self.limiter.test(limit, *ids)]
        return max(1, int(max(full) - time.time()) + 1) if full else 0

    def _reset_at(self, limit: RateLimitItem, *ids: str) -> float:
        return self.limiter.get_window_stats(limit, *ids).reset_time

    def fail(self, buckets: list[tuple]) -> None:
        for limit, *ids in buckets:
            self.limiter.hit(limit, *ids)


def client_bucket(address: str) -> str:
    """The address counted for throttling: an IPv4 address, or the /64 of an IPv6 one (one host has them all)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if ip.version == 6 and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(getattr(ip, "ipv4_mapped", None) or ip)


def authenticate(engine: Engine, username: str, password: str, *, throttle: LoginThrottle | None = None,
                 address: str = "", device: str | None = None) -> Login:
    """Check a login. Every attempt does the same work whatever its outcome (the user row read, one argon2
    verification, one audit entry), so no answer's timing tells an unknown name from a throttled or a wrong one.

    device: the id of a known-device cookie that was issued to this very user name at an earlier login.
    """
    name = (username or "").strip().lower()[:64]
    with engine.begin() as conn:
        row = conn.execute(select(users).where(users.c.username == name)).mappings().first()
        buckets = throttle.buckets(name, row and row["session_generation"], client_bucket(address), device) \
            if throttle else []
        wait = throttle.wait(buckets) if throttle else 0
        right = _verify(row["password_hash"] if row else DUMMY_HASH, password) and row is not None
        if right and not wait:
            conn.execute(update(users).where(users.c.id == row["id"]).values(last_login_at=datetime.now()))
            _audit(conn, "login", name, None)
            return Login(user={key: row[key] for key in ("username", "role", "session_generation")})
        if throttle and not wait:
            throttle.fail(buckets)
        _audit(conn, "login_failed", name, "throttled" if wait else "wrong password" if row else "unknown user")
        return Login(retry_after=wait)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


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
