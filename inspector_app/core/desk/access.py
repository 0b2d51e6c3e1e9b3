"""Who gets the office workspace on this computer.

The office's clerks use the same desktop app as the inspectors: signing in to the office with an
account of the admin role opens the workspace (its edits of reference data travel through the same
sync, and the office accepts them only from admins). A laptop started with the demo province has no
office behind it, so the workspace is open there too: the demo is where a clerk learns it.
"""

from __future__ import annotations

from sqlmodel import Session

from inspector_app.core.services.editor import get_setting

ROLE_KEY = "sync.role"  # written by ``sync.client.login``
FIRST_RUN_KEY = "first_run.done"  # "office" | "demo", written by the first-run guide
ADMIN = "admin"


def office_desk_enabled(session: Session) -> bool:
    if get_setting(session, ROLE_KEY) == ADMIN:
        return True
    return get_setting(session, FIRST_RUN_KEY) == "demo" and not get_setting(session, "sync.server")
