"""The numbered list of findings beside the image: compact cards, filters, Show on image.

A card says what and where in two lines (number, title, place, ratio, severity); the
evidence, detail and fix open under "Details". Numbers stay those drawn on the image when
a filter hides some cards.
"""

from __future__ import annotations

import html

import streamlit as st
from PIL import Image

from components.safe_text import md_escape
from uireview.findings import SEVERITY_ORDER, Box, Finding, Review
from uireview.pipeline import nothing_found_message

SEVERITY_LABEL = {"critical": "Critical", "major": "Major", "minor": "Minor", "info": "Info"}


def selected_key(scope: str) -> str:
    return f"{scope}_selected"


def tab_key(scope: str) -> str:
    return f"{scope}_image_tab"


def _show(scope: str, number: int | None, tab: str | None) -> None:
    # A callback, so the image's tab can be switched before the tabs are drawn this run.
    st.session_state[selected_key(scope)] = number
    if tab is not None:
        st.session_state[tab_key(scope)] = tab


def ratio_text(finding: Finding) -> str:
    """ "1.65:1, needs 4.5:1" for a measured contrast finding; "" for others."""
    m = finding.metrics
    ratio, required = m.get("ratio"), m.get("required")
    # Other checks keep ratios too (hierarchy: title size over body size), not contrast ones.
    if not finding.rule.startswith("contrast") or not isinstance(ratio, (int, float)):
        return ""
    return f"{ratio:.2f}:1" + (
        f", needs {required:g}:1" if isinstance(required, (int, float)) else ""
    )


def _head(number: int, finding: Finding, multi_image: bool) -> str:
    """The card's first lines as HTML; every value from the finding is escaped."""
    e = html.escape
    sev = finding.severity if finding.severity in SEVERITY_LABEL else "info"
    # A dismissed finding keeps its number and card, muted: its pin is off the image.
    pin = "dismissed" if finding.dismissed else sev
    meta = [f'<span class="uir-chip uir-sev-{sev}">{SEVERITY_LABEL[sev]}</span>']
    meta.append(f'<span class="uir-chip">{e(finding.category)}</span>')
    where = [finding.place] if finding.place else []
    if multi_image:
        where.append(f"image {finding.image + 1}")
    facts = [*where]
    ratio = ratio_text(finding)
    if ratio and ratio.split(",")[0] not in finding.title:  # titles may quote it already
        facts.append(ratio)
    facts.append("measured" if finding.source == "measured" else "Grok")
    meta.append(e(" · ".join(facts)))
    return (
        f'<div class="uir-head{" uir-dismissed" if finding.dismissed else ""}">'
        f'<span class="uir-pin uir-sev-{pin}" aria-hidden="true">{number}</span>'
        f'<div><p class="uir-title"><span class="uir-sr">Finding {number}: </span>'
        f"{e(finding.title)}</p>"
        f'<p class="uir-meta">{" ".join(meta)}</p></div></div>'
    )


def place_crop(pixels, box: Box, pad: int = 24, width: int = 360) -> Image.Image | None:
    """The finding's place with a margin of its surroundings, enlarged when small."""
    h, w = pixels.shape[:2]
    b = Box(box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad).clamp(w, h)
    if b.area == 0:  # a box outside the image (a model's guess): nothing to show
        return None
    crop = Image.fromarray(pixels[b.y0 : b.y1, b.x0 : b.x1])
    if crop.width < width:  # small text reads better enlarged than as a speck
        factor = min(3.0, width / max(1, crop.width))
        crop = crop.resize((round(crop.width * factor), round(crop.height * factor)))
    return crop


def finding_card(
    number: int,
    finding: Finding,
    *,
    scope: str,
    multi_image: bool,
    tab: str | None = None,
    action=None,
    pixels=None,
) -> None:
    selected = st.session_state.get(selected_key(scope)) == number
    with st.container(border=True, key=f"{scope}_finding_{number}"):
        st.html(_head(number, finding, multi_image))
        row = st.container(
            horizontal=True, gap="small", vertical_alignment="top", key=f"uir_row_{scope}_{number}"
        )
        if finding.box is None:
            row.caption("Applies to the whole screen (no single place).")
        elif selected:
            row.button(
                "Showing on image · clear",
                key=f"{scope}_clear_{number}",
                icon=":material/visibility_off:",
                type="primary",
                on_click=_show,
                args=(scope, None, None),
            )
        else:
            row.button(
                f"Show #{number} on image",
                key=f"{scope}_show_{number}",
                icon=":material/my_location:",
                on_click=_show,
                args=(scope, number, tab),
            )
        if action is not None:
            with row:
                action(number, finding)
        crop = None
        if pixels is not None and finding.box is not None:
            crop = place_crop(pixels, finding.box)
        if crop or finding.evidence or finding.detail or finding.suggestion or finding.text:
            with st.expander(f"Details of #{number}"):  # full width: crop and fix read better
                if crop is not None:
                    where = finding.text or finding.place or f"finding {number}"
                    st.image(
                        crop,
                        alt=f"The place of #{number}: {where}",
                        width="content",
                    )
                if finding.text:
                    st.markdown(f"**Text:** “{md_escape(finding.text)}”")
                if finding.evidence:
                    st.markdown(f"**Evidence:** {md_escape(finding.evidence)}")
                if finding.detail:
                    st.markdown(md_escape(finding.detail))
                if finding.suggestion:
                    st.markdown(f"**Fix:** {md_escape(finding.suggestion)}")


def _filters(findings: list[Finding], scope: str) -> tuple[set[str], set[str]]:
    severities = sorted({f.severity for f in findings}, key=lambda s: SEVERITY_ORDER.get(s, 9))
    categories = sorted({f.category for f in findings})
    if len(findings) < 4 or (len(severities) < 2 and len(categories) < 2):
        return set(severities), set(categories)
    # One row each: the list column is narrow, and side by side the pills were cut off.
    with st.container(gap="small"):
        chosen_sev = st.pills(
            "Severity",
            severities,
            selection_mode="multi",
            default=severities,
            format_func=lambda s: SEVERITY_LABEL.get(s, s),
            key=f"{scope}_filter_severity",
        )
        chosen_cat = st.pills(
            "Category",
            categories,
            selection_mode="multi",
            default=categories,
            key=f"{scope}_filter_category",
        )
    # Nothing chosen in a row means no filter on it, not "hide everything".
    return set(chosen_sev or severities), set(chosen_cat or categories)


def findings_panel(
    review: Review,
    *,
    scope: str = "review",
    action=None,
    tabs: list[str] | None = None,
    pixels: list | None = None,
) -> None:
    """The numbered findings; ``action(number, finding)`` may add a control to each card.

    ``tabs`` are the image tab labels (one per image) that Show switches to; with the
    images' ``pixels`` (RGB arrays) each card's details show a crop of its place.
    """
    findings = review.findings
    open_ = review.open_findings()  # a dismissed finding is listed (muted) but not counted
    counts = {s: sum(1 for f in open_ if f.severity == s) for s in SEVERITY_LABEL}
    summary = " · ".join(f"{n} {s}" for s, n in counts.items() if n)
    if dismissed := len(findings) - len(open_):
        summary += (" · " if summary else "") + f"{dismissed} dismissed"
    st.subheader(f"{len(open_)} finding{'s' if len(open_) != 1 else ''}")
    if summary:
        st.caption(summary)
    if not findings:
        st.info(nothing_found_message(review), icon=":material/check_circle:")
        return
    severities, categories = _filters(findings, scope)
    multi = len(review.images) > 1
    shown = 0
    for number, finding in enumerate(findings, 1):
        if finding.severity not in severities or finding.category not in categories:
            continue
        shown += 1
        tab = tabs[finding.image] if tabs and multi and finding.image < len(tabs) else None
        mine = pixels[finding.image] if pixels and finding.image < len(pixels) else None
        finding_card(
            number,
            finding,
            scope=scope,
            multi_image=multi,
            tab=tab,
            action=action,
            pixels=mine,
        )
    if shown < len(findings):
        st.caption(f"Showing {shown} of {len(findings)}; the filters above hide the rest.")
