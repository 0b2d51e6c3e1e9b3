"""The office desk: plans, follow-up, notices and results (Qt-free)."""
