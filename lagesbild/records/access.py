"""Who may do what with the records, kept here alone: styrgrupp and admin write; partners read shared ones."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, select

from lagesbild.records.errors import NotAllowed
from lagesbild.records.kinds import DEMO_ROLE, EDITOR_ROLES, READER_ROLES
from lagesbild.store.schema import users


@dataclass(frozen=True)
class Actor:
    """The user acting or viewing, and the role the login gave them."""

    username: str
    role: str

    @classmethod
    def from_user(cls, user: Mapping[str, str]) -> Actor:
        """From the web layer's user ({"username", "role"})."""
        return cls(str(user["username"]), str(user["role"]))

    @property
    def sees_all(self) -> bool:
        """True for styrgrupp, admin and the open demo; partners see only shared records."""
        return self.role in (*EDITOR_ROLES, DEMO_ROLE)

    @property
    def may_edit(self) -> bool:
        """What a page asks before it offers a form; every write still checks (require_editor)."""
        return self.role in EDITOR_ROLES


def require_editor(actor: Actor, doing: str = "change records") -> None:
    if actor.role not in EDITOR_ROLES:
        raise NotAllowed(f"{actor.username} ({actor.role}) may not {doing}: only {' and '.join(EDITOR_ROLES)} may")


def require_reader(actor: Actor) -> None:
    if actor.role not in READER_ROLES:
        raise NotAllowed(f"{actor.username}: unknown role {actor.role!r}; one of {', '.join(READER_ROLES)}")


def actor_from_store(conn: Connection, username: str) -> Actor:
    """The account's role from the store (the CLI's --as): an unknown name is refused, never guessed."""
    name = username.strip().lower()
    role = conn.execute(select(users.c.role).where(users.c.username == name)).scalar()
    if role is None:
        raise NotAllowed(f"no account {name!r} in the store; add one with: lagesbild user add {name} --role styrgrupp")
    return Actor(name, role)
