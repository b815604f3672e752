"""Random tokens for links and sessions; only their hashes are ever stored."""

import hashlib
import secrets

TOKEN_BYTES = 32


def new_token() -> str:
    """A URL-safe token with 256 bits of randomness."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    # A plain SHA-256 is enough: the token is random and long, so there is
    # nothing to brute-force, unlike a password.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
