"""Generate the binary and specially-encoded ingest fixtures next to this script.

Run from the repository root with ``.venv/bin/python tests/data/ingest/make_fixtures.py``;
the outputs are committed, so tests never run this. Needs python-docx, odfpy, openpyxl
and reportlab (``.venv/bin/pip install reportlab``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

HERE = Path(__file__).resolve().parent

CP1252_TEXT = (
    "Interviewer: When you say it was \u201chard\u201d, what do you mean?\n"
    "Respondent: Well \u2013 it\u2019s hard to explain. The caf\u00e9 closed, and that was "
    "where we\u2019d all meet\u2026\n"
    "Interviewer: Did anyone try to reopen it?\n"
    "Respondent: Jos\u00e9 did, for a while. He\u2019s still \u201cworking on it\u201d, he says.\n"
)
UTF16_TEXT = (
    "Moderator: Welcome, everyone. Let\u2019s go round the table \u2014 who\u2019d like to "
    "start?\n"
    "Participant 1: I will. I\u2019m Zo\u00eb, I\u2019ve lived in Krak\u00f3w for three years.\n"
    "Participant 2: And I\u2019m \u0141ukasz. Born here.\n"
    "Moderator: What brought you here, Zo\u00eb?\n"
    "Participant 1: Work, at first.\n"
)
CRLF_TEXT = (
    "INTERVIEWER: How do you get to work?\r\n"
    "P03: By bus, mostly.\r\n"
    "The 42, when it turns up.\r\n"
    "\r\n"
    "INTERVIEWER: And when it doesn't?\r\n"
    "P03: Then I walk. It's forty minutes.\r\n"
    "\r\n"
)
SURVEY_ROWS = [
    [
        "respondent_id",
        "age_band",
        "site",
        "submitted",
        "q1_what_works",
        "q2_what_to_change",
        "rating",
    ],
    [
        "R001",
        "25-34",
        "North",
        dt.datetime(2024, 5, 2, 9, 30),
        "The team is supportive and the rota is published well in advance, which helps with "
        "childcare.",
        "Fewer meetings on Friday afternoons; most of them could be an email.",
        4,
    ],
    [
        "R002",
        "35-44",
        "South",
        dt.datetime(2024, 5, 3, 14, 5),
        "N/A",
        "More parking near the main entrance, the overflow car park is a long walk in the rain.",
        2,
    ],
    [
        "R003",
        "45-54",
        "North",
        dt.datetime(2024, 5, 3, 16, 45),
        "Flexible start times mean I can avoid the worst of the traffic on the ring road.",
        None,
        5,
    ],
]


def text_files() -> None:
    (HERE / "cafe_cp1252.txt").write_bytes(CP1252_TEXT.encode("cp1252"))
    (HERE / "focus_group_utf16.txt").write_bytes(UTF16_TEXT.encode("utf-16"))  # with BOM
    (HERE / "bus_crlf.txt").write_bytes(CRLF_TEXT.encode("utf-8"))


def docx_files() -> None:
    import docx

    d = docx.Document()
    d.core_properties.title = "Interview 4"
    d.core_properties.author = "Research team"
    d.add_heading("Interview 4 \u2014 Community garden volunteers", level=1)
    d.add_paragraph("Date: 14 March 2024")
    p = d.add_paragraph()
    p.add_run("Interviewer:").bold = True
    p.add_run(" How did you first get involved with the garden?")
    p = d.add_paragraph()
    p.add_run("Ruth").bold = True
    p.add_run("\tMy neighbour dragged me along to a work day. I stayed for the tea.")
    d.add_paragraph("After that I just kept coming back.")
    p = d.add_paragraph()
    p.add_run("Interviewer").bold = True
    p.add_run(": What keeps you coming back?")
    p = d.add_paragraph()
    p.add_run("Ruth:").bold = True
    p.add_run(" The people. And the courgettes.")
    d.add_heading("Follow-up by email", level=2)
    table = d.add_table(rows=3, cols=2)
    for row, cells in zip(
        table.rows,
        [
            ("Speaker", "Text"),
            ("Interviewer", "Anything to add?"),
            ("Ruth", "Only that we need more volunteers."),
        ],
    ):
        row.cells[0].text, row.cells[1].text = cells
    d.save(str(HERE / "garden_bold_labels.docx"))

    d = docx.Document()
    d.add_paragraph("Transcript", style="Title")
    d.add_paragraph("20 March 2024, 14:05")
    for stamp, speaker, text in [
        ("00:00:03", "Speaker 1", "Hello, can you hear me okay?"),
        ("00:00:05", "Speaker 2", "Yes, I can hear you fine."),
        ("00:00:09", "Speaker 1", "Great. Could you tell me about your role?"),
        ("00:01:12", "Speaker 2", "I coordinate the volunteers on Saturdays."),
    ]:
        d.add_paragraph(f"{stamp} {speaker}")
        d.add_paragraph(text)
        d.add_paragraph("")
    d.save(str(HERE / "word_transcribe.docx"))


def pdf_file() -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(HERE / "site_b_interview.pdf"), pagesize=A4)
    c.setTitle("Interview transcript")
    pages = [
        [
            "Interview transcript - Site B",
            "Interviewer: What would you change about the service?",
            "Participant: The waiting times. You ring and ring.",
            "Interviewer: Anything else?",
        ],
        ["Participant: More evening appointments.", "Some of us work until six."],
    ]
    for lines in pages:
        y = 800
        for line in lines:
            c.drawString(72, y, line)
            y -= 18
        c.showPage()
    c.save()


def odt_file() -> None:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, LineBreak, P, S, Span, Tab

    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text="Interview 9"))
    doc.text.addElement(P(text="Interviewer: How was the first winter?"))
    p = P(text="P09: ")
    p.addElement(Span(text="It was"))
    p.addText(" fine")
    p.addElement(LineBreak())
    p.addText("until")
    p.addElement(S(c=3))
    p.addText("it wasn't.")
    doc.text.addElement(p)
    p = P(text="Interviewer:")
    p.addElement(Tab())
    p.addText("Why?")
    doc.text.addElement(p)
    doc.text.addElement(P(text="P09: The boiler."))
    doc.save(str(HERE / "winter_interview.odt"))


def xlsx_file() -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Responses"
    for row in SURVEY_ROWS:
        sheet.append(row)
    book.save(HERE / "survey.xlsx")


def main() -> None:
    text_files()
    docx_files()
    pdf_file()
    odt_file()
    xlsx_file()


if __name__ == "__main__":
    main()
