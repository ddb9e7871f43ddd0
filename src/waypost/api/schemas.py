"""What the API sends and accepts. Times are ISO 8601 in UTC."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from waypost.program.models import Enrollment


class StageOut(Schema):
    """One of the program's four stages."""

    number: int = Field(..., ge=1, le=4, description="1 to 4")
    label: str = Field(..., description="The stage's name, in the caller's language")


def stage_of(enrollment: Enrollment) -> dict[str, Any]:
    return {"number": enrollment.stage, "label": str(enrollment.stage_label)}


class ClinicOut(Schema):
    id: int
    name: str
    slug: str
    time_zone: str = Field(..., description="IANA time zone, e.g. Asia/Singapore")


class PersonOut(Schema):
    """Just the name of another person."""

    name: str


class ClientOut(Schema):
    id: int
    name: str


class MeOut(Schema):
    """The person calling the API."""

    id: int
    name: str
    email: str
    roles: list[str] = Field(
        ...,
        description="Any of: client, clinician, clinic_admin, ally (one person may hold several)",
    )
    time_zone: str = Field(
        ...,
        description="The time zone the person's days and times are shown in: their own "
        "choice, else their clinic's, else UTC",
    )
    language: str = Field(..., description="Their chosen language code, or empty for the clinic's")


class MeUpdateIn(Schema):
    """Fields of one's own account that may be changed; leave out what stays the same."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=150)
    time_zone: str | None = Field(None, description="IANA time zone, or empty for the clinic's")
    language: str | None = Field(None, description="Language code, or empty for the clinic's")


class StageStepOut(Schema):
    """One move between stages (the first has no ``from_stage``: joining the program)."""

    from_stage: int | None
    to_stage: int
    at: datetime


class OwnEnrollmentOut(Schema):
    """The client's own place in the program."""

    id: int
    clinic: ClinicOut
    stage: StageOut
    stage_entered_at: datetime
    primary_clinician: PersonOut
    stage_history: list[StageStepOut] = Field(..., description="Oldest first")

    @staticmethod
    def resolve_stage(obj: Enrollment) -> dict[str, Any]:
        return stage_of(obj)

    @staticmethod
    def resolve_primary_clinician(obj: Enrollment) -> dict[str, Any]:
        return {"name": obj.primary_clinician.user.name}

    @staticmethod
    def resolve_stage_history(obj: Enrollment) -> list[dict[str, Any]]:
        # values() never loads the reason: those are the clinician's notes, not the client's.
        steps = obj.stage_changes.order_by("created_at", "id").values(
            "from_stage", "to_stage", "created_at"
        )
        return [
            {"from_stage": s["from_stage"], "to_stage": s["to_stage"], "at": s["created_at"]}
            for s in steps
        ]


class CaseloadEntryOut(Schema):
    """One client on a clinician's caseload."""

    id: int
    client: ClientOut
    clinic: ClinicOut
    stage: StageOut
    stage_entered_at: datetime

    @staticmethod
    def resolve_stage(obj: Enrollment) -> dict[str, Any]:
        return stage_of(obj)


class StageChangeOut(Schema):
    """A stage change as the client's clinician sees it, with its reason."""

    from_stage: int | None
    to_stage: int
    at: datetime
    changed_by: PersonOut
    reason: str


class EnrollmentRecordOut(Schema):
    """A client's enrollment as their primary clinician sees it."""

    id: int
    status: str = Field(..., description="active, graduated or ended")
    client: ClientOut
    clinic: ClinicOut
    stage: StageOut
    stage_entered_at: datetime
    created_at: datetime
    primary_clinician: PersonOut
    stage_history: list[StageChangeOut] = Field(..., description="Newest first")

    @staticmethod
    def resolve_stage(obj: Enrollment) -> dict[str, Any]:
        return stage_of(obj)

    @staticmethod
    def resolve_primary_clinician(obj: Enrollment) -> dict[str, Any]:
        return {"name": obj.primary_clinician.user.name}

    @staticmethod
    def resolve_stage_history(obj: Enrollment) -> list[dict[str, Any]]:
        return [
            {
                "from_stage": change.from_stage,
                "to_stage": change.to_stage,
                "at": change.created_at,
                "changed_by": {"name": change.changed_by.name},
                "reason": change.reason,
            }
            for change in obj.stage_changes.select_related("changed_by")
        ]


# --- allies: what the people they support share with them -------------------------------


class SharedScopeOut(Schema):
    """One thing a client shares with the ally."""

    key: str = Field(
        ..., description="The consent scope's stable key: journey, care_team, streak, …"
    )
    label: str = Field(..., description="Its name, in the caller's language")


class AllyLinkOut(Schema):
    """One person the ally supports, and what they share at this moment."""

    id: int
    client: PersonOut
    relationship: str = Field(..., description="How the client described the ally, in words")
    since: datetime
    scopes: list[SharedScopeOut] = Field(
        ..., description="What the client shares now, in reading order; may be empty"
    )


class SharedScopeDataOut(SharedScopeOut):
    """One consented scope with its data."""

    data: dict[str, Any] | None = Field(
        ...,
        description="What the scope shows, as the scope defines it (dates as ISO 8601); "
        "null for a scope that has no API view yet",
    )


class AllySharedOut(Schema):
    """What one client shares with the ally: only the scopes consented to right now."""

    link: int
    client: PersonOut
    scopes: list[SharedScopeDataOut]
