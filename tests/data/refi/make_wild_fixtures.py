"""Write the REFI-QDA fixtures shaped like real exports that bend the standard (tests/refi/wild).

Run from the repository root: ``python tests/data/refi/make_wild_fixtures.py``. Each project
reproduces, with made-up interviews, the shape of a file a tool really writes:

- ``atlasti_mac84.qdpx``: ATLAS.ti 8.4 (macOS). No texts in ``Sources/`` (only a PDF); a PDF
  selection and the plain-text selection of the same quotation share one guid; 14 codes,
  users, sets, memos and a quotation comment.
- ``nvivo_mac15.qdpx``: NVivo 15 for Mac. 262 codes; two sources whose plain text is empty
  (one with an empty docx, one with none); one source with text and codings.
- ``maxqda24/project.qde``: MAXQDA 24, a loose ``.qde`` whose 10 text sources are
  ``internal://`` files kept in ``sources.zip`` beside it; 307 codes, each with a
  description; cases without a name (document variables); commented selections.
- ``atlasti26_trial.qdpx``: ATLAS.ti 26 (macOS). The project file is ``Trial.qde``; a video
  outside the archive (``relative://`` against an absolute ``basePath``) with commented and
  zero-length selections; codes without colours; one text source with codings.
- ``nvivo_win126.qdpx``: NVivo for Windows 12.6. Cases share the guid of the code they were
  made from; lowercase guids referred to in upper case with braces; empty selection names;
  annotations as notes joined to selections by links; UTF-16 offsets over CRLF text.

``expected.json`` lists, per fixture, the codings that must land on their quotes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from make_fixtures import Qde, _docx, gid, span, write_zip  # noqa: E402

HERE = Path(__file__).parent / "wild"
INGEST = Path(__file__).parent.parent / "ingest"

TOPICS = ["Work", "Family", "Health", "Money", "Housing", "School", "Transport", "Faith",
          "Friends", "Care", "Food", "Sleep", "Sport", "Music", "Travel", "Safety", "Time",
          "Language", "Law", "Media"]
ASPECTS = ["barriers", "support", "change", "stress", "hope", "loss", "routine", "conflict",
           "identity", "trust", "cost", "access", "memory", "pride", "shame", "choice"]


def code_names(n: int) -> list[tuple[str, str]]:
    """``n`` (parent topic, child name) pairs, stable."""
    out = []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        out.append((topic, f"{topic}: {ASPECTS[(i // len(TOPICS)) % len(ASPECTS)]} {i // (len(TOPICS) * len(ASPECTS)) + 1}"))
    return out


def tree(q: Qde, n: int, *, colors: bool = True, describe: bool = False) -> dict[str, object]:
    """``n`` codes under one parent per topic (parents count towards ``n``)."""
    parents: dict[str, object] = {}
    made: dict[str, object] = {}
    palette = ["#E03C31", "#2E8B57", "#1F4E79", "#AA66CC", "#FFBB33", "#0099CC", "#669900"]
    count = 0
    for topic, name in code_names(n * 2):
        if count >= n:
            break
        if topic not in parents:
            parents[topic] = q.code(topic, palette[len(parents) % 7] if colors else "",
                                    f"Everything about {topic.lower()}." if describe else "")
            made[topic] = parents[topic]
            count += 1
            if count >= n:
                break
        made[name] = q.code(name, palette[count % 7] if colors else "",
                            f"Talk of {name.lower()}; include passing mentions." if describe else "",
                            parent=parents[topic])
        count += 1
    for el in made.values():
        if not el.get("color"):
            del el.attrib["color"]
    return made


INTERVIEW_A = (
    "Interviewer: What was the hardest part of the first year?\n"
    "P11: Money, honestly. The rent went up twice and the bus pass too.\n"
    "Interviewer: Who helped?\n"
    "P11: My sister. She lent me the deposit and never asked for it back.\n"
)


def atlasti_mac84() -> list[dict[str, str]]:
    q = Qde("Housing year one", "ATLAS.ti Mac 8.4.5 (2021-03-09)", "a84")
    u = q.user("Noor Haddad")
    q.user("ATLAS.ti")
    codes = tree(q, 14)
    money, family = codes["Money"], codes["Family"]
    pdf_text = (INGEST / "site_b_interview.pdf").read_bytes()
    pdf = q.el(q.box("Sources"), "PDFSource", guid=gid("a84", "pdf"), name="Site B interview.pdf",
               path="internal://" + gid("a84", "pdffile") + ".pdf", creatingUser=u)
    shared = gid("a84", "quotation-1")  # ATLAS.ti: one guid for both selections of a quotation
    area = q.el(pdf, "PDFSelection", guid=shared, page="0", firstX="10", firstY="10", secondX="200",
                secondY="40", name="the bus was always late", creatingUser=u)
    q.el(q.el(area, "Coding", guid=gid("a84", "pdf-coding"), creatingUser=u), "CodeRef",
         targetGUID=codes["Transport"].get("guid"))
    rep = q.el(pdf, "Representation", guid=gid("a84", "rep"),
               plainTextPath="internal://" + gid("a84", "reptext") + ".txt")
    sel = q.el(rep, "PlainTextSelection", guid=shared, startPosition="40", endPosition="63",
               name="the bus was always late", creatingUser=u)
    q.el(q.el(sel, "Coding", guid=gid("a84", "rep-coding"), creatingUser=u), "CodeRef",
         targetGUID=codes["Transport"].get("guid"))
    text = q.source("Interview P11", plainTextPath="internal://" + gid("a84", "p11") + ".txt",
                    creatingUser=u)
    for quote, code in (("The rent went up twice", money), ("She lent me the deposit", family)):
        q.select(text, INTERVIEW_A, quote, "codepoint-crlf1", code, u)
    s, e = span(INTERVIEW_A, "never asked for it back", "codepoint-crlf1")
    comment = q.el(text, "PlainTextSelection", guid=gid("a84", "comment"), startPosition=str(s),
                   endPosition=str(e), name="never asked for it back", creatingUser=u)
    q.el(comment, "Description").text = "Family as a silent lender."
    for i, (title, body, target) in enumerate((
        ("Money first", "Money opens almost every interview.", money),
        ("Sisters", "Siblings lend, parents advise.", family),
    )):
        note = q.el(q.box("Notes"), "Note", guid=gid("a84", "note", str(i)), name=title, creatingUser=u)
        q.el(note, "PlainTextContent").text = body
        q.el(target, "NoteRef", targetGUID=note.get("guid"))
    for name, members in (("Structural", [money, codes["Housing"]]), ("Relational", [family])):
        st = q.el(q.box("Sets"), "Set", guid=gid("a84", "set", name), name=name)
        for m in members:
            q.el(st, "MemberCode", targetGUID=m.get("guid"))
    write_zip(HERE / "atlasti_mac84.qdpx", {
        "project.qde": q.bytes(),
        "Sources/" + gid("a84", "pdffile") + ".pdf": pdf_text,
    })
    (HERE / "atlasti_mac84_sources").mkdir(parents=True, exist_ok=True)
    (HERE / "atlasti_mac84_sources" / (gid("a84", "p11") + ".txt")).write_text(INTERVIEW_A, encoding="utf-8")
    return q.expected


def nvivo_mac15() -> list[dict[str, str]]:
    q = Qde("Carers study", "NVivo 15 for Mac (15.1.0)", "n15")
    u = q.user("Ruth Adeyemi")
    codes = tree(q, 262)
    paras = [
        "Interviewer: What does a normal day look like?",
        "P21: I wake at five to turn my mother. Then the carers come at eight.",
        "Interviewer: And for you?",
        "P21: Sleep, when I can get it. I have not had a night off in a year.",
    ]
    good = q.source("P21 carer", plainTextPath="internal://p21.txt", richTextPath="internal://p21.docx",
                    creatingUser=u)
    text = "\n".join(paras)
    q.select(good, text, "I wake at five to turn my mother", "codepoint-crlf1", codes["Care"], u)
    q.select(good, text, "I have not had a night off in a year", "codepoint-crlf1", codes["Sleep"], u)
    empty_docx = q.source("P22 carer", plainTextPath="internal://p22.txt", richTextPath="internal://p22.docx",
                          creatingUser=u)
    sel = q.el(empty_docx, "PlainTextSelection", guid=gid("n15", "p22sel"), startPosition="0", endPosition="12",
               name="", creatingUser=u)
    q.el(q.el(sel, "Coding", guid=gid("n15", "p22coding"), creatingUser=u), "CodeRef",
         targetGUID=codes["Care"].get("guid"))
    q.source("P23 carer", plainTextPath="internal://p23.txt", creatingUser=u)
    var = q.el(q.box("Variables"), "Variable", guid=gid("n15", "var"), name="Caring years",
               typeOfVariable="Integer")
    for key, src, years in (("P21", good, "6"), ("P22", empty_docx, "2")):
        case = q.el(q.box("Cases"), "Case", guid=gid("n15", "case", key), name=key)
        vv = q.el(case, "VariableValue")
        q.el(vv, "VariableRef", targetGUID=var.get("guid"))
        q.el(vv, "IntegerValue").text = years
        q.el(case, "SourceRef", targetGUID=src.get("guid"))
    st = q.el(q.box("Sets"), "Set", guid=gid("n15", "set"), name="Night")
    q.el(st, "MemberCode", targetGUID=codes["Sleep"].get("guid"))
    write_zip(HERE / "nvivo_mac15.qdpx", {
        "project.qde": q.bytes(),
        "sources/.root": b"",
        "sources/p21.txt": b"\n",
        "sources/p21.docx": _docx(paras),
        "sources/p22.txt": b"",
        "sources/p22.docx": _docx([]),
        "sources/p23.txt": b"\n",
    })
    return q.expected


def maxqda24() -> list[dict[str, str]]:
    folder = HERE / "maxqda24"
    folder.mkdir(parents=True, exist_ok=True)
    q = Qde("Neighbourhood study", "MAXQDA 24 (Release 24.7.0)", "m24")
    u = q.user("Jonas Weber")
    codes = tree(q, 307, describe=True)
    files: dict[str, bytes] = {}
    var = q.el(q.box("Variables"), "Variable", guid=gid("m24", "var"), name="District", typeOfVariable="Text")
    for i in range(10):
        name = f"Interview {i + 1:02d}" if i != 9 else "Interview 01"  # two sources of one name
        raw = (f"Interviewer: What changed on your street, interview {i + 1}?\r\n"
               f"R{i + 1}: The bakery closed and a betting shop opened.\r\n"
               f"R{i + 1}: People still talk at the bus stop, though.\r\n")
        guid = gid("m24", "file", str(i))
        src = q.source(name, plainTextPath=f"internal://{guid}.txt", creatingUser=u)
        files[f"sources/{guid}.txt"] = raw.encode("utf-8")
        q.select(src, raw, "The bakery closed", "codepoint-crlf1", codes["Food"], u)
        q.select(src, raw, "People still talk at the bus stop", "codepoint-crlf1", codes["Transport"], u)
        s, e = span(raw, "a betting shop opened", "codepoint-crlf1")
        comment = q.el(src, "PlainTextSelection", guid=gid("m24", "comment", str(i)), startPosition=str(s),
                       endPosition=str(e))
        q.el(comment, "Description").text = f"Compare with interview {10 - i}."
        case = q.el(q.box("Cases"), "Case", guid=gid("m24", "docvars", str(i)))  # document variables
        vv = q.el(case, "VariableValue")
        q.el(vv, "VariableRef", targetGUID=var.get("guid"))
        q.el(vv, "TextValue").text = "North" if i % 2 else "South"
        q.el(case, "SourceRef", targetGUID=src.get("guid"))
    for e in q.expected[-2:]:
        e["source"] = "Interview 01 (2)"
    (folder / "project.qde").write_bytes(q.bytes())
    write_zip(folder / "sources.zip", files)
    return q.expected


TRIAL = (
    "Interviewer: Tell me about the night you decided to move.\r\n"
    "P31: It was the third break-in that year. I packed that weekend.\r\n"
)


def atlasti26_trial() -> list[dict[str, str]]:
    q = Qde("Trial", "ATLAS.ti Mac 26.1.2 (34883)", "a26")
    q.root.set("basePath", "/Users/someone/Desktop/Trial Media/Project Media")
    u = q.user("Ines Costa")
    q.user("ATLAS.ti")
    hello, test = q.code("hello", ""), q.code("test", "")
    for el in (hello, test):
        del el.attrib["color"]
    video = q.el(q.box("Sources"), "VideoSource", guid=gid("a26", "video"), name="",
                 path="relative:///" + gid("a26", "mov") + ".mov", creatingUser=u)
    q.el(video, "Transcript", guid=gid("a26", "transcript"), name="Christos vagias-2.MP4")
    for i, (begin, end, note, code) in enumerate(((2274, 7000, "Hello Trying this out", hello),
                                                    (21477, 21477, "Nothing here yet", None),
                                                    (29000, 31000, None, test))):
        sel = q.el(video, "VideoSelection", guid=gid("a26", "vsel", str(i)), begin=str(begin), end=str(end),
                   name=f"{begin // 1000}s", creatingUser=u)
        if note:
            q.el(sel, "Description").text = note
        if code is not None:
            q.el(q.el(sel, "Coding", guid=gid("a26", "vcoding", str(i)), creatingUser=u), "CodeRef",
                 targetGUID=code.get("guid"))
    text = q.source("P31 moving", plainTextPath="internal://" + gid("a26", "p31") + ".txt", creatingUser=u)
    q.select(text, TRIAL, "the third break-in that year", "codepoint-crlf1", test, u)
    q.select(text, TRIAL, "I packed that weekend", "codepoint-crlf1", hello, u)
    write_zip(HERE / "atlasti26_trial.qdpx", {
        "Trial.qde": q.bytes(),
        "sources/" + gid("a26", "p31") + ".txt": TRIAL.encode("utf-8"),
    })
    return q.expected


WIN = (
    "Interviewer: How do you get the children to school?\r\n"
    "P41: Two buses 🚌 and a long walk. In winter we leave in the dark.\r\n"
    "Interviewer: Does the school help?\r\n"
    "P41: The head lets them in early — that saved us, honestly.\r\n"
)


def nvivo_win126() -> list[dict[str, str]]:
    q = Qde("School run", "NVivo for Windows 12.6", "w126")
    q.root.set("basePath", "")
    u = q.user("Coder")
    transport = q.code("Transport", "#1F4E79")
    school = q.code("School support", "#2E8B57")
    p41_code = q.code("P41", "#888888")  # NVivo: a case is a node, and shares its guid
    src = q.source("P41 school run", plainTextPath="internal://p41.txt", richTextPath="internal://p41.docx")
    long_walk = q.select(src, WIN, "Two buses 🚌 and a long walk", "utf16-crlf2", transport, u, name="")
    q.select(src, WIN, "The head lets them in early", "utf16-crlf2", school, u, name="")
    case = q.el(q.box("Cases"), "Case", guid=p41_code.get("guid"), name="P41")
    q.el(case, "SourceRef", targetGUID="{" + src.get("guid").upper() + "}")
    note = q.el(q.box("Notes"), "Note", guid=gid("w126", "annotation"), name="Annotation",
                plainTextPath="internal://annotation.txt", creatingUser=u)
    links = q.el(q.root, "Links")
    q.el(links, "Link", guid=gid("w126", "link"), name="Annotation link", direction="OneWay",
         originGUID=note.get("guid"), targetGUID=long_walk.get("guid"))
    for el in q.root.iter():  # NVivo writes lower-case guids; references here in braces, upper case
        if el.get("guid"):
            el.set("guid", el.get("guid").lower())
    for el in q.root.iter():
        if el.get("targetGUID") and not el.get("targetGUID").startswith("{"):
            el.set("targetGUID", "{" + el.get("targetGUID").upper() + "}")
    write_zip(HERE / "nvivo_win126.qdpx", {
        "project.qde": q.bytes(),
        "Sources/p41.txt": WIN.encode("utf-8"),
        "Sources/p41.docx": _docx([line for line in WIN.splitlines()]),
        "Sources/annotation.txt": b"She says this twice; check the second interview.",
    })
    return q.expected


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    expected = {
        "atlasti_mac84.qdpx": atlasti_mac84(),
        "nvivo_mac15.qdpx": nvivo_mac15(),
        "maxqda24/project.qde": maxqda24(),
        "atlasti26_trial.qdpx": atlasti26_trial(),
        "nvivo_win126.qdpx": nvivo_win126(),
    }
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
