"""Typed readers for environment variables, and the data directory's key files.

No Django import: the command line uses these before Django is set up, and
``settings.py`` uses them to build every setting. A value that cannot be
parsed stops start-up with a message naming the variable — a half-understood
configuration is worse than none for health data.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class ConfigError(Exception):
    """A configuration value is missing or malformed."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """The variable's value, or the contents of the file named by ``NAME_FILE``."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{name}_FILE: cannot read {file_path}: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from exc


def env_rate(name: str, default: str) -> str:
    """A request rate such as "600/m": a whole number, a slash, and s, m, h or d."""
    raw = (os.environ.get(name) or "").strip() or default
    count, _, period = raw.partition("/")
    if not count.isdigit() or int(count) < 1 or period[:1] not in ("s", "m", "h", "d"):
        raise ConfigError(f"{name} must look like 600/m (per s, m, h or d), not {raw!r}")
    return raw


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [part.strip() for part in raw.split(",") if part.strip()]


def data_dir() -> Path:
    """Where the embedded database, keys, e-mails and task queue live."""
    return Path(os.environ.get("WAYPOST_DATA_DIR") or "var").resolve()


def keys_dir(data: Path | None = None) -> Path:
    """Where the secret key and encryption key files live: the data directory unless
    ``WAYPOST_KEYS_DIR`` names another, so a copy of the data need not carry its keys."""
    raw = os.environ.get("WAYPOST_KEYS_DIR")
    return Path(raw).resolve() if raw else (data or data_dir())


# Files Waypost makes are for its own user alone: folders 0700, files 0600.
PRIVATE_UMASK = 0o077


def setup_django() -> None:
    """Start Django for a command of the ``waypost`` program (not for the web server's import).

    The settings set a private umask for what is written from then on; this also closes
    what an older version, or a copy made with a looser umask, left open.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypost.settings")
    import django

    django.setup()
    from django.conf import settings

    for directory in {settings.DATA_DIR, settings.KEYS_DIR}:
        make_private(directory)


def make_private(directory: Path) -> None:
    """Close a folder Waypost owns and the files directly in it (its own user only).

    New files are private through the umask; this also closes what an earlier
    version, or a copy made with a looser umask, left open. Folders inside are
    closed as they are reached by their own code (mail, media, static).
    """
    if not directory.is_dir():
        return
    directory.chmod(0o700)
    for path in directory.iterdir():
        if path.is_symlink():
            continue
        path.chmod(0o700 if path.is_dir() else 0o600)


SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name
ENCRYPTION_KEYS_FILE = "encryption_keys"


def ensure_data_dir(path: Path) -> list[str]:
    """Create the data directory and its key files if missing; return what was created.

    Key files are written with mode 0600. Existing files are never replaced,
    so running this twice changes nothing.
    """
    created: list[str] = []
    if not path.exists():
        path.mkdir(parents=True, mode=0o700)
        created.append(str(path))
    for sub in ("mail", "media"):
        (path / sub).mkdir(mode=0o700, exist_ok=True)
    make_private(path)
    keys_path = keys_dir(path)
    if not keys_path.exists():
        keys_path.mkdir(parents=True, mode=0o700)
        created.append(str(keys_path))
    make_private(keys_path)
    secret = keys_path / SECRET_KEY_FILE
    if not secret.exists():
        _write_private(secret, secrets.token_urlsafe(50))
        created.append(str(secret))
    keys = keys_path / ENCRYPTION_KEYS_FILE
    if not keys.exists():
        from cryptography.fernet import Fernet  # (see read_encryption_keys)

        _write_private(keys, Fernet.generate_key().decode())
        created.append(str(keys))
    return created


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")


def read_secret_key(directory: Path) -> tuple[str, bool]:
    """The secret key and whether it is ephemeral (made up for this process only)."""
    value = env_str("WAYPOST_SECRET_KEY")
    if value:
        return value, False
    path = directory / SECRET_KEY_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip(), False
    return secrets.token_urlsafe(50), True


def read_encryption_keys(directory: Path) -> tuple[list[str], bool]:
    """Fernet keys, newest first, and whether they are ephemeral.

    ``WAYPOST_ENCRYPTION_KEYS`` holds comma-separated keys; otherwise the
    data directory's key file holds one key a line. The first key encrypts;
    all of them decrypt, which is what makes rotation possible.
    """
    # here, not at the top: `waypost shield` imports this module and needs no cryptography
    from cryptography.fernet import Fernet

    raw = env_str("WAYPOST_ENCRYPTION_KEYS")
    if raw:
        keys = [k.strip() for k in raw.replace("\n", ",").split(",") if k.strip()]
    else:
        path = directory / ENCRYPTION_KEYS_FILE
        if not path.exists():
            return [Fernet.generate_key().decode()], True
        keys = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        keys = [k for k in keys if k and not k.startswith("#")]
    for key in keys:
        try:
            Fernet(key)
        except (ValueError, TypeError) as exc:
            raise ConfigError("an encryption key is not a valid Fernet key") from exc
    if not keys:
        raise ConfigError("no encryption keys configured")
    return keys, False
