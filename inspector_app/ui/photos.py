"""Qt image helpers: photos downscaled for storage, thumbnails, images from drops and the clipboard.

Phones take 12-megapixel photos of 4–8 MB; the minutes need a readable picture, not a poster. Every
photo is stored as a JPEG with its long side at most ``MAX_SIDE`` px, turned upright from its EXIF
orientation first (the stored JPEG carries no EXIF, so nothing turns it twice). QImage may be used
off the GUI thread, so these run in ``Tasks.run``; only QPixmap must stay on the GUI thread.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QSize, Qt
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter
from sqlmodel import Session

from inspector_app.core.models import AttachmentLink
from inspector_app.core.services import attachments
from inspector_app.core.services.errors import InvalidInput
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _

MAX_SIDE = 1600
JPEG_QUALITY = 85
THUMB_SIDE = 96
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".heic"})

Photo = tuple[bytes, str, int, int]  # data, mime, width, height


def downscale_qimage(image: QImage, *, max_side: int = MAX_SIDE, quality: int = JPEG_QUALITY) -> Photo:
    """JPEG bytes of ``image`` with its long side at most ``max_side``; transparency becomes white."""
    if image.isNull():
        raise InvalidInput(_("The image could not be read"))
    if max(image.width(), image.height()) > max_side:
        image = image.scaled(
            max_side,
            max_side,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    if image.hasAlphaChannel():  # JPEG has no alpha: a transparent screenshot would turn black
        flat = QImage(image.size(), QImage.Format.Format_RGB32)
        flat.fill(QColor("white"))
        painter = QPainter(flat)
        painter.drawImage(0, 0, image)
        painter.end()
        image = flat
    elif image.format() != QImage.Format.Format_RGB32:
        image = image.convertToFormat(QImage.Format.Format_RGB32)
    blob = QByteArray()
    buffer = QBuffer(blob)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "JPEG", quality):
        raise InvalidInput(_("The image could not be converted to JPEG"))
    buffer.close()
    return bytes(blob.data()), "image/jpeg", image.width(), image.height()


def read_image_file(path: Path | str, *, scaled_to: int | None = None) -> QImage:
    """The image upright (EXIF orientation applied); ``scaled_to`` makes the reader decode small."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    if scaled_to is not None:
        size = reader.size()
        if size.isValid() and max(size.width(), size.height()) > scaled_to:
            size.scale(QSize(scaled_to, scaled_to), Qt.AspectRatioMode.KeepAspectRatio)
            reader.setScaledSize(size)  # JPEG decodes at 1/2, 1/4, 1/8 directly: much faster
    image = reader.read()
    if image.isNull():
        raise InvalidInput(
            _("{file} is not an image that can be read ({problem})").format(
                file=Path(path).name, problem=reader.errorString()
            )
        )
    return image


def downscale_image_file(path: Path | str) -> Photo:
    """A photo file as stored: upright, long side ≤ MAX_SIDE, JPEG quality ~85."""
    return downscale_qimage(read_image_file(path, scaled_to=MAX_SIDE))


def thumbnail_image(path: Path | str, side: int = THUMB_SIDE) -> QImage:
    image = read_image_file(path, scaled_to=side)
    if max(image.width(), image.height()) > side:
        image = image.scaled(
            side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    return image


def images_in_mime(mime: QMimeData) -> tuple[list[Path], QImage | None]:
    """What a drop or the clipboard offers: local image files, or else raw image data."""
    files = [
        Path(url.toLocalFile())
        for url in mime.urls()
        if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in IMAGE_SUFFIXES
    ]
    if files:
        return files, None
    if mime.hasImage():
        image = QImage(mime.imageData())
        if not image.isNull():
            return [], image
    return [], None


def offers_image(mime: QMimeData) -> bool:
    files, image = images_in_mime(mime)
    return bool(files) or image is not None


def store_visit_photo(
    session: Session,
    ws: Workspace,
    *,
    visit_id: uuid.UUID,
    photo: Photo,
    item_code: str | None = None,
    roll_call_id: uuid.UUID | None = None,
    original_name: str | None = None,
    role: str = "photo",
) -> tuple[AttachmentLink, str]:
    """Store a downscaled photo (once per content) and link it to the visit; returns (link, sha256)."""
    data, mime, width, height = photo
    attachment = attachments.store_attachment(
        session,
        ws.editor,
        ws.attachments,
        data=data,
        mime=mime,
        width=width,
        height=height,
        original_name=original_name,
    )
    session.flush()  # the link's foreign key needs the attachment row
    link = attachments.attach_to_visit(
        session,
        ws.editor,
        visit_id=visit_id,
        attachment_id=attachment.id,
        item_code=item_code,
        roll_call_id=roll_call_id,
        role=role,
    )
    return link, attachment.sha256
