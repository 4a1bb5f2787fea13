"""A review as a GitHub/Jira-ready Markdown checklist; untrusted text is made inert."""

from __future__ import annotations

import re

from uireview.export.words import (
    cost_line,
    date_words,
    dismissed_findings,
    findings_line,
    loop_line,
    naming,
    one_line,
    status_words,
    was_label,
    where,
)
from uireview.findings import Finding, Review
from uireview.inert import break_autolinks

# Inline Markdown (CommonMark + GitHub: emphasis, code, links, images, HTML, entities, tables,
# strikethrough, math) starts with one of these; all are ASCII punctuation, so a backslash
# makes each literal. "." "-" "+" "#" only matter at a line start, which escaped text never is.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()<>!&|~$])")


def md_text(text: str | None) -> str:
    """Untrusted text as inert Markdown on one line: no links, images, HTML, emphasis or math."""
    return _MD_SPECIAL.sub(r"\\\1", break_autolinks(one_line(text)))


def _sentence(text: str) -> str:
    return text if text[-1:] in ".!?:;)" else text + "."


def _fence(text: str) -> str:
    """``text`` in a code fence longer than any backtick run inside it, so it cannot close early."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}text\n{text.rstrip()}\n{ticks}"


def _md_tags(f: Finding, review: Review) -> str:
    tags = [f.severity, md_text(f.category), f.source]
    if image := where(f, review):
        tags.append(image)
    if f.box is None:
        tags.append("whole screen")
    if f.status:
        tags.append(md_text(status_words(f.model_copy(update={"dismissed": None}))))
    return ", ".join(tags)


def to_markdown(review: Review) -> str:
    """The review as a GitHub/Jira-ready checklist, one ``- [ ]`` item per open finding.

    Against a baseline, each item says new or persisting and the resolved ones are listed
    (checked, struck); dismissed findings are listed apart, with their reason, not as work.
    """
    kind = "comparison" if review.kind == "compare" else "review"
    lines = [f"# UI {kind}: {md_text(review.preset)}", ""]
    images = ", ".join(f"{md_text(i.name)} ({i.width}×{i.height})" for i in review.images)
    lines.append(f"- **Date:** {md_text(date_words(review))}")
    lines.append(f"- **Images:** {images or 'none'}")
    lines.append(
        f"- **Model:** {md_text(review.model) if review.model else 'none (measured checks only)'}"
    )
    if cost := cost_line(review):
        lines.append(f"- **Cost:** {md_text(cost)}")
    if review.id:
        lines.append(f"- **Review id:** {md_text(review.id)}")
    lines.append(f"- **Findings:** {findings_line(review, noun=False)}")
    if loop := loop_line(review):
        lines.append(f"- **Against baseline {md_text(review.baseline)}:** {loop}")
    if review.note.strip():
        lines += ["", f"> **Note:** {md_text(review.note)}"]
    for message in [*review.notices, *([review.error] if review.error else [])]:
        lines += ["", f"> {md_text(message)}"]

    lines += ["", "## Findings", ""]
    if not review.open_findings():
        lines.append("No findings." if not review.findings else "No open findings.")
    for number, f in enumerate(review.findings, 1):
        if f.dismissed:
            continue
        item = f"- [ ] **{number}. {md_text(f.title) or 'Untitled'}** ({_md_tags(f, review)})"
        if named := naming(f):
            item += f" — where: {md_text(named)}."
        why = " ".join(_sentence(md_text(t)) for t in (f.evidence, f.detail) if one_line(t))
        if why:
            item += f" — {why}"
        if one_line(f.suggestion):
            item += f" Fix: {md_text(f.suggestion)}"
        lines.append(item)

    if review.resolved:
        lines += ["", "## Resolved since the baseline", ""]
        for f in review.resolved:
            lines.append(
                f"- [x] ~~{was_label(f)}{md_text(f.title) or 'Untitled'}~~ "
                f"({f.severity}, {md_text(f.category)})"
            )
    if dismissed := dismissed_findings(review):
        lines += ["", "## Dismissed (not counted)", ""]
        for n, f in dismissed:
            label = f"{n}. " if n else ""
            origin = "" if n else ", in the baseline"
            lines.append(
                f"- {label}{md_text(f.title) or 'Untitled'} ({f.severity}, "
                f"{md_text(f.category)}{origin}) — dismissed: {md_text(f.dismissed)}"
            )

    if review.raw_reply and not any(f.source == "model" for f in review.findings):
        lines += ["", "## Model reply (not readable as findings)", "", _fence(review.raw_reply)]
    return "\n".join(lines) + "\n"
