"""A tiny PNG writer for demo signatures: the core must not need Qt or Pillow to draw a line."""

from __future__ import annotations

import math
import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def signature_png(seed: int, width: int = 240, height: int = 90) -> bytes:
    """A blue handwritten-looking stroke on transparent ground, different for each seed."""
    pixels = bytearray(width * height * 4)
    a, b, c = 1 + seed % 3, 2 + seed % 5, 0.3 + (seed % 7) / 10
    for step in range(4000):
        t = step / 4000
        x = int(10 + t * (width - 20))
        y = int(
            height / 2
            + math.sin(t * math.pi * 2 * a + c) * height * 0.25
            + math.sin(t * math.pi * 2 * b) * height * 0.12
        )
        for dx in (0, 1):
            for dy in (0, 1):
                px, py = x + dx, y + dy
                if 0 <= px < width and 0 <= py < height:
                    i = (py * width + px) * 4
                    pixels[i : i + 4] = bytes((20, 40, 160, 255))
    raw = b"".join(b"\x00" + bytes(pixels[r * width * 4 : (r + 1) * width * 4]) for r in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )
