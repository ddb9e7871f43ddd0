"""Domain errors: one base class, a stable code for programs and a kind message for people.

A service refuses a request by raising a :class:`DomainError` subclass. Views
show ``exc.message`` (on the form or as a message); the API answers
``{"code": exc.code, "message": exc.message}`` with ``exc.status``. The code never
changes once published; the message is plain, kind and translated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django import forms


class DomainError(Exception):
    """Something a person asked for that cannot be done, and why."""

    #: Stable, for programs; each subclass names its own.
    code: str = "refused"
    #: The HTTP status the API answers with.
    status: int = 400

    def __init__(self, message: str, *, code: str | None = None, field: str = "") -> None:
        super().__init__(message)
        self.message = str(message)
        if code is not None:
            self.code = str(code)
        #: The answer to change ("" for the request as a whole), so a form can show it there.
        self.field = field


def show_on_form(form: forms.BaseForm, error: DomainError) -> None:
    """A refusal on the form: beside the answer it names, else above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
