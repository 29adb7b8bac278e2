"""Charts for the HTML report, drawn with matplotlib as self-contained SVG.

Text is drawn as glyph outlines (``svg.fonttype = path``), so the SVG needs
no font at view time.  Japanese labels need a Japanese-capable font when the
report is *made*: :func:`japanese_font` looks for a common one (Noto Sans CJK
JP from Debian's ``fonts-noto-cjk``, IPAex, Hiragino, Yu Gothic, Meiryo...).
A font installed after matplotlib built its font cache is found by its file.
Without any, labels fall back to operation codes and English, so that no
character is drawn as an empty box, and :func:`font_warning` says so (the
command line prints it).  Labels are never parsed as mathtext.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from gapcheck.core.messages import Msg

if TYPE_CHECKING:  # matplotlib is imported only when a chart is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

JAPANESE_FONTS = (
    "Noto Sans CJK JP", "Noto Sans JP", "Source Han Sans JP", "IPAexGothic", "IPAPGothic", "IPAGothic",
    "TakaoPGothic", "VL PGothic", "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic", "Meiryo", "MS Gothic",
)
"""Fonts tried, in order, for Japanese chart labels."""

FIT, DONE, WORKING, LATE, LINE = "#2e7d32", "#1565c0", "#90caf9", "#c62828", "#37474f"


FONT_PACKAGE = "fonts-noto-cjk"
"""What to install (Debian/Ubuntu) when no Japanese font is found."""
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts", "/Library/Fonts",
             "/System/Library/Fonts", "C:/Windows/Fonts")
FONT_FILES = ("NotoSansCJK*", "NotoSansJP*", "SourceHanSans*", "ipaexg*", "ipag*", "ipagp*", "YuGoth*", "meiryo*",
              "msgothic*", "ヒラギノ角ゴ*")
"""File names of the fonts of :data:`JAPANESE_FONTS`, for a font installed after matplotlib built its cache."""


@cache
def japanese_font() -> str | None:
    """The first installed font of :data:`JAPANESE_FONTS`, or None.

    matplotlib knows the fonts of its cache, built on first use; a font
    installed later is found by its file (fontconfig's ``fc-list :lang=ja``
    when available, else the usual font folders) and added to the font manager.
    """
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((name for name in JAPANESE_FONTS if name in installed), None)
    if found is not None:
        return found
    for path in _font_files():
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError):  # not a font matplotlib can read: try the next
            continue
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in JAPANESE_FONTS if name in installed), None)


def font_files() -> list[str]:
    """The Japanese font files this machine has (found without matplotlib): what the charts' wording depends on."""
    return _font_files()


def _font_files() -> list[str]:
    """Files of Japanese fonts on this machine, by fontconfig or by name in the usual folders."""
    import shutil
    import subprocess
    from pathlib import Path

    if shutil.which("fc-list"):
        try:
            out = subprocess.run(["fc-list", ":lang=ja", "file"], capture_output=True, text=True, timeout=10,
                                 check=False).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        files = sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})
        if files:
            return files
    found: list[str] = []
    for folder in FONT_DIRS:
        base = Path(folder).expanduser()
        if base.is_dir():
            found += sorted(str(f) for pattern in FONT_FILES for f in base.rglob(pattern) if f.is_file())
    return found


def font_warning() -> str | None:
    """A one-line warning when charts cannot be labelled in Japanese, naming the package to install; else None."""
    if japanese_font() is not None:
        return None
    return Msg("font-warning", package=FONT_PACKAGE)


@dataclass(frozen=True)
class Words:
    """Chart wording: Japanese when a Japanese font is available, else English."""

    fit: str
    done: str
    working: str
    open_gaps: str
    deadline: str
    now: str
    no_history: str
    total: str
    japanese: bool


JA = Words("必須要件 適合率", "移行工程 完了率", "作業中", "未解消ギャップ（必須要件）", "期限", "基準日（未記録）",
           "スナップショット履歴なし（gapcheck snapshot で記録）", "未解消ギャップ 合計", True)
EN = Words("mandatory fit rate", "steps complete", "in progress", "open gaps (mandatory)", "deadline",
           "as of (not recorded)", "no snapshot history (record with gapcheck snapshot)", "open gaps, total", False)


def _words() -> Words:
    return JA if japanese_font() else EN


def _style() -> dict[RcKeyType, Any]:
    font = japanese_font()
    return {
        "font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"],
        "font.size": 10, "svg.fonttype": "path", "svg.hashsalt": "gapcheck", "axes.spines.top": False,
        "axes.spines.right": False, "axes.unicode_minus": False,
    }


def prepare() -> None:
    """Import what drawing needs and find the font (about half a second), so that a process waiting for its
    work (the report's worker) does it before the charts are asked for."""
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.figure  # noqa: F401

    japanese_font()


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": "gapcheck"})
    text = buf.getvalue()
    return text[text.index("<svg"):]


def readiness_chart(labels: Sequence[str], fit: Sequence[float | None], done: Sequence[float | None],
                    working: Sequence[float | None], notes: Sequence[str]) -> str:
    """Horizontal bars per operation: mandatory fit rate, and step completion (+ in progress) as SVG text.

    ``labels`` are operation names (or codes); ``notes`` a short status text
    written right of each operation's bars.
    """
    import matplotlib
    from matplotlib.figure import Figure

    w = _words()
    n = len(labels)
    with matplotlib.rc_context(_style()):
        fig = Figure(figsize=(9.0, 0.5 * max(n, 1) + 1.2))
        ax = fig.add_subplot()
        ys = list(range(n))
        pct = [None if v is None else v * 100 for v in fit]
        stp = [None if v is None else v * 100 for v in done]
        wrk = [None if v is None else v * 100 for v in working]
        ax.barh([y - 0.2 for y in ys], [v or 0 for v in pct], height=0.38, color=FIT, label=w.fit)
        ax.barh([y + 0.2 for y in ys], [v or 0 for v in stp], height=0.38, color=DONE, label=w.done)
        ax.barh([y + 0.2 for y in ys], [v or 0 for v in wrk], left=[v or 0 for v in stp], height=0.38,
                color=WORKING, label=w.working)
        for y, a, b, note in zip(ys, pct, stp, notes, strict=True):
            ax.text(101, y - 0.2, "—" if a is None else f"{a:.0f}%", va="center", fontsize=8, parse_math=False)
            ax.text(101, y + 0.2, "—" if b is None else f"{b:.0f}%", va="center", fontsize=8, parse_math=False)
            ax.text(110, y, note, va="center", fontsize=9, parse_math=False,
                    color=LATE if note.startswith(("期限超過", "overdue")) else LINE)
        ax.set_yticks(ys, list(labels), parse_math=False)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
        ax.grid(axis="x", alpha=0.3)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, frameon=False)
        return _svg(fig)


@dataclass(frozen=True)
class GapLine:
    """One operation's open gaps over time, for :func:`burndown_chart`."""

    label: str
    dates: Sequence[dt.date]
    gaps: Sequence[int]
    zero_on: dt.date | None = None
    """The forecast's date of zero open gaps: drawn as a dotted line to zero."""


PALETTE = ("#1565c0", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#558b2f", "#4e342e", "#283593", "#9e9d24",
           "#00695c")


def burndown_chart(dates: Sequence[dt.date], gaps: Sequence[int], recorded: Sequence[bool],
                   deadlines: Sequence[tuple[dt.date, str]], lines: Sequence[GapLine] = ()) -> str:
    """Open gaps over the snapshot dates: the total (the as-of point hollow when not recorded), one thinner
    line per operation not yet migrated (its forecast dotted to zero), each deadline a labelled vertical line."""
    import matplotlib
    from matplotlib.figure import Figure

    w = _words()
    with matplotlib.rc_context(_style()):
        fig = Figure(figsize=(9.0, 3.6 + 0.18 * ((len(lines) + 1) // 3)))
        ax = fig.add_subplot()
        for n, line in enumerate(lines):
            colour = PALETTE[n % len(PALETTE)]
            _plot(ax, list(line.dates), list(line.gaps), marker=".", linewidth=1.0, color=colour, label=line.label)
            if line.zero_on is not None and line.dates:
                _plot(ax, [line.dates[-1], line.zero_on], [line.gaps[-1], 0], linestyle=":", linewidth=1.0, color=colour)
        _total(ax, w, dates, gaps, recorded)
        for d, label in deadlines:
            ax.axvline(d, color=LATE, linestyle="--", linewidth=1.2)  # type: ignore[arg-type]  # a date: see _plot
            ax.annotate(f"{w.deadline} {label}", (d, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 3),
                        textcoords="offset points", va="bottom", ha="center", fontsize=8, color=LATE,
                        annotation_clip=False, parse_math=False)
        if not any(recorded):
            ax.text(0.5, 0.5, w.no_history, transform=ax.transAxes, ha="center", va="center", color="#757575",
                    parse_math=False)
        ax.set_ylim(bottom=0, top=max(list(gaps) + [1]) * 1.15)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=3, frameon=False, fontsize=8)
        fig.autofmt_xdate()
        return _svg(fig)


def _total(ax: Axes, w: Words, dates: Sequence[dt.date], gaps: Sequence[int], recorded: Sequence[bool]) -> None:
    """The total line: recorded snapshots solid, the as-of point hollow and dotted when not recorded."""
    rec = [(d, g) for d, g, r in zip(dates, gaps, recorded, strict=True) if r]
    if rec:
        _plot(ax, [d for d, _ in rec], [g for _, g in rec], marker="o", color=LINE, linewidth=2.2, label=w.total)
    now = [(d, g) for d, g, r in zip(dates, gaps, recorded, strict=True) if not r]
    if now:
        if rec:
            _plot(ax, [rec[-1][0], now[0][0]], [rec[-1][1], now[0][1]], linestyle=":", color=LINE)
        _plot(ax, [now[0][0]], [now[0][1]], marker="o", markerfacecolor="white", color=LINE, linestyle="",
              label=w.now if rec else w.total)


def _plot(ax: Axes, dates: list[dt.date], values: list[int], **style: Any) -> None:
    """``ax.plot`` with dates on the x axis: matplotlib converts them (its unit registry); its stubs take numbers only."""
    ax.plot(dates, values, **style)  # type: ignore[arg-type]  # dates, converted by matplotlib


def japanese() -> bool:
    """True when charts are labelled in Japanese (a Japanese font is installed)."""
    return _words().japanese
