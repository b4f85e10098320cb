"""Topic candidates: ``thematic topics run|list|adopt|map|merge|rename|reject`` and
``thematic export topics``."""

from __future__ import annotations

from pathlib import Path

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
from thematic.cli.exports import export_app
from thematic.models import TOPIC_STATUSES
from thematic.suggest.languages import BACKEND_HELP
from thematic.suggest.topics import PARENT_LEVELS

topics_app = typer.Typer(help="Topic candidates (BERTopic) to adopt as codes, map, merge or reject.",
                         no_args_is_help=True)
app.add_typer(topics_app, name="topics")


@topics_app.command("run")
def topics_run(
    unit: str = typer.Option("turn", **choice(("turn", "sentence")), help="Segments to group."),
    include_interviewer: bool = typer.Option(False, help="Also group interviewer turns."),
    uncovered_only: bool = typer.Option(False, help="Only text no accepted coding covers."),
    guided: bool = typer.Option(False, help="Seed topics from the codebook's definitions."),
    min_cluster_size: int | None = typer.Option(None, min=2, help="Smallest topic (default: scaled to the data)."),
    stability_runs: int = typer.Option(3, min=0, max=20, help="Re-fits with other seeds for stability."),
    parents: str = typer.Option("codebook", **choice(PARENT_LEVELS),
                                help="Broader candidates: the topics' tree cut at the codebook's "
                                     "number of codes (codebook), or every merge of near topics (ward)."),
    backend: str | None = typer.Option(None, help=BACKEND_HELP),
    seed: int = typer.Option(0, min=0, max=2**32 - 1, help="Random seed (recorded with the run)."),
    force: bool = typer.Option(False, help="Fit again even if a run with the same inputs exists."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Group participant turns into topic candidates with keywords, quotes and stability."""
    with errors():
        proj = open_project(project)
        with progress_bar(not as_json) as progress:
            report = proj.topics.run(unit=unit, include_interviewer=include_interviewer,
                                     uncovered_only=uncovered_only, guided=guided, backend=backend,
                                     random_state=seed, force=force, progress=progress, actor=acting(coder),
                                     min_cluster_size=min_cluster_size, n_stability=stability_runs,
                                     parent_level=parents)
    same = " (the same inputs as this earlier run: nothing fitted; --force fits again)" if report.reused else ""
    emit({"run": report.run_id, "segments": report.segments, "topics": report.topics,
          "parents": report.parents, "not_grouped": report.not_grouped, "reused": report.reused},
         as_json,
         lambda: typer.echo(f"run {report.run_id}{same}: {report.topics} topics "
                            f"({report.parents} of them broader, joining others) over "
                            f"{report.segments} segments; {report.not_grouped} not grouped. "
                            "See them with `thematic topics list`."
                            + (f"\n{report.broader} For a tree of near topics: --parents ward."
                               if report.broader else "")
                            + (f"\n{report.language}" if report.language else "")))


@topics_app.command("list")
def topics_list(
    run: int | None = typer.Option(None, min=1, help="A topics run (default: the latest)."),
    status: str | None = typer.Option(None, **choice(TOPIC_STATUSES), help="Only topics with this status."),
    quotes: int = typer.Option(2, min=0, max=20, help="Quotes to print per topic."),
    project: str | None = ProjectOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List topic candidates: label, size, stability, nearest codes, quotes, and the broader
    candidate each is part of."""
    with errors():
        frame = open_project(project).topics.frame(run=run, status=status)

    def text() -> None:
        if frame.empty:
            typer.echo("no topics yet: run `thematic topics run`")
            return
        for t in frame.itertuples():
            stab = "–" if t.stability is None or t.stability != t.stability else f"{t.stability:.2f}"
            flag = "" if t.stable else " (unstable)"
            near = ", ".join(f"{c} {s:.2f}" for c, s in t.nearest)
            extra = f" -> {t.code}" if t.code else (f" -> topic {int(t.merged_into)}" if t.status == "merged" else "")
            up = "" if t.parent is None or t.parent != t.parent else f"; part of [{int(t.parent)}]"
            typer.echo(f"[{t.topic_id}] {t.label}  ({t.status}{extra}; {t.size} segments, "
                       f"{t.participants} participants; stability {stab}{flag}{up})")
            typer.echo(f"    keywords: {', '.join(t.keywords)}")
            if near:
                typer.echo(f"    nearest codes: {near}")
            for q in t.quotes[:quotes]:
                typer.echo(f"    \u201c{q['text'][:160]}\u201d \u2014 {q.get('participant') or q['document']}")

    emit(frame.to_dict("records"), as_json, text)


@topics_app.command("adopt")
def topics_adopt(
    topic: int = typer.Argument(..., help="Topic id (from `topics list`)."),
    name: str | None = typer.Option(None, help="The new code's name (default: the topic's label)."),
    code_id: str | None = typer.Option(None, "--id", help="The new code's id (default: from the name)."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """Adopt a topic as a new code; its members become suggested codings to review."""
    with errors():
        key = open_project(project).topics.adopt(topic, actor=need_coder(coder, "adopting a topic"),
                                                name=name, code_id=code_id)
    typer.echo(f"topic {topic} adopted as code '{key}'; review its suggestions with `thematic review`")


@topics_app.command("map")
def topics_map(
    topic: int = typer.Argument(..., help="Topic id."),
    code: str = typer.Argument(..., help="An existing code id."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """Map a topic to an existing code; its members become suggested codings of it."""
    with errors():
        n = open_project(project).topics.map(topic, code, actor=need_coder(coder, "mapping a topic"))
    typer.echo(f"topic {topic} mapped to '{code}': {n} suggestions")


@topics_app.command("merge")
def topics_merge(
    topics: list[int] = typer.Argument(..., help="Topic ids to merge into the target."),
    into: int = typer.Option(..., "--into", help="The topic that keeps its label."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """Merge topics into one (the target keeps its label and keywords)."""
    with errors():
        n = open_project(project).topics.merge(topics, into, actor=need_coder(coder, "merging topics"))
    typer.echo(f"merged {len(topics)} topic(s) into {into}: {n} segments added")


@topics_app.command("rename")
def topics_rename(
    topic: int = typer.Argument(..., help="Topic id."),
    label: str = typer.Argument(..., help="The new label."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """Give a topic a new label."""
    with errors():
        open_project(project).topics.rename(topic, label, actor=need_coder(coder, "renaming a topic"))
    typer.echo(f"topic {topic} renamed")


@topics_app.command("reject")
def topics_reject(
    topic: int = typer.Argument(..., help="Topic id."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """Reject a topic candidate."""
    with errors():
        open_project(project).topics.reject(topic, actor=need_coder(coder, "rejecting a topic"))
    typer.echo(f"topic {topic} rejected")


@export_app.command("topics")
def export_topics(
    output: Path = typer.Argument(..., help="File to write (.csv or .xlsx)."),
    run: int | None = typer.Option(None, min=1, help="A topics run (default: the latest)."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """Topic members: topic, label, keywords, document, participant, segment, start, end,
    probability, text."""
    with errors():
        n = open_project(project).exports.write("topics", output, run=run, account=coder)["rows"]
    typer.echo(f"wrote {n} topic members to {output}")
