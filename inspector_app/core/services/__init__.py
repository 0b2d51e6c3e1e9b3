"""Plain functions over a session: everything the app, the command line and sync do to data.

Each interactive function is keyword-only after ``session, editor``, stamps what it writes with
the editor's clock, appends to the audit chain, and leaves committing to the caller (one edit,
one transaction: ``with session_scope(engine) as s: record_answer(s, editor, ...)``).
"""
