"""A progress bar on stderr for long builds: drawn only on a terminal, and only once a build has
taken more than a moment, so short builds and redirected output stay silent."""
from __future__ import annotations

import sys
import time
from typing import Callable, TextIO


class Progress:
    """Counts finished items and redraws one status line at most every ``interval`` seconds.

    ``enabled`` None means: draw when the stream is a terminal.

    >>> import io
    >>> with Progress(3, "extracting", stream=io.StringIO()) as bar:  # not a terminal: silent
    ...     bar.advance()
    """

    def __init__(self, total: int, label: str, stream: TextIO | None = None, enabled: bool | None = None,
                 delay: float = 0.5, interval: float = 0.1, width: int = 28,
                 clock: Callable[[], float] = time.monotonic):
        self.total = total
        self.label = label
        self.stream = sys.stderr if stream is None else stream
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(isatty and isatty()) if enabled is None else enabled
        self.delay = delay
        self.interval = interval
        self.width = width
        self.clock = clock
        self.done = 0
        self.units = 0
        self.start = clock()
        self.last_draw: float | None = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def advance(self, count: int = 1, units: int = 0) -> None:
        """Record ``count`` finished items (and ``units`` bytes of input); redraw when it is time."""
        self.done += count
        self.units += units
        if not self.enabled:
            return
        now = self.clock()
        if now - self.start < self.delay:
            return
        if self.last_draw is None or now - self.last_draw >= self.interval or self.done >= self.total:
            self._draw(now)

    def line(self, now: float) -> str:
        """The status text: bar, count, percentage, throughput and time left."""
        frac = min(1.0, self.done / self.total) if self.total else 1.0
        filled = int(frac * self.width)
        elapsed = max(now - self.start, 1e-9)
        rate = self.done / elapsed
        text = f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} {frac:4.0%}"
        if self.units:
            text += f" {self.units / elapsed / 1e6:.1f} MB/s"
        if rate > 0 and self.done < self.total:
            text += f" {(self.total - self.done) / rate:.0f}s left"
        return text

    def _draw(self, now: float) -> None:
        self.stream.write("\r" + self.line(now) + "\x1b[K")
        self.stream.flush()
        self.last_draw = now

    def close(self) -> None:
        """Finish the line if anything was drawn."""
        if self.last_draw is not None:
            self._draw(self.clock())
            self.stream.write("\n")
            self.stream.flush()
            self.last_draw = None
