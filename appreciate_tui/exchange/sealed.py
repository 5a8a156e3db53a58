"""Encrypted bundles: a conversation that leaves the laptop readable only with a passphrase
(shared research, reliability.md section 3.3).

The file is `MAGIC`, a two-byte header length, a JSON header (format version, key derivation and
its parameters, a random salt, a random nonce), then the bundle, compressed and encrypted with
AES-256-GCM. The key comes from the passphrase through Argon2id (scrypt where this system's
`cryptography` has no Argon2id), with the salt, so the same passphrase never gives the same key
twice. The magic and header are authenticated as associated data: changing any byte of the file,
header included, or using another passphrase, makes decryption fail (`WrongPassphrase`) and nothing
is read from it.

The header has to be read before it can be authenticated: the key it leads to is what
authenticates it. So whoever made the file chooses what is read first, and nothing in the header
is used until it has been checked against what appreciate writes: the fields it has, their types,
and a key derivation costing at most a few times the shipped one (`KDF_LIMITS`). A file that
would open to more than `MAX_BUNDLE` bytes, or is too large to hold that much, is refused rather
than read into memory. A refusal (`SealError`) costs no key derivation and needs no passphrase.

`cryptography` is imported only when a bundle is sealed or opened.
"""

from __future__ import annotations

import base64
import json
import os
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
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
# The parameters a header may give each key derivation, and the range each is accepted in: the
# shipped costs (above) with room for about twice their time and memory, so a forged header can
# make a guess cost at most 128 MiB and 0.7 s (the shipped Argon2id: 64 MiB, 0.2 s). Cheaper
# settings are accepted: they weaken only the file that uses them.
KDF_LIMITS: dict[str, dict[str, tuple[int, int]]] = {
    "argon2id": {"iterations": (1, 6), "lanes": (1, 8), "memory_kib": (8, 131072)},
    "scrypt": {"n": (2, 2**17), "r": (1, 8), "p": (1, 2)},
}
MAX_BUNDLE = 64 * 2**20
"""The most an encrypted bundle may open to: 64 MiB. A conversation of 5,000 notes of 1,000
characters each makes a bundle of 8 MiB; the demo's makes 43 KiB."""
# zlib adds at most 5 bytes per 16 KiB that does not compress, plus its frame; GCM a 16-byte tag.
_MAX_BODY = MAX_BUNDLE + MAX_BUNDLE // 1000 + 1024
_MAX_HEADER = 4096
_FIELDS = {"v", "cipher", "compression", "kdf", "salt", "nonce"}


class SealError(Exception):
    """A sealed bundle that cannot be opened; the message says why and what to do."""


class WrongPassphrase(SealError):
    """The passphrase does not open the file (or the file was changed): another may."""


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise SealError(f"a passphrase needs at least {MIN_PASSPHRASE} characters")


def _checked_kdf(fields: dict[str, Any]) -> dict[str, Any]:
    """The key derivation and its parameters, if they are ones appreciate accepts."""
    kdf = fields.get("kdf")
    limits = KDF_LIMITS.get(kdf) if isinstance(kdf, str) else None
    if limits is None:
        raise _refused("names a key derivation appreciate does not use")
    params: dict[str, Any] = {name: fields.get(name) for name in limits}
    if (
        any(type(params[name]) is not int or not low <= params[name] <= high
            for name, (low, high) in limits.items())
        or (kdf == "argon2id" and params["memory_kib"] < 8 * params["lanes"])
        or (kdf == "scrypt" and params["n"] & (params["n"] - 1))
    ):
        raise _refused("sets its key derivation outside appreciate's limits")
    return {"kdf": kdf, **params}


def _refused(why: str) -> SealError:
    return SealError(
        f"the encrypted bundle's header {why}, so it was changed after it was encrypted or not "
        "made by appreciate; ask the sender for a new copy"
    )


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
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=params["n"], r=params["r"], p=params["p"]).derive(secret)


def _default_kdf() -> dict[str, Any]:
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id  # noqa: F401
    except ImportError:  # an older cryptography, or one built without Argon2id
        return dict(SCRYPT)
    return dict(ARGON2ID)


def seal(plain: bytes, passphrase: str, *, kdf: dict[str, Any] | None = None) -> bytes:
    """Encrypt `plain` (a bundle) with a key derived from `passphrase`."""
    check_passphrase(passphrase)
    if len(plain) > MAX_BUNDLE:
        raise SealError(
            f"the bundle is larger than {MAX_BUNDLE // 2**20} MiB, the most appreciate opens"
        )
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    params = _checked_kdf(dict(kdf or _default_kdf()))  # never write what would not be read
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


@dataclass(frozen=True)
class Envelope:
    """A sealed file whose header has been checked, not yet authenticated (that needs the key)."""

    preamble: bytes = field(repr=False)
    kdf: dict[str, Any]
    salt: bytes = field(repr=False)
    nonce: bytes = field(repr=False)
    body: bytes = field(repr=False)

    def open(self, passphrase: str) -> bytes:
        """The bundle inside; `WrongPassphrase` if `passphrase` does not open it."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        try:
            packed = AESGCM(_derive(passphrase, self.kdf, self.salt)).decrypt(
                self.nonce, self.body, self.preamble
            )
        except InvalidTag:
            raise WrongPassphrase(
                "the passphrase is wrong, or the file was changed after it was encrypted"
            ) from None
        return _inflate(packed)


def _inflate(packed: bytes) -> bytes:
    """Decompress a MiB at a time, refusing as soon as the bundle passes MAX_BUNDLE bytes: a file
    that would open to far more costs no more memory than the largest bundle accepted."""
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    size = 0
    rest = packed
    try:
        while True:
            part = inflater.decompress(rest, 2**20)
            size += len(part)
            if size > MAX_BUNDLE:
                raise SealError(
                    f"the encrypted bundle would open to larger than {MAX_BUNDLE // 2**20} MiB, "
                    "more than any conversation appreciate exports; it was not opened"
                )
            parts.append(part)
            rest = inflater.unconsumed_tail
            if inflater.eof or not (rest or part):
                break
    except zlib.error:
        raise SealError("the encrypted bundle is damaged") from None
    if not inflater.eof or inflater.unused_data:
        raise SealError("the encrypted bundle is damaged")
    return b"".join(parts)


def envelope(data: bytes) -> Envelope:
    """The checked header and the encrypted rest of a sealed file; `SealError` for a file that is
    not one, or whose header says anything appreciate would not have written."""
    if not is_sealed(data):
        raise SealError("this is not an encrypted appreciate bundle")
    start = len(MAGIC)
    if len(data) < start + 2:
        raise SealError("the encrypted bundle is cut short")
    (length,) = struct.unpack(">H", data[start : start + 2])
    if length > _MAX_HEADER or len(data) < start + 2 + length + 16:
        raise SealError("the encrypted bundle is cut short or damaged")
    if len(data) - start - 2 - length > _MAX_BODY:
        raise _too_large()
    preamble = data[: start + 2 + length]
    try:
        fields = json.loads(preamble[start + 2 :].decode("ascii"))
    except (ValueError, RecursionError):
        raise _refused("cannot be read") from None
    if not isinstance(fields, dict):
        raise _refused("cannot be read")
    version = fields.get("v")
    if type(version) is int and version > VERSION:
        raise SealError(
            f"this encrypted bundle was written by a newer appreciate (format {version}); "
            "update appreciate to open it"
        )
    kdf = _checked_kdf(fields)
    if (
        version != VERSION
        or type(version) is not int
        or set(fields) != _FIELDS | set(kdf)
        or fields["cipher"] != "AES-256-GCM"
        or fields["compression"] != "zlib"
    ):
        raise _refused("has fields appreciate does not write")
    salt, nonce = _decoded(fields["salt"], SALT_BYTES), _decoded(fields["nonce"], NONCE_BYTES)
    return Envelope(preamble, kdf, salt, nonce, data[len(preamble) :])


def _decoded(value: Any, size: int) -> bytes:
    try:
        decoded = base64.b64decode(value, validate=True) if isinstance(value, str) else b""
    except ValueError:
        decoded = b""
    if len(decoded) != size:
        raise _refused("has fields appreciate does not write")
    return decoded


def _too_large() -> SealError:
    return SealError(
        f"the file is larger than an encrypted bundle of {MAX_BUNDLE // 2**20} MiB, the most "
        "appreciate opens; it was not read"
    )


def read(path: Path) -> Envelope:
    """A sealed file, checked as `envelope` does; one too large to hold a bundle is not read."""
    largest = len(MAGIC) + 2 + _MAX_HEADER + _MAX_BODY
    try:
        with path.open("rb") as file:
            if os.fstat(file.fileno()).st_size > largest:
                raise _too_large()
            data = file.read(largest + 1)  # a pipe has no size to ask for first
    except OSError as exc:
        raise SealError(exc.strerror or str(exc)) from None
    if len(data) > largest:
        raise _too_large()
    return envelope(data)


def unseal(data: bytes, passphrase: str) -> bytes:
    """The bundle inside a sealed file; `SealError` for a refused file, `WrongPassphrase` for a
    wrong passphrase or a changed file."""
    return envelope(data).open(passphrase)
