"""Stage 4's writes (the public API for views, the API, the demo and tasks).

- goals: ``create_goal``, ``update_goal``, ``add_step``, ``set_step_done``, ``add_note``,
  ``review_goal`` (``services/goals.py``);
- the maintenance plan: ``save_maintenance_plan``, ``agree_maintenance_plan``
  (``services/maintenance.py``);
- graduation: ``graduate``, ``step_back_in`` (``services/graduation.py``).
"""

from waypost.flourish.services.goals import (
    GoalError,
    add_note,
    add_step,
    create_goal,
    review_goal,
    set_step_done,
    update_goal,
)
from waypost.flourish.services.graduation import (
    GraduationError,
    graduate,
    step_back_in,
    step_back_when_moved_back,
)
from waypost.flourish.services.maintenance import (
    MaintenanceError,
    agree_maintenance_plan,
    save_maintenance_plan,
)

__all__ = [
    "step_back_when_moved_back",
    "GoalError",
    "GraduationError",
    "MaintenanceError",
    "add_note",
    "add_step",
    "agree_maintenance_plan",
    "create_goal",
    "graduate",
    "review_goal",
    "save_maintenance_plan",
    "set_step_done",
    "step_back_in",
    "update_goal",
]
