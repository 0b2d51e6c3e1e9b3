"""Documents in the app: export (PDF/Word), preview (pypdfium2), print and digital signing."""
