"""Document actions of the visit window: preview (pypdfium2 pages, stamps drawn), export to a file,
printing to a PDF printer, and "Ký số…" with a test PKCS#12 through the dialog's code path."""

from __future__ import annotations

import io
import os
from pathlib import Path

import docx
import pypdfium2 as pdfium
from PySide6.QtPrintSupport import QPrinter
from sqlmodel import select

from inspector_app.core.db import session_scope
from inspector_app.core.ids import stable_id
from inspector_app.core.models import VisitLock
from inspector_app.core.models.documents import DigitalSignature
from inspector_app.core.workspace import Workspace
from inspector_app.documents import demo_pki
from inspector_app.documents.minutes import render_minutes
from inspector_app.documents.records import sign_visit_minutes
from inspector_app.documents.signing import load_pkcs12
from inspector_app.ui.documents.printing import print_pdf
from inspector_app.ui.documents.sign_dialog import SignDialog
from inspector_app.ui.documents.sources import minutes_pdf
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visit.visit_window import VisitWindow

SIGNED = stable_id("demo", "visit", "v1")
DRAFT = stable_id("demo", "visit", "v5")
PASSWORD = b"1234"
SHOTS = os.environ.get("INSPECTOR_SHOTS")  # a folder: the preview is saved there to look at


def window_on(ws: Workspace, visit_id, qtbot) -> VisitWindow:  # type: ignore[no-untyped-def]
    window = VisitWindow(ws, Tasks(ws.engine, synchronous=True), visit_id)
    qtbot.addWidget(window)
    window.show()
    return window


def test_actions_enabled_by_status(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    signed = window_on(demo_ws, SIGNED, qtbot).documents
    assert all(
        a.isEnabled()
        for a in (signed.export_action, signed.preview_action, signed.print_action, signed.sign_action)
    )
    draft = window_on(demo_ws, DRAFT, qtbot).documents
    assert draft.preview_action.isEnabled()
    assert not any(a.isEnabled() for a in (draft.export_action, draft.print_action, draft.sign_action))
    assert [
        a.text()
        for a in (signed.export_action, signed.preview_action, signed.print_action, signed.sign_action)
    ] == ["Xuất biên bản (PDF/Word)…", "Xem trước", "In…", "Ký số…"]


def test_preview_renders_every_page(demo_ws: Workspace, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_on(demo_ws, SIGNED, qtbot)
    with demo_ws.session() as session:
        pages = render_minutes(session, SIGNED, attachments=demo_ws.attachments).page_count
    window.documents.preview_action.trigger()
    dialog = window.documents.dialog
    assert dialog.pages.page_count() == pages >= 2
    assert dialog.print_button.isEnabled()
    assert dialog.pages.labels[0].pixmap().width() > 800  # A4 at 110 dpi
    if SHOTS:
        dialog.grab().save(str(Path(SHOTS) / "preview.png"))


def test_preview_of_a_draft_is_marked(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = window_on(demo_ws, DRAFT, qtbot)
    window.documents.preview_action.trigger()
    assert window.documents.dialog.pages.page_count() >= 1
    pdf = pdfium.PdfDocument(minutes_pdf(demo_ws, DRAFT).data)
    assert "DỰ THẢO" in pdf[0].get_textpage().get_text_bounded()


def test_export_pdf_and_word(demo_ws: Workspace, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_on(demo_ws, SIGNED, qtbot)
    for name in ("bien-ban.pdf", "bien-ban.docx"):
        window.documents.choose_file = lambda parent, suggested, n=name: tmp_path / n
        window.documents.export_action.trigger()
        assert (tmp_path / name).is_file()
    assert (tmp_path / "bien-ban.pdf").read_bytes().startswith(b"%PDF")
    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO((tmp_path / "bien-ban.docx").read_bytes())).paragraphs
    )
    assert "UBND phường Thành Sen" in text
    assert "Đã ghi" in window.statusBar().currentMessage()
    window.documents.choose_file = lambda parent, suggested: None  # cancelled: nothing happens
    assert window.documents.export() is False


def test_sign_through_the_dialog(demo_ws: Workspace, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = demo_pki.make_root()
    p12 = demo_pki.write_pkcs12(
        demo_pki.issue_signer(root, "Lê Văn Thắng"), root, tmp_path / "l.p12", PASSWORD
    )
    tasks = Tasks(demo_ws.engine, synchronous=True)
    dialog = SignDialog(demo_ws, tasks, SIGNED, modules=[])
    qtbot.addWidget(dialog)
    assert not dialog.use_token.isEnabled()
    dialog.p12_path.setText(str(p12))
    dialog.password.setText("sai")
    assert dialog.start() is True
    assert "password" in dialog.status.text().lower() or "mật khẩu" in dialog.status.text().lower()
    dialog.password.setText(PASSWORD.decode())
    with qtbot.waitSignal(dialog.signed, timeout=20_000) as blocker:
        dialog.start()
    assert blocker.args[0].signer_name == "Lê Văn Thắng"
    with demo_ws.session() as session:
        rows = session.exec(select(DigitalSignature).where(DigitalSignature.visit_id == SIGNED)).all()
        lock = session.exec(select(VisitLock).where(VisitLock.visit_id == SIGNED)).one()
    assert [r.role for r in rows] == ["truong_doan"] and lock.pdf_sha256


def test_preview_and_print_show_the_stamp(demo_ws: Workspace, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = demo_pki.make_root()
    p12 = demo_pki.write_pkcs12(
        demo_pki.issue_signer(root, "Lê Văn Thắng"), root, tmp_path / "l.p12", PASSWORD
    )
    with session_scope(demo_ws.engine) as session:
        sign_visit_minutes(
            session,
            demo_ws.editor,
            demo_ws.attachments,
            visit_id=SIGNED,
            role="truong_doan",
            signer=load_pkcs12(p12, PASSWORD),
        )
    file = minutes_pdf(demo_ws, SIGNED)
    assert file.digitally_signed
    window = window_on(demo_ws, SIGNED, qtbot)
    window.documents.preview_action.trigger()
    dialog = window.documents.dialog
    assert "ký số" in dialog.status.text()
    with demo_ws.session() as session:
        box = render_minutes(session, SIGNED, attachments=demo_ws.attachments).signature_boxes["truong_doan"]
    if SHOTS:
        dialog.pages.images[box.page_index].save(str(Path(SHOTS) / "preview-signed-page.png"))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printed: list[int] = []
    assert print_pdf(file.data, None, printer=printer, ask=lambda p, parent: True, on_done=printed.append)
    assert printed == [len(pdfium.PdfDocument(file.data))]
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000
