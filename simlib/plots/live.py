"""A figure drawn off-screen and shown as PNG bytes, redrawn in place (blitting)."""

from __future__ import annotations

import struct
import zlib
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from simlib.plots.pictures import Picture, ValueMap

if TYPE_CHECKING:  # pragma: no cover
    from simlib.result import Result

P = TypeVar("P")  # a picture added to a LiveFigure


def png_bytes(rgba: np.ndarray, level: int = 1) -> bytes:
    """An RGBA image (height x width x 4, uint8) as PNG bytes, deflated at zlib ``level``.

    No row filters and a fast deflate: for a chart (large flat areas) level 1 is about five
    times faster than Pillow's PNG writer and the file only a little larger (see
    ``benchmarks/bench_widgets.py``).
    """
    height, width, _ = rgba.shape
    rows = np.empty((height, width * 4 + 1), dtype=np.uint8)
    rows[:, 0] = 0  # filter type 0 (None) on every row
    rows[:, 1:] = rgba.reshape(height, width * 4)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA, deflate, no filter, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), level))
        + chunk(b"IEND", b"")
    )


class LiveFigure:
    """A figure drawn off-screen (Agg) and shown as PNG bytes, with its pictures updated in place.

    The figure is drawn whole once; its static parts (axes, ticks, labels, legends, fixed
    titles) are kept as a background. After that, :meth:`png` restores the background and
    draws only the pictures' moving artists on it (*blitting*), unless a picture's scale
    changed or :meth:`invalidate` was called, when the figure is drawn whole again.
    """

    def __init__(self, figsize: tuple[float, float], dpi: float, margins: dict[str, float] | None = None) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=figsize, dpi=dpi)  # fixed margins: a layout engine costs ~100 ms a draw
        self.canvas = FigureCanvasAgg(self.figure)
        self.margins = margins or {}
        self.pictures: list[Picture | ValueMap] = []
        self._background = None
        self.full_draws = 0  # how often the whole figure was drawn (for tests and benchmarks)

    def add(self, picture: P) -> P:
        """Register a picture; its moving artists are drawn on each :meth:`png`."""
        self.pictures.append(picture)
        return picture

    def update(self, result: Result) -> None:
        """Show ``result`` in every :class:`Picture` (a :class:`ValueMap` is set by its owner)."""
        for picture in self.pictures:
            if isinstance(picture, Picture) and picture.update(result):
                self._background = None

    @property
    def stale(self) -> bool:
        """Whether the next :meth:`png` draws the figure whole (its static parts changed)."""
        return self._background is None

    def invalidate(self) -> None:
        """The static parts changed: draw the figure whole next time."""
        self._background = None

    def png(self, level: int = 1) -> bytes:
        """The figure as PNG bytes (blitting when the static parts are unchanged)."""
        moving = [a for p in self.pictures for a in p.moving]
        if self._background is None:
            for artist in moving:
                artist.set_animated(True)  # left out of the background
            self.figure.subplots_adjust(**self.margins)
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
            self.full_draws += 1
        else:
            self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for artist in moving:
            if artist.get_visible():
                artist.draw(renderer)
        return png_bytes(np.asarray(self.canvas.buffer_rgba()), level)
