"""Shield's pages: the client's (``views.client``) and the clinician's (``views.clinician``)."""

from waypost.shield.views import admin, client, clinician

app_name = "shield"
urlpatterns = [*client.urlpatterns, *clinician.urlpatterns, *admin.urlpatterns]
