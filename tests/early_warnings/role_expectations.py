"""Who may use the early-warning URLs: the client notes their own nudge; clinic admins tune."""

from tests.roles import Route


def _warning(cast) -> dict:
    from django.utils import timezone

    from waypost.recovery.warnings.models import EarlyWarning

    now = timezone.now()
    warning = EarlyWarning.objects.create(
        enrollment=cast.enrollment,
        rule="recovery.check_ins_missed",
        numbers={"missed": 3},
        raised_at=now,
        updated_at=now,
    )
    return {"pk": warning.pk}


ROUTES = [
    Route(
        "early_warnings:note",
        frozenset({"client"}),
        kwargs=_warning,
        method="post",
        note="only the client whose nudge it is; anyone else's is a 404",
    ),
    Route(
        "early_warnings:clinic_settings",
        frozenset({"admin"}),
        kwargs=lambda cast: {"slug": cast.clinic.slug},
    ),
]
