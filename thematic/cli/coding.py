"""Coding commands: code (suggestion runs), review, code-span, merge, undo, history."""

from __future__ import annotations

import typer

from thematic.cli.common import (
    CoderOpt,
    JsonOpt,
    ProjectOpt,
    acting,
    app,
    choice,
    emit,
    errors,
    need_coder,
    open_project,
    progress_bar,
)
from thematic.errors import ParameterError, ThematicError
from thematic.models import GROUP_POLICIES, SOURCES
from thematic.suggest.languages import BACKEND_HELP
from thematic.suggest.registry import default_engines, engine_names
from thematic.suggest.turn_vectors import TURN_VECTORS

#: ``thematic review DECISION``: what each word sets a coding to
REVIEW_DECISIONS = {"accept": "accepted", "reject": "rejected", "reset": "suggested"}


# ---------------------------------------------------------------------------- coding
@app.command()
def code(
    engine: list[str] = typer.Option(list(default_engines()), "--engine", "-e", **choice(engine_names()),
                                     help="An engine to run (repeat); several are combined."),
    backend: str | None = typer.Option(None, help=BACKEND_HELP),
    include_interviewer: bool = typer.Option(False, help="Also suggest codes for interviewer turns."),
    group_codes: str = typer.Option("children_first", **choice(GROUP_POLICIES),
                                    help="Codes with children: suggest children first, never, or keep both."),
    seed: int = typer.Option(0, min=0, max=2**32 - 1, help="Random seed (recorded with the run)."),
    turn_vectors: str = typer.Option(
        "embedded", **choice(TURN_VECTORS),
        help="How turns and their sentences get their vectors: each encoded on its own; the turn "
             "pooled from its sentences; or each turn read once with its sentences in it "
             "(in_context: the fastest with MiniLM, kappa 0.006 lower on the benchmarks)."),
    finetuned: bool | None = typer.Option(
        None, "--finetuned/--no-finetuned",
        help="The learned model on the encoder fine-tuned on the decisions (`thematic finetune`)."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Run suggestion engines: suggestions with evidence, for a person to decide."""
    with errors():
        proj = open_project(project)
        with progress_bar(not as_json) as progress:
            report = proj.suggestions.run(engines=engine, backend=backend, progress=progress, seed=seed,
                                  include_interviewer=include_interviewer, group_codes=group_codes,
                                  finetuned=finetuned, turn_vectors=turn_vectors, actor=acting(coder))

    def text() -> None:
        table = report.per_code
        if not table.empty:
            width = max(len(str(c)) for c in table["code"])
            typer.echo(f"{'code':<{width}}  {'suggestions':>11}  model     why")
            for r in table.itertuples():
                typer.echo(f"{r.code:<{width}}  {r.total:>11}  {r.model:<8}  {r.why}")
        typer.echo(report.summary())
        for warning in report.warnings:
            typer.echo(warning)

    emit(report.as_dict(), as_json, text)


@app.command("finetune")
def finetune_cmd(
    seed: int = typer.Option(0, min=0, max=2**32 - 1, help="Random seed (recorded with the model)."),
    project: str | None = ProjectOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Fine-tune the sentence encoder (MiniLM) on the project's decisions, for `code --finetuned`."""
    with errors():
        proj = open_project(project)
        with progress_bar(not as_json) as progress:
            model = proj.suggestions.finetune(seed=seed, progress=progress)
    record = model.record(model.key)

    def text() -> None:
        typer.echo(f"fine-tuned encoder {model.key}: {record['pairs']} pairs, {record['steps']} steps, "
                   f"from {record['decisions']} decided labels; `thematic code --finetuned` uses it")

    emit(record, as_json, text)


@app.command("review")
def review_cmd(
    decision: str = typer.Argument(..., **choice([*REVIEW_DECISIONS, "next"]),
                                   help="accept, reject, or reset (back to suggested); "
                                        "next: the suggestions to decide next, most informative first."),
    ids: list[int] = typer.Option([], "--id", min=1, help="Coding id (repeat)."),
    turn: bool = typer.Option(False, "--turn", help="With --id: also the suggestions of the same code "
                                                    "in the same turn (a passage suggested sentence by sentence)."),
    code_id: str | None = typer.Option(None, "--code", help="All suggestions of this code."),
    source: str | None = typer.Option(None, "--source", **choice(SOURCES),
                                      help="Only from this engine."),
    min_confidence: float | None = typer.Option(None, min=0.0, max=1.0, help="Only at or above this confidence."),
    max_confidence: float | None = typer.Option(None, min=0.0, max=1.0, help="Only at or below this confidence."),
    limit: int = typer.Option(10, min=1, max=10_000, help="review next: how many to show."),
    backend: str | None = typer.Option(None, help="review next: embeddings ('minilm', 'tfidf', a path)."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Accept or reject suggestions by id or by filter (for scripts); `review next` lists what to decide next."""
    if decision == "next":
        _review_next(project, code_id, limit, backend, as_json)
        return
    status = REVIEW_DECISIONS[decision]
    with errors():
        if turn and not ids:
            raise ThematicError("--turn goes with --id N: the suggestions of that coding's code in its turn")
        who = need_coder(coder)
        proj = open_project(project)
        if ids:
            n = proj.review.decide(proj.review.turn_suggestions(ids) if turn else ids, status, actor=who)
        elif code_id or source or min_confidence is not None or max_confidence is not None:
            n = proj.review.bulk_decide(status, actor=who, code=code_id, source=source,
                                 min_confidence=min_confidence, max_confidence=max_confidence)
        else:
            raise ThematicError("say which codings: --id N, or a filter (--code, --source, --min-confidence)")
    typer.echo(f"{status}: {n} codings")


def _review_next(project: str | None, code_id: str | None, limit: int, backend: str | None,
                 as_json: bool) -> None:
    with errors():
        queue = open_project(project).suggestions.queue(limit=limit, code=code_id, backend=backend)

    def text() -> None:
        if queue.empty:
            typer.echo("nothing left to decide")
            return
        for r in queue.itertuples():
            p = "" if r.probability != r.probability else f", classifier p={r.probability:.2f}"
            more = f", {r.passage - 1} more in its turn" if r.passage > 1 else ""
            typer.echo(f"[{r.coding_id}] {r.document} {r.code} ({r.source} {r.confidence:.2f}{p}, "
                       f"uncertainty {r.uncertainty:.2f}{more}): {' '.join(str(r.text).split())[:160]}")
        typer.echo("decide with: thematic review accept|reject --id N"
                   + (" (add --turn for the rest of its turn)" if (queue["passage"] > 1).any() else ""))

    emit(queue.to_dict("records"), as_json, text)


@app.command("consensus")
def consensus_cmd(
    decision: str = typer.Argument(..., **choice(list(REVIEW_DECISIONS)),
                                   help="accept, reject, or reset (back to suggested)."),
    ids: list[int] = typer.Option(..., "--id", min=1, help="Coding id (repeat)."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """Independent review: record the final (consensus) decision on codings (an owner's step)."""
    status = REVIEW_DECISIONS[decision]
    with errors():
        n = open_project(project).review.consensus(ids, status, actor=need_coder(coder))
    typer.echo(f"consensus {status}: {n} codings")


@app.command("code-span")
def code_span(
    document: str = typer.Argument(..., help="Document name or id."),
    code_id: str = typer.Argument(..., metavar="CODE", help="Code id."),
    quote: str | None = typer.Option(None, help="The exact text to code."),
    occurrence: int | None = typer.Option(None, min=1, help="Which occurrence of the quote (1-based)."),
    start: int | None = typer.Option(None, min=0, help="Start offset (characters)."),
    end: int | None = typer.Option(None, min=1, help="End offset (characters)."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """Code a span by hand, by quoting its text or by offsets."""
    with errors():
        if quote is not None and (start is not None or end is not None):
            raise ParameterError("give --quote or --start/--end, not both")
        cid = open_project(project).review.code_span(document, code_id, actor=need_coder(coder), quote=quote,
                                          occurrence=occurrence, start=start, end=end)
    typer.echo(f"coding {cid} added")


@app.command()
def merge(sources: list[str] = typer.Argument(..., help="Codes to merge."),
          into: str = typer.Option(..., "--into", help="The code they merge into."),
          project: str | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Merge codes: their codings move to the target code."""
    with errors():
        n = open_project(project).codebook.merge_codes(sources, into, actor=need_coder(coder))
    typer.echo(f"merged {', '.join(sources)} into {into}: {n} codings moved")


@app.command()
def undo(project: str | None = ProjectOpt, coder: str | None = CoderOpt,
         mine: bool = typer.Option(False, "--mine", help="Undo my newest change, not anyone's.")) -> None:
    """Undo the newest change (a decision, an edit, a merge, an import ...)."""
    with errors():
        if mine:
            need_coder(coder, "--mine")
        actions = open_project(project).review.undo(actor=acting(coder), mine_only=mine)
    typer.echo(f"undone: {', '.join(actions)}")


@app.command()
def history(limit: int = typer.Option(20, min=1, help="How many changes."),
            by: str | None = typer.Option(None, "--by", help="Only the changes of this person."),
            project: str | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """The newest changes: when, who, what."""
    with errors():
        frame = open_project(project).review.history(limit=limit, by=by)
    emit(frame.to_dict("records"), as_json,
          lambda: typer.echo(frame.drop(columns=["txn", "undo_of"]).to_string(index=False)
                             if not frame.empty else "no changes yet"))
