"""The minutes (会议纪要) of a joint review session as a .docx: who met, what was reviewed, each unit's
opinion, the decisions and the follow-ups with their owners and dates."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from touzi.approvals.models import ReviewSession
from touzi.lib.periods import date_text


def _font(document: DocumentObject) -> None:
    style = document.styles["Normal"]
    style.font.name = "FangSong"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")


def minutes_docx(session: ReviewSession) -> bytes:
    document = Document()
    _font(document)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"{session.title}会议纪要")
    run.bold, run.font.size = True, Pt(22)
    document.add_paragraph(
        f"{date_text(session.held_on)},{session.convened_by.label}召集{session.get_kind_display()}会议,"
        f"{'、'.join(u.label for u in session.units.all()) or '有关单位'}参加。现将会议议定事项纪要如下:")
    reviewed = list(session.approvals.select_related("project", "kind", "approving_unit").order_by(
        "project__name", "kind__order"))
    document.add_heading("一、审查事项", level=2)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("项目代码", "项目名称", "审批事项", "审批部门"), strict=True):
        cell.text = text
    for a in reviewed:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = a.project.code or "—", a.project.name
        cells[2].text, cells[3].text = a.kind.name, a.approving_unit.label if a.approving_unit else "—"
    document.add_heading("二、各单位意见", level=2)
    opinions = session.opinions.select_related("unit", "project")
    for o in opinions:
        about = f"(关于{o.project.name})" if o.project else ""
        document.add_paragraph(f"{o.unit.label}{about}:{o.opinion}")
    if not opinions:
        document.add_paragraph("各参会单位无不同意见。")
    document.add_heading("三、会议决定", level=2)
    document.add_paragraph(session.decisions or "审查事项实行并联审批,各审批部门按承诺时限办结。")
    document.add_heading("四、跟进事项", level=2)
    follow = document.add_table(rows=1, cols=4)
    follow.style = "Table Grid"
    for cell, text in zip(follow.rows[0].cells, ("序号", "事项", "责任单位", "完成时限"), strict=True):
        cell.text = text
    for i, f in enumerate(session.follow_ups.select_related("owner"), start=1):
        cells = follow.add_row().cells
        cells[0].text, cells[1].text, cells[2].text, cells[3].text = str(i), f.text, f.owner.label, \
            date_text(f.due_on)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
