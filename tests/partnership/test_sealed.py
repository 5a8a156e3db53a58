"""Encrypted bundles: round trip through the command line, a wrong passphrase and a changed byte
are refused with nothing written, the file is private and holds no plaintext."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui.cli import main
from appreciate_tui.exchange import sealed
from appreciate_tui.store import Store
from tests.helpers.private import assert_private_file

MARKER = "ZEBRA-CROSSING-7731"
PASSPHRASE = "correct horse battery"
# Fast key derivation for the tests that do not check the shipped parameters.
QUICK = {"kdf": "scrypt", "n": 2**10, "r": 8, "p": 1}


@pytest.fixture
def laptop(tmp_path: Path) -> tuple[Path, str]:
    db = tmp_path / "anna.db"
    with Store.open(db) as store:
        conversation = store.create_conversation(f"About {MARKER}", "What works?")
        question = store.add_question(conversation.id, "When did it go well?", "discover")
        store.add_note(conversation.id, question.id, f"The chair said {MARKER}", "strength")
    return db, conversation.id


def _fd(text: str) -> int:
    read, write = os.pipe()
    os.write(write, text.encode("utf-8"))
    os.close(write)
    return read


def _export(db: Path, cid: str, out: Path, passphrase: str = PASSPHRASE, **kwargs) -> object:
    fd = _fd(passphrase + "\n")
    try:
        return CliRunner().invoke(
            main,
            ["--db", str(db), "export", cid, "--format", "json", "--encrypt",
             "--passphrase-fd", str(fd), "-o", str(out)],
            **kwargs,
        )
    finally:
        os.close(fd)


def _import(db: Path, path: Path, passphrase: str) -> object:
    fd = _fd(passphrase + "\n")
    try:
        return CliRunner().invoke(
            main, ["--db", str(db), "import", "--passphrase-fd", str(fd), str(path)]
        )
    finally:
        os.close(fd)


def test_round_trip_private_and_without_plaintext(laptop, tmp_path: Path) -> None:
    db, cid = laptop
    out = tmp_path / "bundle.json.enc"
    result = _export(db, cid, out)
    assert result.exit_code == 0, result.output + result.stderr
    data = out.read_bytes()
    assert_private_file(out)
    assert data.startswith(sealed.MAGIC)
    for plain in (MARKER, "appreciate-conversation", "When did it go well"):
        assert plain.encode() not in data
    assert b'"kdf":"argon2id"' in data  # the shipped key derivation, in the authenticated header
    with Store.open(db, read_only=True) as store:
        assert [s["format"] for s in store.db.query("SELECT format FROM shares")] == [
            "json-encrypted"]

    other = tmp_path / "partnership.db"
    result = _import(other, out, PASSPHRASE)
    assert result.exit_code == 0, result.output + result.stderr
    assert "added 3 rows (1 conversation, 1 question, 1 note)" in result.output
    with Store.open(other, read_only=True) as store:
        assert store.list_notes(cid)[0].body == f"The chair said {MARKER}"


def test_the_passphrase_is_asked_twice(laptop, tmp_path: Path) -> None:
    db, cid = laptop
    out = tmp_path / "asked.json.enc"
    runner = CliRunner()
    args = ["--db", str(db), "export", cid, "--format", "json", "--encrypt", "-o", str(out)]
    mismatched = runner.invoke(main, args, input=f"{PASSPHRASE}\nsomething else\n")
    assert mismatched.exit_code != 0 and not out.exists()
    asked = runner.invoke(main, args, input=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert asked.exit_code == 0, asked.output + asked.stderr
    assert "Repeat the passphrase" in asked.stderr
    imported = runner.invoke(main, ["--db", str(tmp_path / "p.db"), "import", str(out)],
                             input=f"{PASSPHRASE}\n")
    assert imported.exit_code == 0, imported.output + imported.stderr


def test_a_wrong_passphrase_writes_nothing(laptop, tmp_path: Path) -> None:
    db, cid = laptop
    out = tmp_path / "bundle.json.enc"
    assert _export(db, cid, out).exit_code == 0
    other = tmp_path / "partnership.db"
    result = _import(other, out, "not the passphrase")
    assert result.exit_code == 1
    assert "passphrase is wrong" in result.stderr and "nothing was imported" in result.stderr
    with Store.open(other, read_only=True) as store:
        assert store.list_conversations(include_deleted=True) == []


@pytest.mark.parametrize("where", ["header", "ciphertext", "tag"])
def test_a_changed_byte_is_refused(where: str, tmp_path: Path) -> None:
    data = bytearray(sealed.seal(b'{"a bundle": true}', PASSPHRASE, kdf=QUICK))
    index = {"header": len(sealed.MAGIC) + 10, "ciphertext": len(data) - 20, "tag": -1}[where]
    data[index] ^= 0x01
    with pytest.raises(sealed.SealError):
        sealed.unseal(bytes(data), PASSPHRASE)
    assert sealed.unseal(sealed.seal(b"fine", PASSPHRASE, kdf=QUICK), PASSPHRASE) == b"fine"


def test_the_header_is_authenticated() -> None:
    """A header change that alters neither the key nor how the rest is read is refused too."""
    data = sealed.seal(b"bundle", PASSPHRASE, kdf=QUICK)
    assert b'"compression":"zlib"' in data
    with pytest.raises(sealed.SealError, match="changed after it was encrypted"):
        sealed.unseal(data.replace(b'"compression":"zlib"', b'"compression":"ZLIB"'), PASSPHRASE)


def test_a_tampered_file_is_refused_by_import(laptop, tmp_path: Path) -> None:
    db, cid = laptop
    out = tmp_path / "bundle.json.enc"
    assert _export(db, cid, out).exit_code == 0
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x40
    out.write_bytes(bytes(data))
    result = _import(tmp_path / "p.db", out, PASSPHRASE)
    assert result.exit_code == 1 and "changed after it was encrypted" in result.stderr


def test_short_passphrases_future_formats_and_plain_files(laptop, tmp_path: Path) -> None:
    db, cid = laptop
    result = _export(db, cid, tmp_path / "x.enc", passphrase="short")
    assert result.exit_code == 1 and "at least 8 characters" in result.stderr
    assert not (tmp_path / "x.enc").exists()
    with pytest.raises(sealed.SealError, match="newer appreciate"):
        future = sealed.seal(b"x", PASSPHRASE, kdf=QUICK).replace(b'"v":1', b'"v":9')
        sealed.unseal(future, PASSPHRASE)
    with pytest.raises(sealed.SealError, match="not an encrypted"):
        sealed.unseal(b'{"format": "appreciate-conversation"}', PASSPHRASE)
    refused = CliRunner().invoke(main, ["--db", str(db), "export", cid, "--format", "md",
                                        "--encrypt"])
    assert refused.exit_code == 1 and "--encrypt goes with --format json" in refused.stderr
