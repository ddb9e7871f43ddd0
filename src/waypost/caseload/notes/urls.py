from django.urls import URLPattern, URLResolver, path

from waypost.caseload.notes.views import homework, notes, timeline

app_name = "session_notes"
_NOTE = "clients/<int:enrollment_id>/notes/<int:note_id>"
urlpatterns: list[URLPattern | URLResolver] = [
    # the primary clinician's notes of the client's sessions
    path("clients/<int:enrollment_id>/notes/", notes.note_list, name="list"),
    path("clients/<int:enrollment_id>/notes/new/", notes.new_note, name="new"),
    path(f"{_NOTE}/", notes.note_page, name="note"),
    path(f"{_NOTE}/edit/", notes.edit_note, name="edit"),
    path(f"{_NOTE}/sign/", notes.sign_note, name="sign"),
    path(f"{_NOTE}/amend/", notes.amend_note, name="amend"),
    path(f"{_NOTE}/discard/", notes.discard_draft, name="discard"),
    # homework: everything set, and the exercises the clinician sets
    path("clients/<int:enrollment_id>/homework/", homework.homework_page, name="homework"),
    path(
        "clients/<int:enrollment_id>/homework/exercises/new/",
        homework.set_exercise,
        name="set_exercise",
    ),
    path(
        "clients/<int:enrollment_id>/homework/exercises/<int:exercise_id>/withdraw/",
        homework.withdraw_exercise,
        name="withdraw_exercise",
    ),
    # the client's own exercises
    path("exercises/", homework.mine, name="mine"),
    path("exercises/<int:exercise_id>/done/", homework.mark_done, name="done"),
    # the whole timeline of the client, filtered
    path("clients/<int:enrollment_id>/timeline/", timeline.timeline_page, name="timeline"),
]
