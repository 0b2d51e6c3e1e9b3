"""The office workspace: registry, plans and teams, remedy follow-up, conclusion notices, results."""
