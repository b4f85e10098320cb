"""Builders for the suggestion tests: a small patient-experience codebook and one interview."""

from __future__ import annotations

from thematic.models import Code, Codebook, Example, Rule, Segment
from thematic.suggest.embeddings import TfidfSvdBackend

TURNS: list[tuple[str, str]] = [
    ("interviewer", "Can you tell me about your first appointment?"),
    ("participant", "The consultant sat down, listened to everything I said and took my symptoms seriously."),
    ("participant", "Honestly, I felt like nobody believed me about the pain for years."),
    ("interviewer", "And how long did it take to be seen?"),
    ("participant", "We were stuck on the waiting list for nine months before anyone called."),
    ("participant", "I waited for 6 hours in A&E with a broken wrist."),
    ("participant", "The parking alone cost me twelve pounds every visit."),
    ("participant", "Paying for the prescriptions each month really adds up when you are not working."),
    ("participant", "I had to listen to the doctor explain the scan results twice because I was so nervous."),
    ("participant", "I can't wait to get back to playing football with my son."),
]
# the code each participant turn belongs to (None: none of the codes)
EXPECTED: dict[int, str | None] = {1: "heard", 2: "heard", 4: "wait", 5: "wait", 6: "cost", 7: "cost", 8: None, 9: None}


def build_codebook(content_hash: str = "test-v1") -> Codebook:
    heard = Code(
        id="heard",
        name="Feeling heard",
        definition="The participant describes staff listening to them, believing them and taking "
        "their concerns seriously.",
        inclusion="Being listened to, believed or respected by clinicians.",
        exclusion="The participant listening to staff or hearing information from them.",
        examples=(
            Example("The nurse really listened to me and took my worries seriously."),
            Example("For once the doctor believed me when I said the pain was real."),
            Example("Even the receptionist made me feel like my concerns mattered.", "atypical"),
            Example("I had to listen to the doctor explain the results twice.", "near_miss"),
        ),
        rules=(
            Rule("heard-kw", "keywords", ["listen", "believe", "take seriously"]),
            Rule("heard-x", "regex", r"\bI (?:had to )?listen(?:ed)? to the (?:doctor|nurse)", exclude=True),
        ),
    )
    wait = Code(
        id="wait",
        name="Waiting for care",
        definition="Delays, waiting lists and time spent waiting for appointments, tests or treatment.",
        examples=(
            Example("We were on the waiting list for eight months before the operation."),
            Example("I waited four hours in the emergency department."),
            Example("I can't wait to go on holiday after the treatment.", "near_miss"),
        ),
        rules=(
            Rule("wait-kw", "keywords", ["waiting list", "wait"]),
            Rule(
                "wait-pat",
                "pattern",
                [{"LEMMA": "wait"}, {"LOWER": "for"}, {"LIKE_NUM": True},
                 {"LOWER": {"IN": ["hours", "days", "weeks", "months"]}}],
                weight=0.5,
            ),
            Rule("wait-rx", "regex", r"\b(?:\d+|nine|six) (?:weeks|months)\b", roles=("participant",)),
        ),
    )
    cost = Code(
        id="cost",
        name="Financial burden",
        definition="Money worries: paying for treatment, prescriptions, travel, parking or time off work.",
        examples=(
            Example("The prescriptions cost me forty pounds a month."),
            Example("I lost wages every time I took a day off for appointments."),
        ),
        rules=(Rule("cost-kw", "keywords", ["cost", "pay", "prescription charge", "parking"]),),
    )
    return Codebook([heard, wait, cost], name="patient-experience", content_hash=content_hash)


def build_segments(turns: list[tuple[str, str]] = TURNS, *, document_id: int = 1) -> tuple[str, list[Segment]]:
    """The document text (turns joined by blank lines) and one turn segment per turn."""
    text = ""
    segments = []
    for i, (role, utterance) in enumerate(turns):
        if text:
            text += "\n\n"
        start = len(text)
        text += utterance
        segments.append(
            Segment(
                id=100 + i, document_id=document_id, turn_id=i, kind="turn", start=start,
                end=len(text), text=utterance, speaker="P1" if role == "participant" else "I",
                role=role, participant="P1" if role == "participant" else None,
            )
        )
    return text, segments


class RecordingEncoder:
    """A pre-trained-like backend (no fit per project) recording every text it encodes."""

    name = "recording"
    requires_fit = False

    def __init__(self, corpus: list[str]) -> None:
        self.inner = TfidfSvdBackend(n_components=6).fit(corpus)
        self.dim = self.inner.dim
        self.encoded: list[str] = []

    def fit(self, corpus):
        return self

    def encode(self, texts, *, batch_size=64, progress=None):
        self.encoded += list(texts)
        return self.inner.encode(list(texts), batch_size=batch_size)

    def versions(self):
        return {}


def halved_turns(participant_segments: list[Segment]) -> list[Segment]:
    """Each participant turn cut into two sentences (their texts as the turn's halves)."""
    out = []
    for seg in participant_segments:
        words = seg.text.split()
        halves = [" ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])]
        pos = seg.start
        for k, half in enumerate(halves):
            out.append(Segment(seg.id * 10 + k, seg.document_id, seg.turn_id, "sentence", pos,
                               pos + len(half), half, seg.speaker, seg.role, seg.participant, seg.prompt))
            pos += len(half) + 1
    return out
