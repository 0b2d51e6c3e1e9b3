"""Documents (reportlab, Qt-free): Nghị định 30/2020 renderers and the biên bản of a visit.

``render_minutes(session, visit_id, attachments=ws.attachments)`` → ``MinutesPdf`` (``.data`` bytes,
``.signature_boxes`` for a later PAdES field, ``.content_sha256``, ``.qr_payload``).
"""
