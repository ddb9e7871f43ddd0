"""Model field types shared by every app."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import models

from waypost.core import crypto

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.expressions import Combinable, Expression

    # Django's field classes take no type arguments at run time; the stubs need them.
    _TextField = models.TextField[str | Combinable, str]
else:
    _TextField = models.TextField


class EncryptedTextField(_TextField):
    """Text that is encrypted before it reaches the database.

    Values are Fernet tokens prefixed with ``fernet:``; the database never sees
    the plain text, so it cannot be searched or ordered by. Rotate keys with
    ``waypost rotate-keys`` after putting a new key first in the key list.
    """

    description = "Text encrypted at rest"

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: object) -> str | None:
        prepared: object = super().get_prep_value(value)
        if prepared is None:
            return None
        if prepared == "":
            return ""
        return crypto.encrypt(str(prepared))

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, _path, args, kwargs = super().deconstruct()
        return name, "waypost.core.fields.EncryptedTextField", args, kwargs


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    return [f for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
