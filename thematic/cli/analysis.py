"""Analysis tables: ``thematic frequencies|matrix|cooccurrence|framework|saturation|agreement``."""

from __future__ import annotations

from typing import Any

import typer

from thematic.cli.common import (
    CoderOpt,
    JsonOpt,
    ProjectOpt,
    app,
    choice,
    emit,
    errors,
    need_coder,
    open_project,
    records,
    split,
)

ROWS = ("code", "theme")
RowsOpt = typer.Option("code", "--rows", **choice(ROWS), help="Rows of the table: codes or themes.")


def _table(frame: Any, as_json: bool, *, index: bool = False, empty: str = "nothing to show") -> None:
    emit(records(frame, index=index), as_json,
         lambda: typer.echo(frame.to_string(index=index) if len(frame) else empty))


@app.command()
def frequencies(rows: str = RowsOpt, project: str | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Codings, segments, documents and participants (n, %) per code or theme."""
    with errors():
        frame = open_project(project).analysis.frequencies(rows=rows)
    _table(frame, as_json)


@app.command()
def matrix(by: str = typer.Option("participant", "--by", help="participant, or a participant attribute."),
           rows: str = RowsOpt,
           value: str = typer.Option("segments", "--value", **choice(("segments", "codings", "presence")),
                                     help="What a participant cell counts."),
           project: str | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """A code (or theme) x participant matrix, or x the groups of an attribute (n and %)."""
    with errors():
        frame = open_project(project).analysis.matrix(by, rows=rows, value=value)
    _table(frame, as_json, index=True)


@app.command()
def cooccurrence(method: str = typer.Option("segment", "--method", **choice(("segment", "window", "overlap")),
                                            help="Same segment, nearby segments, or overlapping spans."),
                 window: int = typer.Option(1, "--window", min=0, help="For --method window: segments apart."),
                 rows: str = RowsOpt, project: str | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Pairs of codes (or themes) that occur together: count and Jaccard."""
    with errors():
        frame = open_project(project).analysis.cooccurrence(method=method, window=window, rows=rows)
    _table(frame, as_json, empty="no co-occurrences")


@app.command()
def framework(rows: str = typer.Option("theme", "--rows", **choice(ROWS), help="Columns of the matrix."),
              project: str | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """The framework matrix: participants x themes, each cell its summary or what is left to summarise."""
    with errors():
        frame = open_project(project).analysis.framework(rows=rows)
    if as_json:
        _table(frame, True)
        return
    for row in frame.itertuples():
        cell = row.summary if row.state == "summarised" else row.state
        typer.echo(f"{row.participant} x {getattr(row, rows)}: {cell} ({row.n_codings} codings)")


@app.command()
def saturation(base: int = typer.Option(4, "--base", min=1, help="Base size (interviews)."),
               run: int = typer.Option(2, "--run", min=1, help="Run length (interviews)."),
               threshold: float = typer.Option(0.05, "--threshold", min=0.0, max=0.99,
                                               help="New-information threshold (0.05 = 5%)."),
               n_boot: int = typer.Option(1000, "--bootstrap", min=1, help="Random orders for the bootstrap."),
               seed: int = typer.Option(0, "--seed", min=0, help="Seed of the bootstrap."),
               project: str | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Code accumulation in interview order and saturation (Guest, Namey & Chen 2020)."""
    with errors():
        rep = open_project(project).analysis.saturation(base_size=base, run_length=run, threshold=threshold,
                                               n_boot=n_boot, random_state=seed)
    boot = rep.bootstrap
    data = {"point": rep.point, "order": rep.order, "accumulation": records(rep.accumulation),
            "runs": records(rep.runs), "bootstrap": records(boot.summary())[0]}

    def text() -> None:
        typer.echo(rep.accumulation.drop(columns="new_code_ids").to_string(index=False))
        reached = f"at {rep.point} interviews" if rep.point is not None else "not reached"
        typer.echo(f"saturation {reached} (base {base}, run {run}, <= {threshold:.0%} new information)")
        typer.echo(f"bootstrap over {n_boot} orders: median {boot.median:g}, IQR {boot.q25:g}-{boot.q75:g}, "
                   f"reached in {boot.share_saturated:.0%}")
    emit(data, as_json, text)


@app.command()
def agreement(coders: str = typer.Option(..., "--coders",
                                         help="Two coders, comma-separated: people, or an engine (rule, semantic)."),
              unit: str = typer.Option("sentence", "--unit", **choice(("sentence", "turn", "document")),
                                       help="The unit of agreement."),
              n_boot: int = typer.Option(1000, "--bootstrap", min=0, help="Bootstrap draws for the intervals."),
              seed: int = typer.Option(0, "--seed", min=0, help="Seed of the bootstrap."),
              show: bool = typer.Option(False, "--disagreements", help="Also list each disagreement."),
              project: str | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Inter-coder agreement per code and pooled: kappa, AC1, alpha, with confidence intervals."""
    with errors():
        rep = open_project(project).analysis.agreement(split(coders), unit=unit, n_boot=n_boot, random_state=seed)
    data = {"coders": list(rep.coders), "unit": rep.unit, "table": records(rep.table),
            "disagreements": records(rep.disagreements)}
    columns = ["code", "double_coded", "both", "a_only", "b_only", "percent_agreement",
               "positive_agreement", "cohen_kappa", "cohen_kappa_low", "cohen_kappa_high",
               "gwet_ac1", "krippendorff_alpha"]

    def text() -> None:
        pooled = rep.table.iloc[-1]
        typer.echo(f"{rep.coders[0]} vs {rep.coders[1]} by {rep.unit}: {pooled['double_coded']} of "
                   f"{pooled['units']} units double-coded ({pooled['double_coded_share']:.0%})")
        typer.echo(rep.table[columns].round(3).to_string(index=False))
        if show:
            typer.echo(rep.disagreements[["unit", "code", "value_a", "value_b", "text"]].to_string(index=False))
    emit(data, as_json, text)


@app.command("import-codings")
def import_codings(file: str = typer.Argument(..., help="CSV of quoted codings: document, code, quote[, occurrence]."),
                   project: str | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Add a coder's quoted codings (e.g. a second coder's gold file) in one transaction."""
    with errors():
        n = open_project(project).coders.import_codings(file, actor=need_coder(coder, "importing codings"))
    typer.echo(f"{n} codings imported as {coder}")
