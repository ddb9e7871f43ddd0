"""Pages of the motivation tools, one module per tool; ``seat`` holds what they share."""

from waypost.motivation.views.balance import (
    balance,
    balance_edit,
    balance_version,
    client_balance,
    client_balance_edit,
    client_balance_version,
)
from waypost.motivation.views.overview import (
    client_ask,
    client_overview,
    overview,
)
from waypost.motivation.views.readiness import (
    client_readiness,
    readiness,
)
from waypost.motivation.views.seat import Seat
from waypost.motivation.views.stage import (
    client_stage,
    stage,
)
from waypost.motivation.views.values import (
    client_values,
    client_values_notes,
    client_values_sort,
    client_values_top,
    client_values_version,
    values,
    values_notes,
    values_sort,
    values_top,
    values_version,
)

__all__ = [
    "Seat",
    "balance",
    "balance_edit",
    "balance_version",
    "client_ask",
    "client_balance",
    "client_balance_edit",
    "client_balance_version",
    "client_overview",
    "client_readiness",
    "client_stage",
    "client_values",
    "client_values_notes",
    "client_values_sort",
    "client_values_top",
    "client_values_version",
    "overview",
    "readiness",
    "stage",
    "values",
    "values_notes",
    "values_sort",
    "values_top",
    "values_version",
]
