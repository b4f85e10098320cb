"""Plots as PNG and SVG: matrix heatmaps, the saturation curve with its bootstrap band, the
co-occurrence network and a thematic map (themes -> subthemes -> codes).

matplotlib is loaded on first use, through its object API (``Figure``, no pyplot and no global
state); SVG keeps text as text (``svg.fonttype = none``) and labels are never parsed as
mathtext, so a ``$`` in a code name prints as a ``$``.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from thematic.errors import MissingDependencyError, ParameterError
from thematic.export.files import Target, write_bytes
from thematic.export.registry import register
from thematic.export.text import xml_safe

__all__ = ["cooccurrence_network", "figure_bytes", "matrix_heatmap", "saturation_curve",
           "thematic_map"]


@contextmanager
def _mpl() -> Iterator[Any]:
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingDependencyError("plots need matplotlib",
                                     hint="pip install 'matplotlib>=3.8,<4'") from exc
    with matplotlib.rc_context({"text.parse_math": False, "svg.fonttype": "none",
                                "svg.hashsalt": "thematic", "font.size": 9,
                                "font.family": "DejaVu Sans"}):
        yield Figure


def _label(text: Any, width: int = 28) -> str:
    text = xml_safe(text).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def figure_bytes(fig: Any, fmt: str) -> bytes:
    """PNG (150 dpi) or SVG bytes of a figure, without a timestamp (reproducible).

    Figures use the constrained layout (one drawing pass), not ``bbox_inches="tight"`` (two)."""
    buffer = io.BytesIO()
    meta = {"Date": None} if fmt == "svg" else {"Software": "thematic"}
    with _mpl():
        fig.savefig(buffer, format=fmt, dpi=150, metadata=meta)
    return buffer.getvalue()


def matrix_heatmap(matrix: pd.DataFrame, *, title: str = "", cmap: str = "Blues") -> Any:
    """A heatmap of a wide numeric matrix (rows: its index), values printed in small ones."""
    values = matrix.apply(pd.to_numeric, errors="coerce").fillna(0).to_numpy(dtype=float)
    rows, cols = values.shape
    with _mpl() as Figure:
        fig = Figure(layout="constrained", figsize=(min(3 + 0.3 * max(cols, 1), 18), min(2 + 0.28 * max(rows, 1), 16)))
        ax = fig.add_subplot()
        if values.size == 0:
            ax.text(0.5, 0.5, "No data", ha="center", va="center")
            ax.set_axis_off()
            return fig
        image = ax.imshow(values, cmap=cmap, aspect="auto")
        ax.set_xticks(range(cols), [_label(c, 18) for c in matrix.columns], rotation=60, ha="right")
        ax.set_yticks(range(rows), [_label(r, 36) for r in matrix.index])
        if rows * cols <= 600:
            top = values.max() or 1
            for i in range(rows):
                for j in range(cols):
                    v = values[i, j]
                    text = f"{v:.0f}" if float(v).is_integer() else f"{v:.2f}"
                    ax.text(j, i, text, ha="center", va="center", fontsize=7,
                            color="white" if v > top * 0.6 else "black")
        fig.colorbar(image, ax=ax, shrink=0.6)
        if title:
            ax.set_title(_label(title, 80))
        return fig


def saturation_curve(result: Mapping[str, Any], *, title: str = "Code saturation") -> Any:
    """Cumulative codes by interview (bars: new codes), the bootstrap median and band.

    ``result["curve"]``: ``order`` and ``cumulative_codes`` (``new_codes`` optional);
    ``result["band"]`` (optional): ``order, median, low, high``; ``result["summary"]``
    (optional) may hold ``saturation_point``.
    """
    curve = result.get("curve")
    if not isinstance(curve, pd.DataFrame) or "cumulative_codes" not in curve:
        raise ParameterError("a saturation plot needs result['curve'] with 'order' and "
                             "'cumulative_codes' columns.")
    order = curve["order"] if "order" in curve else pd.Series(range(1, len(curve) + 1))
    with _mpl() as Figure:
        fig = Figure(layout="constrained", figsize=(7, 4))
        ax = fig.add_subplot()
        if "new_codes" in curve:
            ax.bar(order, curve["new_codes"], color="#c6dbef", label="new codes")
        ax.plot(order, curve["cumulative_codes"], marker="o", color="#08519c",
                label="cumulative codes (interview order)")
        band = result.get("band")
        if isinstance(band, pd.DataFrame) and not band.empty:
            ax.fill_between(band["order"], band["low"], band["high"], color="#fdae6b", alpha=0.4,
                            label="bootstrap interquartile range")
            ax.plot(band["order"], band["median"], linestyle="--", color="#e6550d",
                    label="bootstrap median")
        point = dict(result.get("summary") or {}).get("saturation_point")
        if isinstance(point, (int, float)) and not (isinstance(point, float) and math.isnan(point)):
            ax.axvline(point, color="grey", linestyle=":", label=f"saturation at {point:g}")
        ax.set_xlabel("Interviews")
        ax.set_ylabel("Codes")
        ax.set_title(_label(title, 80))
        ax.legend(loc="best", fontsize=7)
        return fig


def _layout(names: list[str], weights: np.ndarray, random_state: int) -> dict[str, np.ndarray]:
    try:
        import networkx as nx
    except ImportError:
        nx = None
    if nx is None or len(names) < 3:
        angles = np.linspace(0, 2 * np.pi, len(names), endpoint=False)
        return {n: np.array([math.cos(a), math.sin(a)]) for n, a in zip(names, angles)}
    graph = nx.Graph()
    graph.add_nodes_from(names)
    for i, j in zip(*np.triu_indices(len(names), 1)):
        if weights[i, j] > 0:
            graph.add_edge(names[i], names[j], weight=float(weights[i, j]))
    k = 2.5 / math.sqrt(len(names))  # spread the nodes: labels need room
    layout = nx.spring_layout(graph, seed=random_state, k=k, weight=None, iterations=200)
    return {key: np.asarray(v) for key, v in layout.items()}


def cooccurrence_network(matrix: pd.DataFrame, *, title: str = "Code co-occurrence",
                         min_weight: float = 0.0, random_state: int = 0) -> Any:
    """Nodes are codes (size: the diagonal, if any), edges co-occurrence (width: weight)."""
    if list(matrix.index) != list(matrix.columns):
        raise ParameterError("a co-occurrence network needs a square matrix with the same "
                             "codes as rows and columns.")
    every = matrix.apply(pd.to_numeric, errors="coerce").fillna(0)
    off_all = every.to_numpy(dtype=float).copy()
    np.fill_diagonal(off_all, 0)
    linked = (off_all > min_weight).any(axis=1) & (off_all > 0).any(axis=1)
    alone = [str(n) for n, keep in zip(matrix.index, linked) if not keep]
    kept = every.loc[linked, linked]  # codes that co-occur with none are listed, not drawn
    names = [str(n) for n in kept.index]
    weights = kept.to_numpy(dtype=float)
    off = weights.copy()
    np.fill_diagonal(off, 0)
    pos = _layout(names, off, random_state)
    with _mpl() as Figure:
        fig = Figure(layout="constrained", figsize=(8, 7))
        ax = fig.add_subplot()
        ax.set_axis_off()
        top = (off.max() if off.size else 0.0) or 1.0
        for i, j in zip(*np.triu_indices(len(names), 1)):
            w = off[i, j]
            if w > min_weight and w > 0:
                (x1, y1), (x2, y2) = pos[names[i]], pos[names[j]]
                (line,) = ax.plot([x1, x2], [y1, y2], color="#6baed6",
                                  linewidth=0.5 + 4 * w / top, alpha=0.7, zorder=1)
                line.set_gid(f"edge {i}-{j}")
        diag = np.diag(weights) if weights.size else np.array([])
        sizes = 80 + 600 * (diag / (diag.max() or 1)) if diag.size else []
        xy = np.array([pos[n] for n in names]) if names else np.zeros((0, 2))
        if len(names):
            ax.scatter(xy[:, 0], xy[:, 1], s=sizes, color="#08519c", zorder=2)
        for n, (x, y) in zip(names, xy):
            ax.text(x, y + 0.04, _label(n, 24), ha="center", va="bottom", fontsize=7, zorder=3)
        if alone:
            shown = ", ".join(_label(a, 24) for a in alone[:12]) + (" …" if len(alone) > 12 else "")
            ax.text(0.0, -0.02, f"Co-occurring with no other code: {shown}", transform=ax.transAxes,
                    fontsize=7, va="top", wrap=True)
        ax.set_title(_label(title, 80))
        return fig


def thematic_map(data: Mapping[str, Any], *, title: str = "Thematic map") -> Any:
    """Themes (left), subthemes (middle) and their codes (right), joined by lines.

    ``data``: ``themes`` (``name, parent, position``), ``theme_codes`` (``theme, code``)
    and optional ``code_names`` (code id -> name).
    """
    themes: pd.DataFrame = data["themes"]
    links: pd.DataFrame = data["theme_codes"]
    names = dict(data.get("code_names") or {})
    ids = {str(k): v for k, v in zip(themes.get("theme_id", themes["name"]), themes["name"])}
    links = links.assign(theme=links["theme"].map(lambda t: t if t in set(themes["name"]) else ids.get(str(t))))
    ordered = themes.sort_values(["position", "name"], kind="stable")
    top = [n for n, p in zip(ordered["name"], ordered["parent"]) if not (isinstance(p, str) and p)]
    kids = {t: [n for n, p in zip(ordered["name"], ordered["parent"]) if p == t] for t in ordered["name"]}
    boxes: list[tuple[float, float, str, str]] = []  # x, y, text, colour
    lines: list[tuple[float, float, float, float]] = []
    y = 0.0

    def codes_of(theme: str) -> list[str]:
        return [names.get(c, c) for c in links.loc[links["theme"] == theme, "code"]]

    for theme in top:
        first = y
        targets: list[tuple[float, float]] = []  # what the theme's box joins
        own = [None] if codes_of(theme) or not kids.get(theme) else []
        for sub in own + kids.get(theme, []):
            start = y
            leaf = codes_of(sub) if sub else codes_of(theme)
            for code in leaf or [""]:
                if code:
                    boxes.append((2.0, y, code, "#f0f0f0"))
                y += 1
            if sub:
                mid = (start + y - 1) / 2
                boxes.append((1.0, mid, sub, "#c6dbef"))
                lines += [(1.0, mid, 2.0, start + k) for k in range(len(leaf))]
                targets.append((1.0, mid))
            else:
                targets += [(2.0, start + k) for k in range(len(leaf))]
        centre = (first + y - 1) / 2
        boxes.append((0.0, centre, theme, "#6baed6"))
        lines += [(0.0, centre, x2, y2) for x2, y2 in targets]
        y += 0.5
    with _mpl() as Figure:
        fig = Figure(layout="constrained", figsize=(10, max(3.0, 0.32 * y + 1)))
        ax = fig.add_subplot()
        ax.set_axis_off()
        for x1, y1, x2, y2 in lines:
            ax.plot([x1 + 0.25, x2 - 0.25], [-y1, -y2], color="#9ecae1", linewidth=0.8, zorder=1)
        for x, yy, text, colour in boxes:
            ax.text(x, -yy, _label(text, 30), ha="center", va="center", fontsize=8, zorder=2,
                    bbox={"boxstyle": "round,pad=0.3", "facecolor": colour, "edgecolor": "#4a4a4a"})
        if not boxes:
            ax.text(0.5, 0.5, "No themes yet", ha="center", va="center")
        ax.set_xlim(-0.6, 2.6)
        ax.set_ylim(-(y + 0.5), 1)
        ax.set_title(_label(title, 80))
        return fig


def _writer(build: Any) -> Any:
    def write(data: Any, target: Target, *, fmt: str, **options: Any) -> None:
        fig = build(data, **options)
        write_bytes(target, figure_bytes(fig, fmt))
    write.__doc__ = f"Write {build.__name__} as PNG or SVG."
    return write


register("matrix", "png", "svg", description="Heatmap")(_writer(matrix_heatmap))
register("cooccurrence", "png", "svg", description="Co-occurrence network")(_writer(cooccurrence_network))
register("saturation", "png", "svg", description="Saturation curve")(_writer(saturation_curve))
register("thematic-map", "png", "svg", description="Themes, subthemes and codes")(_writer(thematic_map))
