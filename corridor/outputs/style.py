"""One chart style for every figure: a fixed colour and name per route family, figures that
never touch the user's matplotlib backend, legends outside the data, and a check that no
two labels overlap.

Figures are :class:`matplotlib.figure.Figure` objects with their own Agg canvas: nothing
here imports :mod:`matplotlib.pyplot` or changes the backend, so a notebook or a GUI
keeps its own.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

__all__ = [
    "DPI",
    "FAMILIES",
    "FAMILY_COLORS",
    "FAMILY_NAMES",
    "MODE_COLORS",
    "Family",
    "family_of",
    "family_style",
    "flow_names",
    "label_overlaps",
    "legend_below",
    "new_figure",
    "place_labels",
    "plain_text",
    "route_families",
    "route_label",
    "save",
]

#: Resolution of every PNG written (dots per inch).
DPI = 110


class Family(NamedTuple):
    """A route family's display name and colour."""

    name: str
    color: str


#: One colour per route family, used by every chart and map (Okabe–Ito and Tableau hues,
#: chosen to stay apart for colour-blind readers; no two families share a colour).
FAMILIES: dict[str, Family] = {
    "middle-black-sea": Family("Middle Corridor, Black Sea", "#0072B2"),
    "middle-turkiye": Family("Middle Corridor, Türkiye", "#56B4E9"),
    "northern": Family("Northern (Russia, Belarus)", "#D55E00"),
    "southern": Family("Southern (Turkmenistan, Iran)", "#E69F00"),
    "sea-piraeus": Family("Sea via Suez, Piraeus", "#009E73"),
    "sea-cape": Family("Sea via the Cape, Piraeus", "#6A3D9A"),
    "sea-poti": Family("Sea via Suez, Poti", "#8C564B"),
    "air": Family("Air, Astana–Belgrade", "#CC79A7"),
    "caspian": Family("Caspian feeder only", "#7F7F7F"),
    "middle": Family("Middle Corridor, Caucasus", "#1F3A93"),
    "middle-south": Family("Middle Corridor, Türkmenbaşı", "#17BECF"),
    "sea": Family("Sea, other", "#9C9C2E"),
    "overland": Family("Overland", "#B07AA1"),
}
FAMILY_COLORS = {k: f.color for k, f in FAMILIES.items()}
FAMILY_NAMES = {k: f.name for k, f in FAMILIES.items()}
_OTHER = Family("other", "#4D4D4D")

#: Line colour by link mode on network maps.
MODE_COLORS = {
    "rail": "#B2182B",
    "road": "#7F7F7F",
    "sea": "#2166AC",
    "ferry": "#1B9E77",
    "air": "#E08214",
    "transfer": "#7F7F7F",
}


def route_families(geodata: str | Path | None = None) -> dict[str, str]:
    """Route template id → family of its path (:func:`corridor.routes.template_families`; bundled by default)."""
    from corridor.network import load_network
    from corridor.routes import template_families

    return template_families(load_network(geodata))


def flow_names(scenario: Any) -> dict[str, str]:
    """Demand id → ``"origin → destination: cargo"`` for a :class:`corridor.Scenario` (the id
    is added where two flows would read the same)."""
    names = {d.id: f"{d.origin} → {d.destination}" + (f": {d.cargo}" if d.cargo else "") for d in scenario.demand}
    counts = Counter(names.values())
    return {k: f"{v} ({k})" if counts[v] > 1 else v for k, v in names.items()}


def family_of(route: str, families: Mapping[str, str]) -> str:
    """The family of a route id; a re-route ``A>B@node`` belongs to ``B``'s family."""
    final = str(route).split(">")[-1].split("@")[0].split("-path-")[0]  # a found path: <family>-path-<n>
    return families.get(final, final if final in FAMILIES else "other")


def family_style(family: str) -> Family:
    """Display name and colour of a family (grey and its id for a family not listed)."""
    return FAMILIES.get(family, Family(family, _OTHER.color))


def route_label(route: str, families: Mapping[str, str], *, shown: Iterable[str] = ()) -> str:
    """A readable label: the family's name, with the route id where several routes of the
    same family are ``shown`` together."""
    fam = family_of(route, families)
    name = family_style(fam).name
    siblings = {r for r in shown if family_of(r, families) == fam}
    return f"{name} ({route})" if len(siblings) > 1 else name


def new_figure(width: float, height: float) -> Any:
    """A figure with its own Agg canvas and constrained layout (no pyplot, no backend change)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def legend_below(fig: Any, handles: list[Any], *, title: str | None = None, ncols: int | None = None) -> Any:
    """A figure legend below the axes, outside any data."""
    n = ncols or min(len(handles), 4)
    return fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=max(n, 1),
        fontsize=8,
        title=title,
        title_fontsize=8,
        frameon=False,
    )


_HALO = {"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7}


def place_labels(ax: Any, points: Sequence[tuple[str, float, float]], *, fontsize: float = 7.5) -> list[Any]:
    """Label points without overlap: each label tries four positions around its point and
    is left out when all four would cover a label already placed (or leave the axes).

    Returns the texts placed.
    """
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    placed: list[Any] = []
    boxes: list[Any] = []
    for text, x, y in points:
        for dx, dy, ha, va in (
            (4, 3, "left", "bottom"),
            (-4, 3, "right", "bottom"),
            (4, -3, "left", "top"),
            (-4, -3, "right", "top"),
        ):
            label = ax.annotate(
                text,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=fontsize,
                zorder=8,
                bbox=_HALO,
            )
            box = label.get_window_extent(renderer)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(box.overlaps(b) for b in boxes):
                placed.append(label)
                boxes.append(box)
                break
            label.remove()
    return placed


def save(fig: Any, path: str | Path | None) -> Any:
    """Write ``fig`` to ``path`` (format from the suffix) when given; return the figure."""
    if path is not None:
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out, dpi=DPI)
    return fig


def label_overlaps(fig: Any) -> list[tuple[str, str]]:
    """Pairs of visible, non-empty texts whose bounding boxes overlap once the figure is drawn.

    Every text counts: titles, axis and tick labels, annotations and legend entries. An
    empty list means a reader can read every label.
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = []
    for text in _drawn_texts(fig):
        if not text.get_visible() or not text.get_text().strip():
            continue
        box = text.get_window_extent(renderer)
        if box.width > 0 and box.height > 0:
            boxes.append((text.get_text(), box))
    found = []
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            # a shared edge is not an overlap: shrink by half a pixel
            if box_a.expanded(1.0, 1.0).overlaps(box_b) and _area(box_a, box_b) > 1.0:
                found.append((a, b))
    return found


def _drawn_texts(fig: Any) -> list[Any]:
    """The texts matplotlib draws: figure texts and legends, and per visible axes its titles,
    axis labels, the tick labels inside the view, its texts and its legend."""
    texts = [*fig.texts, *(t for leg in fig.legends for t in (*leg.get_texts(), leg.get_title()))]
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
        for axis in (ax.xaxis, ax.yaxis):
            # the ticks matplotlib draws: those inside the view (a private call, no public one exists)
            texts += [tick.label1 for tick in axis._update_ticks() if tick.label1.get_visible()]
        texts += ax.texts
        legend = ax.get_legend()
        if legend is not None:
            texts += [*legend.get_texts(), legend.get_title()]
    return list({id(t): t for t in texts}.values())


def _area(a: Any, b: Any) -> float:
    w = float(min(a.x1, b.x1) - max(a.x0, b.x0))
    h = float(min(a.y1, b.y1) - max(a.y0, b.y0))
    return max(w, 0.0) * max(h, 0.0)


_F = TypeVar("_F", bound=Callable[..., Any])


def plain_text(fn: _F) -> _F:
    """Draw with every label taken as plain text: a ``$`` in a demand id or a route name is
    a dollar sign, never the start of matplotlib's math text (which fails on ``$x^{``)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import matplotlib

        with matplotlib.rc_context({"text.parse_math": False}):
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
