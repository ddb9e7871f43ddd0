from tests.roles import EVERYONE, Route

ROUTES = [
    Route("clinics:directory", EVERYONE),
    Route("clinics:clinic", EVERYONE, kwargs=lambda cast: {"slug": cast.clinic.slug}),
    Route(
        "clinics:specialist",
        EVERYONE,
        kwargs=lambda cast: {"slug": cast.clinic.slug, "profile_id": cast.clinician_profile.pk},
    ),
    Route(
        "clinics:photo",
        EVERYONE,
        kwargs=lambda cast: {"slug": cast.clinic.slug, "profile_id": cast.clinician_profile.pk},
    ),
    Route("clinics:manage_index", frozenset({"admin"})),
]
