"""The office sync service (FastAPI); arrives with the sync issue."""
