"""Errors a user can meet, with messages that say what to do (translated at raise time)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from inspector_app.i18n import _


class ServiceError(Exception):
    """Refused edit or bad input: ``str(error)`` is a message for the user."""


class NotFound(ServiceError):
    pass


class InvalidInput(ServiceError):
    pass


class VisitLocked(ServiceError):
    def __init__(self, visit_label: str) -> None:
        super().__init__(
            _(
                "The visit {visit} is signed and locked: it can no longer be changed. "
                "Record an addendum or a remedy follow-up beside it instead."
            ).format(visit=visit_label)
        )


@dataclass(frozen=True)
class Missing:
    """Something a visit still needs before it can be completed."""

    kind: str  # "item" | "roll_call"
    code: str  # item code, or roll-call row id
    label: str

    def __str__(self) -> str:
        return f"{self.code}: {self.label}" if self.kind == "item" else self.label


class VisitIncomplete(ServiceError):
    def __init__(self, missing: Sequence[Missing]) -> None:
        self.missing = list(missing)
        lines = "\n".join(f"- {m}" for m in self.missing)
        super().__init__(_("The visit cannot be completed yet; still missing:") + "\n" + lines)
