"""Re-encrypt every encrypted field under the newest key.

Rotation: put a new key FIRST in WAYPOST_ENCRYPTION_KEYS (or the key file),
keep the old ones after it, run ``waypost manage rotate_keys``, then remove
the old keys. Runs in batches; safe to run again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from waypost.core import crypto
from waypost.core.fields import encrypted_fields

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = "Re-encrypt all sensitive text with the newest encryption key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        total = 0
        for model in apps.get_models():
            fields = encrypted_fields(model)
            if not fields:
                continue
            # Concrete fields always have a column; only relations without one have None.
            assert model._meta.pk.column is not None
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            for field in fields:
                assert field.column is not None
                column = connection.ops.quote_name(field.column)
                total += self._rotate_column(table, pk, column, batch_size)
        self.stdout.write(f"re-encrypted {total} values")

    def _rotate_column(self, table: str, pk: str, column: str, batch_size: int) -> int:
        # Raw SQL: the model layer would decrypt on read, and append-only
        # models refuse updates — rotation changes ciphertext, never content.
        done = 0
        last: int | str | None = None
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                where = f"{column} <> ''" + (f" AND {pk} > %s" if last is not None else "")
                params = [last] if last is not None else []
                cursor.execute(
                    f"SELECT {pk}, {column} FROM {table} WHERE {where} ORDER BY {pk} LIMIT %s",  # noqa: S608
                    [*params, batch_size],
                )
                rows = cursor.fetchall()
                for row_pk, stored in rows:
                    if stored:
                        cursor.execute(
                            f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                            [crypto.rotate(stored), row_pk],
                        )
                        done += 1
            if len(rows) < batch_size:
                return done
            last = rows[-1][0]
