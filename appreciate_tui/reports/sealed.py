"""Encrypted bundles: a conversation that leaves the laptop readable only with a passphrase
(shared research, reliability.md section 3.3).

The file is `MAGIC`, a two-byte header length, a JSON header (format version, key derivation and
its parameters, a random salt, a random nonce), then the bundle, compressed and encrypted with
AES-256-GCM. The key comes from the passphrase through Argon2id (scrypt where this system's
`cryptography` has no Argon2id), with the salt, so the same passphrase never gives the same key
twice. The magic and header are authenticated as associated data: changing any byte of the file,
header included, or using another passphrase, makes decryption fail (`SealError`) and nothing is
read from it.

`cryptography` is imported only when a bundle is sealed or opened.
"""

from __future__ import annotations

import base64
import json
import os
import struct
import zlib
from typing import Any

MAGIC = b"APPRECIATE-SEALED\n"
VERSION = 1
MIN_PASSPHRASE = 8
SALT_BYTES = 16
NONCE_BYTES = 12
# Argon2id as measured in the research (t=3, p=4, 64 MiB: about 0.2 s on the 2-core machine);
# scrypt n=2^17, r=8 (128 MiB) where Argon2id is missing.
ARGON2ID = {"kdf": "argon2id", "iterations": 3, "lanes": 4, "memory_kib": 65536}
SCRYPT = {"kdf": "scrypt", "n": 2**17, "r": 8, "p": 1}
_MAX_HEADER = 4096


class SealError(Exception):
    """A sealed bundle that cannot be opened; the message says why and what to do."""


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise SealError(f"a passphrase needs at least {MIN_PASSPHRASE} characters")


def _derive(passphrase: str, params: dict[str, Any], salt: bytes) -> bytes:
    secret = passphrase.encode("utf-8")
    if params["kdf"] == "argon2id":
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        return Argon2id(
            salt=salt,
            length=32,
            iterations=params["iterations"],
            lanes=params["lanes"],
            memory_cost=params["memory_kib"],
        ).derive(secret)
    if params["kdf"] == "scrypt":
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        return Scrypt(salt=salt, length=32, n=params["n"], r=params["r"], p=params["p"]).derive(
            secret
        )
    raise SealError(f"this bundle uses a key derivation appreciate does not know ({params['kdf']!r})")


def _default_kdf() -> dict[str, Any]:
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id  # noqa: F401
    except ImportError:  # an older cryptography, or one built without Argon2id
        return dict(SCRYPT)
    return dict(ARGON2ID)


def seal(plain: bytes, passphrase: str, *, kdf: dict[str, Any] | None = None) -> bytes:
    """Encrypt `plain` (a bundle) with a key derived from `passphrase`."""
    check_passphrase(passphrase)
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    params = dict(kdf or _default_kdf())
    header = {
        "v": VERSION,
        "cipher": "AES-256-GCM",
        "compression": "zlib",
        **params,
        "salt": base64.b64encode(salt).decode("ascii"),
        "nonce": base64.b64encode(nonce).decode("ascii"),
    }
    encoded = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("ascii")
    preamble = MAGIC + struct.pack(">H", len(encoded)) + encoded
    key = _derive(passphrase, params, salt)
    return preamble + AESGCM(key).encrypt(nonce, zlib.compress(plain, 6), preamble)


def unseal(data: bytes, passphrase: str) -> bytes:
    """The bundle inside a sealed file; `SealError` for a wrong passphrase or a changed file."""
    if not is_sealed(data):
        raise SealError("this is not an encrypted appreciate bundle")
    start = len(MAGIC)
    if len(data) < start + 2:
        raise SealError("the encrypted bundle is cut short")
    (length,) = struct.unpack(">H", data[start : start + 2])
    if length > _MAX_HEADER or len(data) < start + 2 + length + 16:
        raise SealError("the encrypted bundle is cut short or damaged")
    preamble = data[: start + 2 + length]
    try:
        header = json.loads(preamble[start + 2 :].decode("ascii"))
        version = header["v"]
        salt = base64.b64decode(header["salt"], validate=True)
        nonce = base64.b64decode(header["nonce"], validate=True)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise SealError("the encrypted bundle's header is damaged") from None
    if type(version) is not int or version > VERSION:
        raise SealError(
            f"this encrypted bundle was written by a newer appreciate (format {version}); "
            "update appreciate to open it"
        )
    if header.get("cipher") != "AES-256-GCM" or len(nonce) != NONCE_BYTES:
        raise SealError("the encrypted bundle's header is damaged")
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        key = _derive(passphrase, header, salt)
        packed = AESGCM(key).decrypt(nonce, data[len(preamble) :], preamble)
    except InvalidTag:
        raise SealError(
            "the passphrase is wrong, or the file was changed after it was encrypted"
        ) from None
    except (KeyError, TypeError, ValueError):
        raise SealError("the encrypted bundle's header is damaged") from None
    try:
        return zlib.decompress(packed)
    except zlib.error:
        raise SealError("the encrypted bundle is damaged") from None
