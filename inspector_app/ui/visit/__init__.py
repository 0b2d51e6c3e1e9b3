"""One visit on screen: the visit window and its tabs (roll call, checklist, findings, signatures).

Every tab is a ``QWidget`` built as ``XView(ws, tasks, visit_id, parent)`` with ``reload()``,
``set_read_only(flag)`` and a ``changed`` signal emitted after one of its writes commits.
"""
