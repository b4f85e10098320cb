"""Write the REFI-QDA fixtures of tests/refi: one small archive per tool quirk.

Run from the repository root: ``python tests/data/refi/make_fixtures.py``. Each project is
built the way its tool writes it (offset convention, folder names, line breaks, odd
entries); ``expected.json`` lists, per fixture, every coding's code and quote, which the
tests compare word for word with what the importer places.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from pathlib import Path

from lxml import etree

HERE = Path(__file__).parent
NS = "urn:QDA-XML:project:1.0"
STAMP = (2024, 5, 6, 10, 0, 0)


def gid(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "fixture:" + ":".join(parts))).upper()


def units(raw: str, index: int, convention: str) -> int:
    """Foreign position of raw code point ``index`` under ``convention``."""
    head = raw[:index]
    n = len(head.encode("utf-16-le")) // 2 if convention.startswith("utf16") else len(head)
    if convention.endswith("crlf1"):
        n -= head.count("\r\n")
    return n


def span(raw: str, quote: str, convention: str) -> tuple[int, int]:
    i = raw.index(quote)
    return units(raw, i, convention), units(raw, i + len(quote), convention)


class Qde:
    """A project.qde built element by element, as a foreign tool would write it."""

    def __init__(self, name: str, origin: str, key: str) -> None:
        self.key = key
        self.root = etree.Element(f"{{{NS}}}Project", nsmap={None: NS})
        self.root.set("name", name)
        self.root.set("origin", origin)
        self.parts: dict[str, etree._Element] = {}
        self.expected: list[dict[str, str]] = []

    def box(self, tag: str) -> etree._Element:
        order = ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Sets"]
        if tag not in self.parts:
            el = etree.Element(f"{{{NS}}}{tag}")
            later = [self.parts[t] for t in order[order.index(tag) + 1 :] if t in self.parts]
            if later:
                later[0].addprevious(el)
            else:
                self.root.append(el)
            self.parts[tag] = el
            if tag == "CodeBook":
                self.parts["Codes"] = etree.SubElement(el, f"{{{NS}}}Codes")
        return self.parts[tag]

    def el(self, parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
        e = etree.SubElement(parent, f"{{{NS}}}{tag}")
        for k, v in attrs.items():
            e.set(k, v)
        return e

    def user(self, name: str) -> str:
        g = gid(self.key, "user", name)
        self.el(self.box("Users"), "User", guid=g, name=name)
        return g

    def code(
        self, name: str, color: str, description: str = "", parent: etree._Element | None = None
    ) -> etree._Element:
        self.box("CodeBook")
        e = self.el(
            parent if parent is not None else self.parts["Codes"],
            "Code",
            guid=gid(self.key, "code", name),
            name=name,
            isCodable="true",
            color=color,
        )
        if description:
            self.el(e, "Description").text = description
        return e

    def source(self, name: str, **attrs: str) -> etree._Element:
        return self.el(
            self.box("Sources"),
            "TextSource",
            guid=gid(self.key, "source", name, str(len(self.box("Sources")))),
            name=name,
            **attrs,
        )

    def select(
        self,
        src: etree._Element,
        raw: str,
        quote: str,
        convention: str,
        code: etree._Element,
        user: str,
        *,
        name: str | None = None,
    ) -> etree._Element:
        s, e = span(raw, quote, convention)
        n = len(src)
        sel = self.el(
            src,
            "PlainTextSelection",
            guid=gid(self.key, "sel", src.get("guid"), str(n)),
            name=quote if name is None else name,
            startPosition=str(s),
            endPosition=str(e),
            creatingUser=user,
            creationDateTime="2024-05-06T10:00:00Z",
        )
        c = self.el(
            sel,
            "Coding",
            guid=gid(self.key, "coding", src.get("guid"), str(n)),
            creatingUser=user,
            creationDateTime="2024-05-06T10:00:00Z",
        )
        self.el(c, "CodeRef", targetGUID=code.get("guid"))
        self.expected.append({"source": src.get("name"), "code": code.get("name"), "quote": quote})
        return sel

    def bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_zip(path: Path, entries: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(zipfile.ZipInfo(name, STAMP), data)


WARD = (
    "Interviewer: How did the first week on the ward feel?\r\n"
    "P01: Honestly 😅 it was chaos. Nobody told me where the linen was.\r\n"
    "Interviewer: And the team?\r\n"
    "P01: The team were kind 🙏🏽 and they covered for me when I froze.\r\n"
    "Interviewer: Anything else?\r\n"
    "P01: I still dream about the night shifts 🌙, the quiet was the worst part.\r\n"
)


def nvivo_windows() -> list[dict[str, str]]:
    q = Qde("Ward study", "NVivo 14.23.2 (Windows)", "nvw")
    u = q.user("Dana Whitfield")
    chaos = q.code("Chaos", "#E03C31", "Disorder in the first days.")
    support = q.code("Peer support", "#2E8B57", "Colleagues helping.")
    nights = q.code("Night shifts", "#1F4E79", parent=support)
    src = q.source("P01 ward", plainTextPath="internal://" + "p01.txt", creatingUser=u)
    for quote, code in (
        ("it was chaos", chaos),
        ("Nobody told me where the linen was.", chaos),
        ("they covered for me when I froze", support),
        ("the quiet was the worst part", nights),
    ):
        q.select(src, WARD, quote, "utf16-crlf2", code, u)
    var = q.el(
        q.box("Variables"),
        "Variable",
        guid=gid("nvw", "var", "age"),
        name="Age",
        typeOfVariable="Integer",
    )
    case = q.el(q.box("Cases"), "Case", guid=gid("nvw", "case", "p01"), name="P01")
    vv = q.el(case, "VariableValue")
    q.el(vv, "VariableRef", targetGUID=var.get("guid"))
    q.el(vv, "IntegerValue").text = "34"
    q.el(case, "SourceRef", targetGUID=src.get("guid"))
    note = q.el(
        q.box("Notes"), "Note", guid=gid("nvw", "note"), name="Memo on chaos", creatingUser=u
    )
    q.el(note, "PlainTextContent").text = "Chaos comes up in every first-week story."
    st = q.el(q.box("Sets"), "Set", guid=gid("nvw", "set"), name="Belonging")
    q.el(st, "MemberCode", targetGUID=support.get("guid"))
    write_zip(
        HERE / "nvivo_windows.qdpx",
        {
            "project.qde": q.bytes(),
            "Sources/p01.txt": WARD.encode("utf-8"),
        },
    )
    return q.expected


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    import datetime

    d.core_properties.created = datetime.datetime(2024, 5, 6, 10, 0, 0)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def nvivo_mac() -> list[dict[str, str]]:
    paras = [
        "Interviewer: What made you stay?",
        "P02: The mentor scheme. My mentor rang me every Sunday.",
        "Interviewer: And the pay?",
        "P02: The pay is not why anyone stays, trust me.",
    ]
    text = "\n".join(paras)
    q = Qde("Retention", "NVivo for Mac 14.0", "nvm")
    u = q.user("Sam Okafor")
    mentor = q.code("Mentoring", "#AA66CC")
    pay = q.code("Pay", "#FFBB33")
    src = q.source(
        "P02 retention", plainTextPath="internal://p02.txt", richTextPath="internal://p02.docx"
    )
    q.select(src, text, "My mentor rang me every Sunday", "codepoint-crlf1", mentor, u)
    q.select(src, text, "The pay is not why anyone stays", "codepoint-crlf1", pay, u)
    write_zip(
        HERE / "nvivo_mac.qdpx",
        {
            "project.qde": q.bytes(),
            "sources/.root": b"",
            "sources/p02.txt": b"\n",
            "sources/p02.docx": _docx(paras),
        },
    )
    return q.expected


ATLAS = (
    "Interviewer: Where did you meet the others?\r\n"
    "P03: At the cafe\u0301 near the station, every Friday.\r\n"
    "P03: We swapped rotas there and nobody from management came.\r\n"
)


def atlasti() -> list[dict[str, str]]:
    q = Qde("Rota talk", "ATLAS.ti 23.2.1", "atl")
    u = q.user("Lee Park")
    informal = q.code("Informal spaces", "#0099CC", "Places outside work.")
    rota = q.code("Rota swapping", "#669900")
    src = q.source("P03 cafe", plainTextPath="internal://p03.txt")
    q.select(src, ATLAS, "every Friday", "codepoint-crlf1", informal, u)
    q.select(src, ATLAS, "We swapped rotas there", "codepoint-crlf1", rota, u)
    q.select(src, ATLAS, "nobody from management came", "codepoint-crlf1", informal, u)
    for e in q.expected:
        e["quote"] = e["quote"].replace("cafe\u0301", "café")
    write_zip(
        HERE / "atlasti.qdpx", {"project.qde": q.bytes(), "sources/p03.txt": ATLAS.encode("utf-8")}
    )
    return q.expected


MAX_A = "Interviewer: Tell me about handover.\r\nP04: Handover is rushed, we get five minutes at most.\r\n"
MAX_B = (
    "Interviewer: And at the weekend?\r\nP04: Weekends are calmer, handover takes longer then.\r\n"
)


def maxqda() -> list[dict[str, str]]:
    """A loose .qde with its sources in a folder; origin unknown to us."""
    folder = HERE / "maxqda"
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    q = Qde("Handover", "MAXQDA 2022 (Release 22.7.0)", "mxq")
    u = q.user("Ira Novak")
    rushed = q.code("Rushed handover", "#CC0000")
    calm = q.code("Calm weekend", "#33B5E5")
    a = q.source("Interview P04", plainTextPath="a.txt")
    b = q.source("Interview P04", plainTextPath="b.txt")  # several sources of one name
    q.select(a, MAX_A, "we get five minutes at most", "codepoint-crlf1", rushed, u)
    q.select(b, MAX_B, "Weekends are calmer", "codepoint-crlf1", calm, u)
    q.select(b, MAX_B, "handover takes longer then", "codepoint-crlf1", calm, u)
    s, e = span(MAX_A, "Handover is rushed", "codepoint-crlf1")
    comment = q.el(
        a,
        "PlainTextSelection",
        guid=gid("mxq", "comment"),
        startPosition=str(s),
        endPosition=str(e),
    )
    q.el(comment, "Description").text = "Said with a sigh."
    case = q.el(q.box("Cases"), "Case", guid=gid("mxq", "case"))  # no name attribute
    q.el(case, "SourceRef", targetGUID=a.get("guid"))
    for e in q.expected[1:]:
        e["source"] = "Interview P04 (2)"  # the importer renames the second one
    (folder / "project.qde").write_bytes(q.bytes())
    (folder / "sources" / "a.txt").write_bytes(MAX_A.encode("utf-8"))
    (folder / "sources" / "b.txt").write_bytes(MAX_B.encode("utf-8"))
    return q.expected


QC = "I: What do you code first?\nR: I always start with the surprises.\nR: Then the quiet bits nobody mentions.\n"


def qc() -> list[dict[str, str]]:
    q = Qde("qc corpus", "qc", "qcx")
    u = q.user("chris")
    surprise = q.code("surprise", "#FF8800")
    quiet = q.code("silence", "#888888")
    src = q.source("interview-05", plainTextPath="interview-05.txt")  # bare, no internal://
    q.select(
        src,
        QC,
        "R: I always start with the surprises.",
        "codepoint-crlf1",
        surprise,
        u,
        name="line:2",
    )
    q.select(
        src,
        QC,
        "R: Then the quiet bits nobody mentions.",
        "codepoint-crlf1",
        quiet,
        u,
        name="line:3",
    )
    write_zip(
        HERE / "qc.qdpx", {"project.qde": q.bytes(), "sources/interview-05.txt": QC.encode("utf-8")}
    )
    return q.expected


BOM = "Interviewer: How is the new rota?\r\nP06: Ça va, but the early starts are brutal.\r\nP06: I miss breakfast with my kids.\r\n"


def bom_crlf() -> list[dict[str, str]]:
    q = Qde("Rota survey", "QualCoder 3.5", "bom")
    u = q.user("Ana Souza")
    early = q.code("Early starts", "#9933CC")
    family = q.code("Family time", "#99CC00")
    src = q.source("P06 rota", plainTextPath="internal://p06.txt")
    # QualCoder counts code points over its text with LF line breaks
    lf = BOM.replace("\r\n", "\n")
    q.select(src, lf, "the early starts are brutal", "codepoint-crlf2", early, u)
    q.select(src, lf, "I miss breakfast with my kids", "codepoint-crlf2", family, u)
    write_zip(
        HERE / "bom_crlf.qdpx",
        {"project.qde": q.bytes(), "sources/p06.txt": b"\xef\xbb\xbf" + BOM.encode("utf-8")},
    )
    return q.expected


def unknown_utf16() -> list[dict[str, str]]:
    """No origin: the word-boundary test must find NVivo's UTF-16 offsets by itself."""
    q = Qde("No origin", "", "unk")
    u = q.user("Dana Whitfield")
    chaos = q.code("Chaos", "#E03C31")
    src = q.source("P01 copy", plainTextPath="internal://p01.txt")
    for quote in (
        "Nobody told me where the linen was.",
        "they covered for me when I froze",
        "the quiet was the worst part",
    ):
        q.select(src, WARD, quote, "utf16-crlf2", chaos, u)
    q.root.attrib.pop("origin")
    write_zip(
        HERE / "unknown_utf16.qdpx",
        {"project.qde": q.bytes(), "sources/p01.txt": WARD.encode("utf-8")},
    )
    return q.expected


def bad() -> None:
    """Archives that must be refused, each for one reason."""
    out = HERE / "bad"
    out.mkdir(exist_ok=True)
    good = (HERE / "atlasti.qdpx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        qde, text = z.read("project.qde"), z.read("sources/p03.txt")
    write_zip(out / "traversal.qdpx", {"project.qde": qde, "../../evil.txt": text})
    write_zip(out / "malformed.qdpx", {"project.qde": qde[:-40]})
    doctype = (
        b'<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n'
        + qde.split(b"?>", 1)[1]
    )
    write_zip(out / "doctype.qdpx", {"project.qde": doctype, "sources/p03.txt": text})
    write_zip(out / "missing_source.qdpx", {"project.qde": qde})
    root = etree.fromstring(qde)
    sel = root.find(f".//{{{NS}}}PlainTextSelection")
    sel.set("startPosition", "900")
    sel.set("endPosition", "950")
    write_zip(
        out / "outside.qdpx",
        {
            "project.qde": etree.tostring(root, xml_declaration=True, encoding="UTF-8"),
            "sources/p03.txt": text,
        },
    )
    root = etree.fromstring(qde)
    codes = root.findall(f".//{{{NS}}}Code")
    codes[1].set("guid", codes[0].get("guid"))
    write_zip(
        out / "duplicate_guids.qdpx",
        {
            "project.qde": etree.tostring(root, xml_declaration=True, encoding="UTF-8"),
            "sources/p03.txt": text,
        },
    )


QUALCODER_SCHEMA = """
CREATE TABLE project (databaseversion text, date text, memo text, about text, bookmarkfile integer, bookmarkpos integer, codername text);
CREATE TABLE source (id integer primary key, name text, fulltext text, mediapath text, memo text, owner text, date text, av_text_id integer, risid integer, unique(name));
CREATE TABLE code_cat (catid integer primary key, name text, owner text, date text, memo text, supercatid integer, unique(name));
CREATE TABLE code_name (cid integer primary key, name text, memo text, catid integer, owner text, date text, color text, unique(name));
CREATE TABLE code_text (ctid integer primary key, cid integer, fid integer, seltext text, pos0 integer, pos1 integer, owner text, date text, memo text, avid integer, important integer, unique(cid, fid, pos0, pos1, owner));
CREATE TABLE cases (caseid integer primary key, name text, memo text, owner text, date text, constraint ucm unique(name));
CREATE TABLE case_text (id integer primary key, caseid integer, fid integer, pos0 integer, pos1 integer, owner text, date text, memo text);
CREATE TABLE attribute_type (name text primary key, date text, owner text, memo text, caseOrFile text, valuetype text);
CREATE TABLE attribute (attrid integer primary key, name text, attr_type text, value text, id integer, date text, owner text, unique(name, attr_type, id));
CREATE TABLE annotation (anid integer primary key, fid integer, pos0 integer, pos1 integer, memo text, owner text, date text);
CREATE TABLE journal (jid integer primary key, name text, jentry text, date text, owner text, unique(name));
CREATE TABLE code_image (imid integer primary key, id integer, x1 real, y1 real, width real, height real, cid integer, memo text, date text, owner text, important integer);
"""

QC_TEXT = "Interviewer: What changed after the merger?\nP07: Everything 😬 the rota, the managers, even the coffee.\nP07: I lost my best mentor in the shuffle.\n"


def qualcoder(folder: Path, version: str) -> list[dict[str, str]]:
    import sqlite3

    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "data.qda"
    db.unlink(missing_ok=True)
    conn = sqlite3.connect(db)
    conn.executescript(QUALCODER_SCHEMA)
    d = "2024-05-06 10:00:00"
    conn.execute(
        "INSERT INTO project VALUES (?, ?, '', 'QualCoder 3.5', 0, 0, 'kim')", (version, d)
    )
    conn.execute(
        "INSERT INTO source VALUES (1, 'P07 merger', ?, NULL, 'Long interview.', 'kim', ?, NULL, NULL)",
        (QC_TEXT, d),
    )
    conn.execute(
        "INSERT INTO source VALUES (2, 'photo.jpg', NULL, '/images/photo.jpg', '', 'kim', ?, NULL, NULL)",
        (d,),
    )
    conn.execute(
        "INSERT INTO code_cat VALUES (1, 'Change', 'kim', ?, 'Organisational change.', NULL)", (d,)
    )
    conn.execute(
        "INSERT INTO code_name VALUES (1, 'Disruption', 'Things breaking.', 1, 'kim', ?, '#FF6666')",
        (d,),
    )
    conn.execute(
        "INSERT INTO code_name VALUES (2, 'Lost mentor', '', NULL, 'kim', ?, '#6666FF')", (d,)
    )
    expected = []
    for ctid, (cid, code, quote, owner) in enumerate(
        [
            (1, "Disruption", "the rota, the managers, even the coffee", "kim"),
            (2, "Lost mentor", "I lost my best mentor in the shuffle", "jo"),
        ],
        start=1,
    ):
        i = QC_TEXT.index(quote)
        conn.execute(
            "INSERT INTO code_text VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, NULL, 0)",
            (ctid, cid, quote, i, i + len(quote), owner, d, "Key line." if ctid == 2 else ""),
        )
        expected.append({"source": "P07 merger", "code": code, "quote": quote})
    conn.execute("INSERT INTO cases VALUES (1, 'P07', 'Ward manager', 'kim', ?)", (d,))
    conn.execute("INSERT INTO case_text VALUES (1, 1, 1, 0, ?, 'kim', ?, '')", (len(QC_TEXT), d))
    conn.execute(
        "INSERT INTO attribute_type VALUES ('years', ?, 'kim', '', 'case', 'numeric')", (d,)
    )
    conn.execute(
        "INSERT INTO attribute_type VALUES ('site', ?, 'kim', '', 'case', 'character')", (d,)
    )
    conn.execute(
        "INSERT INTO attribute_type VALUES ('wordcount', ?, 'kim', '', 'file', 'numeric')", (d,)
    )
    conn.execute("INSERT INTO attribute VALUES (1, 'years', 'case', '12', 1, ?, 'kim')", (d,))
    conn.execute("INSERT INTO attribute VALUES (2, 'site', 'case', 'North', 1, ?, 'kim')", (d,))
    i = QC_TEXT.index("Everything")
    conn.execute(
        "INSERT INTO annotation VALUES (1, 1, ?, ?, 'Laughs here.', 'kim', ?)", (i, i + 10, d)
    )
    conn.execute(
        "INSERT INTO journal VALUES (1, 'Day one', 'Two interviews done.', ?, 'kim')", (d,)
    )
    conn.execute("INSERT INTO code_image VALUES (1, 2, 0, 0, 10, 10, 1, '', ?, 'kim', 0)", (d,))
    conn.commit()
    conn.close()
    return expected


TAGUETTE_SCHEMA = """
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
CREATE TABLE users (login VARCHAR(30) PRIMARY KEY, created DATETIME NOT NULL, hashed_password VARCHAR(192), password_set_date DATETIME, language VARCHAR(10), email VARCHAR(256), email_sent DATETIME);
CREATE TABLE projects (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(200) NOT NULL, description TEXT NOT NULL, created DATETIME NOT NULL);
CREATE TABLE documents (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(200) NOT NULL, description TEXT NOT NULL, filename VARCHAR(200) NOT NULL, created DATETIME NOT NULL, project_id INTEGER NOT NULL, text_direction VARCHAR(13) NOT NULL, contents TEXT NOT NULL);
CREATE TABLE commands (id INTEGER PRIMARY KEY AUTOINCREMENT, date DATETIME NOT NULL, user_login VARCHAR(30) NOT NULL, project_id INTEGER NOT NULL, document_id INTEGER, payload TEXT NOT NULL);
CREATE TABLE highlights (id INTEGER PRIMARY KEY AUTOINCREMENT, document_id INTEGER NOT NULL, start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, snippet TEXT NOT NULL);
CREATE TABLE tags (id INTEGER PRIMARY KEY AUTOINCREMENT, project_id INTEGER NOT NULL, path VARCHAR(200) NOT NULL, description TEXT NOT NULL, UNIQUE (project_id, path));
CREATE TABLE highlight_tags (highlight_id INTEGER NOT NULL, tag_id INTEGER NOT NULL, PRIMARY KEY (highlight_id, tag_id));
"""

TAGUETTE_HTML = (
    "<p>Interviewer: Where do you feel safe?</p>\n"
    "<p>P08: In the café 😊 by the clinic, &amp; nowhere <b>else</b> really.</p>\n"
    "<p>P08: At home I can finally breathe.</p>"
)


def taguette(path: Path, revision: str) -> list[dict[str, str]]:
    import sqlite3

    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(TAGUETTE_SCHEMA)
    conn.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
    conn.execute(
        "INSERT INTO users VALUES ('ana', '2024-05-06 10:00:00', NULL, NULL, NULL, NULL, NULL)"
    )
    conn.execute(
        "INSERT INTO projects VALUES (1, 'Safe places', 'Where people feel safe.', '2024-05-06 10:00:00')"
    )
    conn.execute(
        "INSERT INTO documents VALUES (1, 'P08 safety', 'Second interview', 'p08.docx', '2024-05-06 10:00:00', 1, 'LEFT_TO_RIGHT', ?)",
        (TAGUETTE_HTML,),
    )
    conn.execute(
        "INSERT INTO tags VALUES (1, 1, 'safe-place', 'A place where the participant feels safe.')"
    )
    conn.execute("INSERT INTO tags VALUES (2, 1, 'home', 'Home as refuge.')")
    # the text Taguette counts: text nodes only, in UTF-8 bytes
    import html as html_lib
    import re as re_lib

    nodes = html_lib.unescape(re_lib.sub(r"<[^>]+>", "", TAGUETTE_HTML)).encode("utf-8")
    expected = []
    for hid, (quote, tags) in enumerate(
        [("nowhere else really", [1]), ("At home I can finally breathe", [1, 2])], start=1
    ):
        start = nodes.index(quote.encode("utf-8"))
        conn.execute(
            "INSERT INTO highlights VALUES (?, 1, ?, ?, ?)",
            (hid, start, start + len(quote.encode("utf-8")), quote.replace("else", "<b>else</b>")),
        )
        for tag in tags:
            conn.execute("INSERT INTO highlight_tags VALUES (?, ?)", (hid, tag))
            expected.append(
                {"source": "P08 safety", "code": ["safe-place", "home"][tag - 1], "quote": quote}
            )
        conn.execute(
            "INSERT INTO commands VALUES (?, '2024-05-06 11:00:00', 'ana', 1, 1, ?)",
            (
                hid,
                json.dumps(
                    {
                        "type": "highlight_add",
                        "highlight_id": hid,
                        "start_offset": start,
                        "tags": tags,
                    }
                ),
            ),
        )
    conn.commit()
    conn.close()
    return expected


def main() -> None:
    expected = {
        "nvivo_windows.qdpx": nvivo_windows(),
        "nvivo_mac.qdpx": nvivo_mac(),
        "atlasti.qdpx": atlasti(),
        "maxqda/project.qde": maxqda(),
        "qc.qdpx": qc(),
        "bom_crlf.qdpx": bom_crlf(),
        "unknown_utf16.qdpx": unknown_utf16(),
        "qualcoder_study.qda": qualcoder(HERE / "qualcoder_study.qda", "v11"),
        "taguette.sqlite3": taguette(HERE / "taguette.sqlite3", "e2c673393d89"),
    }
    (HERE / "expected.json").write_text(
        json.dumps(expected, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    bad()
    qualcoder(HERE / "bad" / "future.qda", "v99")
    taguette(HERE / "bad" / "future_taguette.sqlite3", "ffffffffffff")


if __name__ == "__main__":
    main()
