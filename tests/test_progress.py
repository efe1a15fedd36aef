"""The progress bar: silent off a terminal and during the first moment, throttled, finished cleanly."""
import io

from kg.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_silent_when_not_a_terminal():
    out, clock = io.StringIO(), Clock()
    with Progress(10, "extracting", stream=out, clock=clock) as bar:
        clock.now += 5
        bar.advance(10, 1000)
    assert out.getvalue() == ""


def test_silent_when_disabled_even_on_a_terminal():
    out, clock = Terminal(), Clock()
    with Progress(10, "extracting", stream=out, enabled=False, clock=clock) as bar:
        clock.now += 5
        bar.advance(10)
    assert out.getvalue() == ""


def test_quick_builds_draw_nothing():
    out, clock = Terminal(), Clock()
    with Progress(4, "extracting", stream=out, delay=0.5, clock=clock) as bar:
        for _ in range(4):
            clock.now += 0.1
            bar.advance()
    assert out.getvalue() == ""


def test_draws_count_rate_and_time_left_then_ends_the_line():
    out, clock = Terminal(), Clock()
    bar = Progress(10, "extracting", stream=out, delay=0.5, interval=0.1, clock=clock)
    clock.now += 1.0
    bar.advance(2, 2_000_000)
    text = out.getvalue()
    assert text.startswith("\rextracting [") and "2/10" in text and "20%" in text
    assert "2.0 MB/s" in text and "4s left" in text
    clock.now += 1.0
    bar.advance(8, 0)
    bar.close()
    assert "10/10" in out.getvalue() and "100%" in out.getvalue() and out.getvalue().endswith("\n")


def test_redraws_at_most_once_per_interval():
    out, clock = Terminal(), Clock()
    bar = Progress(1000, "extracting", stream=out, delay=0.0, interval=0.5, clock=clock)
    for _ in range(100):
        clock.now += 0.01
        bar.advance()
    assert out.getvalue().count("\r") == 2  # at 0.01 s and at 0.51 s
