"""HTTP to the office: HTTPS (optionally with the office's own CA file); plain HTTP only to this
machine, or when explicitly allowed (a loud warning: tokens and data would cross the network
in clear)."""

from __future__ import annotations

import ipaddress
import logging
import ssl
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import certifi
import httpx

from inspector_app.i18n import _

log = logging.getLogger(__name__)
RETRIES = 4


class SyncError(RuntimeError):
    """Sync could not finish; the message is for the user."""


class NotSignedIn(SyncError):
    pass


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def on_this_machine(server: str) -> bool:
    return _is_loopback(urlsplit(server).hostname or "")


def check_url(server: str, *, allow_insecure: bool = False) -> str:
    parts = urlsplit(server)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SyncError(_("Not a server address: {url}").format(url=server))
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        if not allow_insecure:
            raise SyncError(
                _("Refusing plain HTTP to {host}: use https:// (or allow insecure explicitly)").format(
                    host=parts.hostname
                )
            )
        log.warning("INSECURE: plain HTTP to %s — the token and the data travel unencrypted", parts.hostname)
    return server.rstrip("/")


def make_client(
    server: str, *, token: str | None = None, ca_cert: str | None = None, timeout: float = 60
) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if on_this_machine(server):
        headers["Accept-Encoding"] = "identity"  # compressing for the same machine costs, saves nothing
    mtime = Path(ca_cert).stat().st_mtime_ns if ca_cert and Path(ca_cert).exists() else 0
    verify = _tls_context(ca_cert or None, mtime)
    return httpx.Client(base_url=server, headers=headers, verify=verify, timeout=timeout)


@cache
def _tls_context(ca_cert: str | None, _mtime: int) -> ssl.SSLContext:
    """Made once per CA file (and version of it): reading the CA bundle took 20 ms, a third of a
    sync with nothing to do."""
    return ssl.create_default_context(cafile=ca_cert or certifi.where())


def request(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    ok: tuple[int, ...] = (200,),
    sleep: Callable[[float], None] = time.sleep,
    **kw: Any,
) -> httpx.Response:
    """One call with retries on network errors and 5xx; the same bytes are resent each time."""
    last: Exception | None = None
    for attempt in range(RETRIES):
        try:
            resp = client.request(method, url, **kw)
        except httpx.TransportError as exc:
            last = exc
        else:
            if resp.status_code in ok:
                return resp
            if resp.status_code == 401:
                raise NotSignedIn(_("The office no longer accepts this laptop's sign-in; sign in again"))
            if resp.status_code < 500:
                raise SyncError(
                    _("The office refused the request ({code}): {detail}").format(
                        code=resp.status_code, detail=_detail(resp)
                    )
                )
            last = SyncError(f"HTTP {resp.status_code}")
        if attempt + 1 < RETRIES:
            sleep(min(0.25 * 2**attempt, 4.0))
    raise SyncError(_("Cannot reach the office: {error}").format(error=last))


def _detail(resp: httpx.Response) -> str:
    try:
        return str(resp.json().get("detail", resp.text))
    except ValueError:
        return resp.text[:200]
