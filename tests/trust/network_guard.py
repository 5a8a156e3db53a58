"""Refuse and record every attempt to reach a network (used by offline_session.py).

Creating an internet socket (IPv4 or IPv6), `socket.create_connection` and name look-ups raise
OSError and are recorded; local socket pairs (asyncio's own wake-up pipe) still work. `install`
tries each refusal once itself and reports whether it held, so a guard that caught nothing cannot
pass for one that was never tested.
"""

from __future__ import annotations

import socket

attempts: list[str] = []


def install() -> dict[str, bool]:
    real = socket.socket
    network = {socket.AF_INET, socket.AF_INET6}

    class GuardedSocket(real):  # type: ignore[misc, valid-type]
        def __init__(self, family: int = -1, type: int = -1, proto: int = -1,
                     fileno: int | None = None) -> None:
            if fileno is None and (family == -1 or family in network):
                attempts.append(f"socket({family})")
                raise OSError("network access blocked by the offline test")
            super().__init__(family, type, proto, fileno)

    def refuse(name: str):
        def refused(*args: object, **kwargs: object) -> None:
            attempts.append(f"{name}{args[:1]}")
            raise OSError("network access blocked by the offline test")
        return refused

    socket.socket = GuardedSocket  # type: ignore[misc]
    socket.create_connection = refuse("create_connection")  # type: ignore[assignment]
    socket.getaddrinfo = refuse("getaddrinfo")  # type: ignore[assignment]
    selftest: dict[str, bool] = {}
    for name, attempt in (
        ("socket", lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM)),
        ("create_connection", lambda: socket.create_connection(("127.0.0.1", 9), timeout=1)),
        ("getaddrinfo", lambda: socket.getaddrinfo("example.org", 443)),
    ):
        try:
            attempt()
            selftest[name] = False
        except OSError:
            selftest[name] = True
    a, b = socket.socketpair()  # local, as asyncio uses: allowed
    a.close()
    b.close()
    selftest["socketpair_allowed"] = True
    attempts.clear()
    return selftest
