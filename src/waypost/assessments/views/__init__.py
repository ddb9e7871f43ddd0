"""Views of the assessments app: the client's questionnaires, the clinician's measures."""
