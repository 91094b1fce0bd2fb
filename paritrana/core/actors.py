"""Who acts when no one is logged in: the server itself.

The command line (its operator at the server's console) and scheduled jobs pass
:func:`system_actor` to services and selectors; ``accounts.scope.scope_for`` gives it the national
scope. ``None`` is nobody, and is refused wherever a scope is needed.
"""

from __future__ import annotations

from typing import Any


class SystemActor:
    """The server acting for itself: a command its operator types on the server, or a scheduled job.

    It acts nationally, as the national administrator would, and is no user: nothing it writes names
    a user (``acting_user`` is None), and its audit rows have no actor, only their channel. A page or
    an API call never acts as it — those always carry the logged-in user.
    """

    is_authenticated = False  # not a login: foreign keys to users and audit actors stay empty
    is_superuser = False
    pk = None
    username = "sistem"

    def __repr__(self) -> str:
        return "<SystemActor>"


_SYSTEM = SystemActor()


def system_actor() -> SystemActor:
    """The one actor the command line and background jobs pass to services and selectors."""
    return _SYSTEM


def is_system(actor: Any) -> bool:
    return isinstance(actor, SystemActor)


def acting_user(actor: Any) -> Any:
    """The user to record as having done something (``created_by``, ``reviewed_by``…): the actor when
    it is a logged-in user, else None (the system, or nobody)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def set_database_actor(cursor: Any, actor_id: int | None) -> None:
    """Name the acting user for the rest of the transaction, for the registry's change-history trigger
    (``paritrana.actor_id``, registry/sql.py). A ``SET LOCAL`` rather than ``set_config()``: on a Citus
    cluster the trigger runs on the workers' shards, and Citus passes a transaction's ``SET LOCAL``
    commands on to them when ``citus.propagate_set_commands`` is ``local`` (a function call it does
    not); on a single PostgreSQL the ``citus.`` setting is an unused placeholder."""
    value = "" if actor_id is None else str(int(actor_id))  # an integer: nothing else reaches the SQL text
    cursor.execute("SET LOCAL citus.propagate_set_commands = 'local'")
    cursor.execute(f"SET LOCAL paritrana.actor_id = '{value}'")
