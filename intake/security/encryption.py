"""Answers encrypted at rest with AES-GCM, under keys kept apart from the database.

Keys live as files in ``instance/keys/`` (one per key id, base64), and
``current`` names the key new data is written with. Older keys stay readable
until ``intake keys rotate`` has re-encrypted everything under the new one.

Each ciphertext names its key and is bound to a context (for example the
process it belongs to), so it cannot be moved to another process's row and
still decrypt.

A running service follows ``intake keys rotate`` without a restart: every seal
first compares the folder's and ``current``'s change times with those it was
loaded at (two ``stat`` calls) and reloads when they differ, so nothing is
sealed with a key that is no longer current; and a value naming a key the
worker has not loaded yet makes it read the folder again. Opening a value does
not look at the folder otherwise: a report opens thousands, and a key retired
meanwhile was only ever retired once nothing was sealed with it.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app

from intake.extensions import this_app
from intake.security.private_files import write_private

FORMAT = b"i1"
KEY_ID_LENGTH = 8
NONCE_LENGTH = 12


class KeyringError(RuntimeError):
    """The keys are missing or do not fit the data; the message says what to do."""


def folder_state(directory: Path) -> tuple[int, ...]:
    """What changes when a key is added, removed or made current: two cheap ``stat`` calls."""
    state: list[int] = []
    for path in (directory, directory / "current"):
        try:
            found = os.stat(path)
        except FileNotFoundError:
            state += [0, 0]
        else:
            state += [found.st_mtime_ns, found.st_ino]
    return tuple(state)


@dataclass
class Keyring:
    directory: Path
    keys: dict[str, bytes] = field(default_factory=dict)
    current: str | None = None
    loaded_state: tuple[int, ...] = ()
    # One cipher per key, made once: making it costs about as much as opening a short value.
    ciphers: dict[bytes, AESGCM] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, directory: Path) -> Keyring:
        # Taken before reading, so a change made while reading shows as a change next time.
        ring = cls(directory, loaded_state=folder_state(directory))
        if not directory.is_dir():
            return ring
        for path in directory.glob("*.key"):
            ring.keys[path.stem] = base64.b64decode(path.read_text().strip())
        current = directory / "current"
        if current.exists():
            ring.current = current.read_text().strip()
        return ring

    def is_stale(self) -> bool:
        return folder_state(self.directory) != self.loaded_state

    def reload(self) -> None:
        fresh = Keyring.load(self.directory)
        self.keys, self.current, self.loaded_state = fresh.keys, fresh.current, fresh.loaded_state
        self.ciphers = {}

    def _cipher(self, key: bytes) -> AESGCM:
        cipher = self.ciphers.get(key)
        if cipher is None:
            cipher = self.ciphers[key] = AESGCM(key)
        return cipher

    def new_key(self) -> str:
        """Create a key, write it with owner-only permissions, and make it current."""
        key_id = self.add_key()
        self._set_current(key_id)
        return key_id

    def use(self, key_id: str) -> None:
        """Make a key already in the folder current (one copied from another server)."""
        if key_id not in self.keys:
            raise KeyringError(f"There is no key {key_id} in {self.directory}.")
        self._set_current(key_id)

    def add_key(self) -> str:
        """Create a key beside the others without making it current: to copy it to every
        server before any of them seals with it."""
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        key_id = secrets.token_hex(KEY_ID_LENGTH // 2)
        key = AESGCM.generate_key(bit_length=256)
        path = self.directory / f"{key_id}.key"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.b64encode(key).decode())
        self.keys[key_id] = key
        return key_id

    def _set_current(self, key_id: str) -> None:
        tmp = self.directory / "current.tmp"
        write_private(tmp, key_id.encode())
        tmp.replace(self.directory / "current")
        self.current = key_id

    def retire(self, key_id: str) -> None:
        if key_id == self.current:
            raise KeyringError("The current key cannot be retired.")
        (self.directory / f"{key_id}.key").unlink()
        key = self.keys.pop(key_id, None)
        if key is not None:
            self.ciphers.pop(key, None)

    def put_back(self, key_id: str, key: bytes) -> None:
        """Write a key retired a moment ago again, because a value sealed with it appeared."""
        write_private(self.directory / f"{key_id}.key", base64.b64encode(key))
        self.keys[key_id] = key

    def encrypt(self, plaintext: bytes, context: str) -> bytes:
        # Checked at the moment of sealing, so a key another process retired is never used.
        if self.is_stale():
            self.reload()
        if not self.current or self.current not in self.keys:
            raise KeyringError(
                f"No encryption key in {self.directory}: run `intake keys init` (make run does)."
            )
        nonce = secrets.token_bytes(NONCE_LENGTH)
        sealed = self._cipher(self.keys[self.current]).encrypt(nonce, plaintext, context.encode())
        return FORMAT + self.current.encode() + nonce + sealed

    def decrypt(self, blob: bytes, context: str) -> bytes:
        if not blob.startswith(FORMAT):
            raise KeyringError("Unknown ciphertext format.")
        head = len(FORMAT)
        key_id = blob[head : head + KEY_ID_LENGTH].decode()
        nonce = blob[head + KEY_ID_LENGTH : head + KEY_ID_LENGTH + NONCE_LENGTH]
        sealed = blob[head + KEY_ID_LENGTH + NONCE_LENGTH :]
        key = self.keys.get(key_id)
        if key is None:
            # Made by another process (a rotation) after this one loaded its keys.
            self.reload()
            key = self.keys.get(key_id)
        if key is None:
            raise KeyringError(f"Key {key_id} is missing from {self.directory}: restore it.")
        try:
            return self._cipher(key).decrypt(nonce, sealed, context.encode())
        except InvalidTag as exc:
            raise KeyringError("Stored data does not match its key or its place.") from exc

    @staticmethod
    def key_id_of(blob: bytes) -> str:
        return blob[len(FORMAT) : len(FORMAT) + KEY_ID_LENGTH].decode()


def keys_directory() -> Path:
    configured = current_app.config.get("ANSWER_KEYS_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "keys"


def _loaded() -> Keyring:
    """The app's keyring as loaded, without looking at its folder: enough to open a value
    (a key not loaded yet is read when a value names it) or to seal one (sealing looks
    at the folder itself)."""
    # The app looked up once: a page opens hundreds of values, and each look through
    # ``current_app`` costs about as much as opening one.
    app = this_app()
    extensions = app.extensions
    ring: Keyring | None = extensions.get("intake.keyring")
    # Compared as configured, not as a path: building paths for every value opened
    # cost more than opening it.
    where = (app.config.get("ANSWER_KEYS_DIR"), app.instance_path)
    if ring is None or extensions.get("intake.keyring.from") != where:
        ring = Keyring.load(keys_directory())
        extensions["intake.keyring"] = ring
        extensions["intake.keyring.from"] = where
    return ring


def keyring() -> Keyring:
    """The app's keyring, loaded once per process and again whenever its folder changes."""
    ring = _loaded()
    if ring.is_stale():
        ring.reload()
    return ring


def seal_json(value: Any, context: str) -> bytes:
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    return _loaded().encrypt(data, context)


def open_json(blob: bytes, context: str) -> Any:
    return json.loads(_loaded().decrypt(blob, context))


def seal_text(value: str, context: str) -> bytes:
    return _loaded().encrypt(value.encode(), context)


def open_text(blob: bytes, context: str) -> str:
    return _loaded().decrypt(blob, context).decode()
