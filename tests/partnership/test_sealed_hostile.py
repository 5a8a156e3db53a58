"""Encrypted bundles made by someone else: a header is read before anything in it can be
authenticated, so what it says is checked against what appreciate writes before a key is derived;
a file that would open to more than appreciate ever exports is refused before memory fills. Each is
one line naming the file, fast, with nothing imported."""

from __future__ import annotations

import base64
import json
import os
import struct
import time
import tracemalloc
import zlib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from appreciate_tui.cli import main
from appreciate_tui.exchange import sealed
PASSPHRASE = "correct horse battery"
QUICK = {"kdf": "scrypt", "n": 2**10, "r": 8, "p": 1}
GIB = 2**30


def header(**changes: Any) -> dict[str, Any]:
    """The header appreciate writes with the shipped Argon2id, with `changes` (None removes)."""
    fields = {
        "v": sealed.VERSION,
        "cipher": "AES-256-GCM",
        "compression": "zlib",
        **sealed.ARGON2ID,
        "salt": base64.b64encode(os.urandom(sealed.SALT_BYTES)).decode(),
        "nonce": base64.b64encode(os.urandom(sealed.NONCE_BYTES)).decode(),
    }
    fields.update(changes)
    return {key: value for key, value in fields.items() if value is not None}


def forged(fields: Any, body: bytes = bytes(64)) -> bytes:
    encoded = fields if isinstance(fields, bytes) else json.dumps(fields).encode()
    return sealed.MAGIC + struct.pack(">H", len(encoded)) + encoded + body


def sealed_as_appreciate_would(packed: bytes, passphrase: str = PASSPHRASE) -> bytes:
    """A genuine file (the right passphrase opens it) holding `packed` as its compressed bundle:
    what someone who knows the passphrase could make."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    salt, nonce = os.urandom(sealed.SALT_BYTES), os.urandom(sealed.NONCE_BYTES)
    fields = {"v": 1, "cipher": "AES-256-GCM", "compression": "zlib", **QUICK,
              "salt": base64.b64encode(salt).decode(), "nonce": base64.b64encode(nonce).decode()}
    encoded = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    preamble = sealed.MAGIC + struct.pack(">H", len(encoded)) + encoded
    key = Scrypt(salt=salt, length=32, n=QUICK["n"], r=QUICK["r"], p=QUICK["p"]).derive(
        passphrase.encode())
    return preamble + AESGCM(key).encrypt(nonce, packed, preamble)


def inflating_to(size: int) -> bytes:
    """A valid zlib stream of `size` zero bytes (a whole number of MiB) in about size/1000 bytes.
    Each MiB is compressed after a full flush, so its block is the same every time and is written
    once and repeated; the checksum at the end is the real one."""
    chunk = bytes(2**20)
    deflate = zlib.compressobj(9)
    first = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    repeated = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.flush()[:-4]
    checksum = 1
    for _ in range(size // len(chunk)):
        checksum = zlib.adler32(chunk, checksum)
    return first + repeated * (size // len(chunk) - 1) + end + checksum.to_bytes(4, "big")


@pytest.fixture
def no_key_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deriving a key from these files' headers is exactly what must not happen."""
    import cryptography.hazmat.primitives.kdf.argon2 as argon2
    import cryptography.hazmat.primitives.kdf.scrypt as scrypt

    def derived(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a key was derived from an unchecked header")

    monkeypatch.setattr(argon2, "Argon2id", derived)
    monkeypatch.setattr(scrypt, "Scrypt", derived)


def import_file(path: Path, db: Path, passphrase: str = PASSPHRASE) -> Any:
    read, write = os.pipe()
    os.write(write, passphrase.encode() + b"\n")
    os.close(write)
    try:
        return CliRunner().invoke(
            main, ["--db", str(db), "import", "--passphrase-fd", str(read), str(path)],
            catch_exceptions=False,
        )
    finally:
        try:
            os.close(read)
        except OSError:
            pass


def assert_refused_in_one_line(result: Any, path: Path) -> str:
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(path) in result.stderr and "nothing was imported" in result.stderr
    return result.stderr


def test_the_inflating_helper_makes_a_real_stream() -> None:
    assert zlib.decompress(inflating_to(3 * 2**20)) == bytes(3 * 2**20)


# ---------------------------------------------------------------- the cost of deriving a key


def test_150_passes_are_refused_at_once_without_deriving_a_key(
    tmp_path: Path, no_key_derivation
) -> None:
    path = tmp_path / "slow.json.enc"
    path.write_bytes(forged(header(iterations=150)))
    started = time.perf_counter()
    with pytest.raises(sealed.SealError, match="not made by appreciate"):
        sealed.unseal(path.read_bytes(), "a wrong passphrase")
    result = import_file(path, tmp_path / "p.db", "a wrong passphrase")
    assert time.perf_counter() - started < 1.0
    assert_refused_in_one_line(result, path)


def test_four_gibibytes_of_memory_is_one_line_not_a_memory_error(
    tmp_path: Path, no_key_derivation
) -> None:
    path = tmp_path / "greedy.json.enc"
    path.write_bytes(forged(header(memory_kib=2**22)))
    line = assert_refused_in_one_line(import_file(path, tmp_path / "p.db"), path)
    assert "MemoryError" not in line


@pytest.mark.parametrize("changes", [
    pytest.param({"iterations": 0}, id="no-passes"),
    pytest.param({"iterations": "3"}, id="passes-as-text"),
    pytest.param({"iterations": 3.0}, id="passes-as-float"),
    pytest.param({"iterations": True}, id="passes-as-flag"),
    pytest.param({"lanes": 0}, id="no-lanes"),
    pytest.param({"lanes": 2**24}, id="many-lanes"),
    pytest.param({"memory_kib": 16, "lanes": 4}, id="less-memory-than-lanes-need"),
    pytest.param({"memory_kib": -1}, id="negative-memory"),
    pytest.param({"memory_kib": None}, id="memory-missing"),
    pytest.param({"kdf": "pbkdf2"}, id="unknown-kdf"),
    pytest.param({"kdf": None}, id="kdf-missing"),
    pytest.param({"kdf": "scrypt", "n": 2**30, "r": 8, "p": 1, "iterations": None, "lanes": None,
                  "memory_kib": None}, id="scrypt-a-gibibyte"),
    pytest.param({"kdf": "scrypt", "n": 1000, "r": 8, "p": 1, "iterations": None, "lanes": None,
                  "memory_kib": None}, id="scrypt-n-not-a-power-of-two"),
    pytest.param({"kdf": "scrypt", "n": 2**14, "r": 8, "p": 64, "iterations": None,
                  "lanes": None, "memory_kib": None}, id="scrypt-64-times"),
    pytest.param({"kdf": "scrypt", "n": 2**14, "r": 8, "p": 1}, id="scrypt-with-argon2-fields"),
    pytest.param({"salt": ""}, id="empty-salt"),
    pytest.param({"salt": base64.b64encode(bytes(3000)).decode()}, id="huge-salt"),
    pytest.param({"salt": "not base64!"}, id="salt-not-base64"),
    pytest.param({"nonce": base64.b64encode(bytes(8)).decode()}, id="short-nonce"),
    pytest.param({"cipher": "ChaCha20"}, id="other-cipher"),
    pytest.param({"compression": "bz2"}, id="other-compression"),
    pytest.param({"compression": None}, id="compression-missing"),
    pytest.param({"v": 0}, id="version-0"),
    pytest.param({"v": "1"}, id="version-as-text"),
    pytest.param({"shell": "rm -rf /"}, id="an-extra-field"),
])
def test_a_header_lying_about_any_field_is_refused_before_a_key_is_derived(
    changes: dict[str, Any], no_key_derivation
) -> None:
    started = time.perf_counter()
    with pytest.raises(sealed.SealError) as refused:
        sealed.unseal(forged(header(**changes)), PASSPHRASE)
    assert time.perf_counter() - started < 0.5
    message = str(refused.value)
    for value in changes.values():  # what the file says is never repeated
        if isinstance(value, str) and len(value) > 3:
            assert value not in message


@pytest.mark.parametrize("raw", [
    pytest.param(b"[" * 3000 + b"]" * 3000, id="deeply-nested"),
    pytest.param(b'["a", "list"]', id="a-list"),
    pytest.param("{\"v\": 1, \"kdf\": \"\u00e9\"}".encode(), id="not-ascii"),
    pytest.param(b"", id="empty"),
])
def test_a_header_that_is_not_an_object_is_refused(raw: bytes, no_key_derivation) -> None:
    with pytest.raises(sealed.SealError):
        sealed.unseal(forged(raw), PASSPHRASE)


def test_a_newer_version_still_says_to_update(no_key_derivation) -> None:
    with pytest.raises(sealed.SealError, match="newer appreciate"):
        sealed.unseal(forged(header(v=2)), PASSPHRASE)


def test_appreciate_refuses_to_write_what_it_would_not_read() -> None:
    with pytest.raises(sealed.SealError):
        sealed.seal(b"bundle", PASSPHRASE, kdf={**sealed.ARGON2ID, "iterations": 150})


def test_what_appreciate_writes_still_opens() -> None:
    assert sealed.unseal(sealed.seal(b"bundle", PASSPHRASE), PASSPHRASE) == b"bundle"
    assert sealed.unseal(sealed.seal(b"bundle", PASSPHRASE, kdf=QUICK), PASSPHRASE) == b"bundle"
    assert sealed.unseal(sealed.seal(b"bundle", PASSPHRASE, kdf=sealed.SCRYPT), PASSPHRASE) == (
        b"bundle")


# ---------------------------------------------------------------- what it opens to


def test_a_file_opening_to_a_gibibyte_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    bomb = sealed_as_appreciate_would(inflating_to(GIB))
    assert len(bomb) < 2 * 2**20  # a small file to send
    tracemalloc.start()
    try:
        with pytest.raises(sealed.SealError, match="larger than"):
            sealed.unseal(bomb, PASSPHRASE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < sealed.MAX_BUNDLE + 16 * 2**20
    path = tmp_path / "bomb.json.enc"
    path.write_bytes(bomb)
    line = assert_refused_in_one_line(import_file(path, tmp_path / "p.db"), path)
    assert f"{sealed.MAX_BUNDLE // 2**20} MiB" in line


def test_a_file_at_the_limit_still_opens() -> None:
    packed = inflating_to(sealed.MAX_BUNDLE)
    assert len(sealed.unseal(sealed_as_appreciate_would(packed), PASSPHRASE)) == sealed.MAX_BUNDLE


@pytest.mark.parametrize("packed", [
    pytest.param(zlib.compress(b"bundle")[:-3], id="cut-short"),
    pytest.param(zlib.compress(b"bundle") + b"more", id="something-after"),
    pytest.param(b"not zlib at all", id="not-zlib"),
])
def test_a_genuine_file_whose_contents_are_damaged_is_one_error(packed: bytes) -> None:
    with pytest.raises(sealed.SealError, match="damaged"):
        sealed.unseal(sealed_as_appreciate_would(packed), PASSPHRASE)


def test_a_file_too_large_to_hold_a_bundle_is_not_read(tmp_path: Path, no_key_derivation) -> None:
    path = tmp_path / "huge.json.enc"
    with path.open("wb") as file:
        file.write(forged(header(), b""))
        file.truncate(sealed.MAX_BUNDLE * 2)  # sparse: costs no disk
    line = assert_refused_in_one_line(import_file(path, tmp_path / "p.db"), path)
    assert "MiB" in line


def test_a_damaged_header_asks_for_no_passphrase(tmp_path: Path, no_key_derivation) -> None:
    path = tmp_path / "forged.json.enc"
    path.write_bytes(forged(header(iterations=150)))
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "p.db"), "import", str(path)],
                                input="", catch_exceptions=False)
    assert "Passphrase" not in result.stderr
    assert_refused_in_one_line(result, path)
