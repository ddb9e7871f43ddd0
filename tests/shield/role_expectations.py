"""Who may use each Shield URL; gathered by tests/core/test_roles.py (one table per app).

The client's pages are in ``role_expectations_client.py``, the clinician's and allies' in
``role_expectations_clinician.py``; this joins them.
"""

from tests.shield.role_expectations_admin import ROUTES as ADMIN_ROUTES
from tests.shield.role_expectations_client import ROUTES as CLIENT_ROUTES
from tests.shield.role_expectations_clinician import ROUTES as CLINICIAN_ROUTES

ROUTES = [*CLIENT_ROUTES, *CLINICIAN_ROUTES, *ADMIN_ROUTES]
