from django.urls import path

from waypost.assessments.views import client, clinic_instruments, clinician

app_name = "assessments"
# One version of a clinic's own questionnaire.
_VERSION = "clinic/<slug:slug>/measures/questionnaires/<slug:instrument_id>/v<int:revision>"
urlpatterns = [
    # the client's own questionnaires
    path("measures/", client.measures, name="measures"),
    path("measures/<int:form_id>/", client.start, name="start"),
    path("measures/<int:form_id>/q/<int:position>/", client.question, name="question"),
    path("measures/<int:form_id>/review/", client.review, name="review"),
    path("measures/<int:form_id>/support/", client.support, name="support"),
    path("measures/<int:form_id>/result/", client.result, name="result"),
    path(
        "measures/<int:form_id>/questionnaire-response.json",
        client.export_response,
        name="export_response",
    ),
    path(
        "measures/<int:form_id>/observation.json",
        client.export_observation,
        name="export_observation",
    ),
    path("measures/history/<slug:instrument_id>/", client.history, name="history"),
    # the clinician's view of one client
    path(
        "clients/<int:enrollment_id>/measures/",
        clinician.measures,
        name="clinician_measures",
    ),
    path("clients/<int:enrollment_id>/measures/assign/", clinician.assign, name="assign"),
    path(
        "clients/<int:enrollment_id>/measures/assignments/<int:assignment_id>/end/",
        clinician.end_assignment,
        name="end_assignment",
    ),
    path(
        "clients/<int:enrollment_id>/measures/import/",
        clinician.import_response,
        name="import",
    ),
    path(
        "clients/<int:enrollment_id>/measures/<int:form_id>/",
        clinician.form_detail,
        name="clinician_form",
    ),
    path(
        "clients/<int:enrollment_id>/measures/<int:form_id>/questionnaire-response.json",
        clinician.clinician_export_response,
        name="clinician_export_response",
    ),
    path(
        "clients/<int:enrollment_id>/measures/<int:form_id>/observation.json",
        clinician.clinician_export_observation,
        name="clinician_export_observation",
    ),
    path("clients/<int:enrollment_id>/sessions/", clinician.plan_session, name="plan_session"),
    path(
        "clients/<int:enrollment_id>/sessions/<int:session_id>/cancel/",
        clinician.cancel_session,
        name="cancel_session",
    ),
    # the clinic admin's choice of how change is judged
    path("clinic/<slug:slug>/measures/", clinician.clinic_settings, name="clinic_settings"),
    # the clinic admin's own questionnaires (views/clinic_instruments.py)
    path(
        "clinic/<slug:slug>/measures/questionnaires/",
        clinic_instruments.index,
        name="clinic_instruments",
    ),
    path(
        "clinic/<slug:slug>/measures/questionnaires/upload/",
        clinic_instruments.upload,
        name="clinic_instrument_upload",
    ),
    path(
        f"{_VERSION}/",
        clinic_instruments.detail,
        name="clinic_instrument",
    ),
    path(
        f"{_VERSION}/preview/",
        clinic_instruments.preview,
        name="clinic_instrument_preview",
    ),
    path(
        f"{_VERSION}/examples/",
        clinic_instruments.add_example,
        name="clinic_instrument_add_example",
    ),
    path(
        f"{_VERSION}/examples/<int:position>/remove/",
        clinic_instruments.remove_example,
        name="clinic_instrument_remove_example",
    ),
    path(
        f"{_VERSION}/publish/",
        clinic_instruments.publish,
        name="clinic_instrument_publish",
    ),
    path(
        f"{_VERSION}/file.json",
        clinic_instruments.download,
        name="clinic_instrument_download",
    ),
    path(
        f"{_VERSION}/examples.json",
        clinic_instruments.download_examples,
        name="clinic_instrument_download_examples",
    ),
    path(
        "clinic/<slug:slug>/measures/questionnaires/<slug:instrument_id>/withdraw/",
        clinic_instruments.withdraw,
        name="clinic_instrument_withdraw",
    ),
]
