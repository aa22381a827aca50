"""The protocol of a reception as DOCX, in the layout of 004 appendix 8 (R14, R33).

Requisites in order: the organisation, the kind of document, date and number, place, title;
the introduction (chair, secretary, those present, the agenda of questions "О ..."); the body,
one section per question in the scheme СЛУШАЛИ — ВЫСТУПИЛИ — ПОСТАНОВИЛИ in capitals; the
signatures of the chair and the secretary. Every label comes translated from the view, so
the same layout serves Kazakh and Russian.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"  # the usual face of Kazakhstan's official documents
FONT_SIZE = Pt(14)


@dataclass(frozen=True, slots=True)
class InstructionLine:
    executor: str
    text: str
    term: str  # the date and the control category, worded


@dataclass(frozen=True, slots=True)
class Section:
    title: str  # "Об обращении ...": also the agenda line
    heard: str
    spoke: str
    decision: str
    instructions: Sequence[InstructionLine] = ()


@dataclass(frozen=True, slots=True)
class Labels:
    document_kind: str  # ПРОТОКОЛ
    title: str  # личного приема граждан ...
    chair: str
    secretary: str
    present: str
    agenda: str
    heard: str  # СЛУШАЛИ
    spoke: str  # ВЫСТУПИЛИ
    decided: str  # ПОСТАНОВИЛИ
    instructions: str
    executor: str
    nobody_spoke: str


@dataclass(frozen=True, slots=True)
class ProtocolDocument:
    organisation: str
    date: str
    number: str
    place: str
    chair: str
    secretary: str
    labels: Labels
    attendees: Sequence[str] = ()
    sections: Sequence[Section] = field(default_factory=tuple)


def protocol_docx(protocol: ProtocolDocument) -> bytes:
    document = Document()
    _page(document)
    lab = protocol.labels
    _centred(document, protocol.organisation, bold=True)
    _centred(document, lab.document_kind, bold=True, space_before=12)
    _date_and_number(document, protocol.date, protocol.number)
    _centred(document, protocol.place)
    _centred(document, lab.title, bold=True, space_before=12)
    _labelled(document, lab.chair, protocol.chair, space_before=12)
    _labelled(document, lab.secretary, protocol.secretary)
    if protocol.attendees:
        _labelled(document, lab.present, "; ".join(protocol.attendees))
    _paragraph(document, lab.agenda, bold=True, space_before=12)
    for number, section in enumerate(protocol.sections, start=1):
        _paragraph(document, f"{number}. {section.title}")
    for number, section in enumerate(protocol.sections, start=1):
        _section(document, number, section, lab)
    _signature(document, lab.chair, protocol.chair, space_before=24)
    _signature(document, lab.secretary, protocol.secretary, space_before=12)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _section(document: Document, number: int, section: Section, lab: Labels) -> None:
    # 004 appendix 8: each section follows the agenda item; the scheme words in capitals.
    _paragraph(document, f"{number}. {section.title}", bold=True, space_before=12)
    _labelled(document, lab.heard, section.heard, block=True)
    _labelled(document, lab.spoke, section.spoke or lab.nobody_spoke, block=True)
    _labelled(document, lab.decided, section.decision, block=True)
    for index, line in enumerate(section.instructions, start=1):
        _paragraph(
            document,
            f"{number}.{index}. {line.text} ({lab.executor}: {line.executor}; {line.term})",
            indent=True,
        )


def _page(document: Document) -> None:
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = FONT_SIZE
    # Word picks a face per script slot; set the east-Asian one too so none falls back.
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(0)


def _paragraph(
    document: Document,
    text: str,
    *,
    bold: bool = False,
    space_before: int = 0,
    indent: bool = False,
) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(space_before)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.25)
    run = paragraph.add_run(text)
    run.bold = bold
    return paragraph


def _centred(document: Document, text: str, *, bold: bool = False, space_before: int = 0) -> None:
    paragraph = _paragraph(document, text, bold=bold, space_before=space_before)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _labelled(
    document: Document, label: str, text: str, *, block: bool = False, space_before: int = 0
) -> None:
    """`ЛАБЕЛ: text` in one line, or (for the scheme words) the label on its own line."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(space_before or (6 if block else 0))
    paragraph.add_run(f"{label}:").bold = True
    if block:
        body = document.add_paragraph(text)
        body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        body.paragraph_format.first_line_indent = Cm(1.25)
    else:
        paragraph.add_run(f" {text}")


def _date_and_number(document: Document, date_text: str, number: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(16.5), WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run(f"{date_text}\t№ {number}")


def _signature(document: Document, role: str, name: str, *, space_before: int) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(space_before)
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(16.5), WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run(f"{role}\t_______________ {name}")
