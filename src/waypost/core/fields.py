"""Model field types shared by every app."""

from __future__ import annotations

from django.db import models

from waypost.core import crypto


class EncryptedTextField(models.TextField):
    """Text that is encrypted before it reaches the database.

    Values are Fernet tokens prefixed with ``fernet:``; the database never sees
    the plain text, so it cannot be searched or ordered by. Rotate keys with
    ``waypost rotate-keys`` after putting a new key first in the key list.
    """

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "waypost.core.fields.EncryptedTextField", args, kwargs


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    return [f for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
