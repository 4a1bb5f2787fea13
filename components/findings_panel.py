"""The numbered list of findings beside the image; selecting one highlights its mark."""

from __future__ import annotations

import streamlit as st

from components.safe_text import md_escape
from uireview.findings import Finding, Review
from uireview.pipeline import nothing_found_message

SEVERITY_BADGE = {
    "critical": ("Critical", "red"),
    "major": ("Major", "orange"),
    "minor": ("Minor", "blue"),
    "info": ("Info", "gray"),
}


def selected_key(scope: str) -> str:
    return f"{scope}_selected"


def finding_card(
    number: int, finding: Finding, *, scope: str, multi_image: bool, action=None
) -> None:
    selected = st.session_state.get(selected_key(scope)) == number
    with st.container(border=True, key=f"{scope}_finding_{number}"):
        label, colour = SEVERITY_BADGE.get(finding.severity, ("Info", "gray"))
        head = st.columns([1, 5], vertical_alignment="center")
        head[0].markdown(f"### {number}")
        with head[1]:
            badges = st.container(horizontal=True, gap="small")
            badges.badge(label, color=colour)
            badges.badge(md_escape(finding.category), color="violet")
            badges.badge(
                "measured" if finding.source == "measured" else "Grok",
                icon=":material/straighten:"
                if finding.source == "measured"
                else ":material/auto_awesome:",
                color="green" if finding.source == "measured" else "primary",
            )
            if multi_image:
                badges.badge(f"image {finding.image + 1}", color="gray")
        st.markdown(f"**{md_escape(finding.title)}**")
        if finding.evidence:
            st.caption(md_escape(finding.evidence))
        if finding.detail:
            st.markdown(md_escape(finding.detail))
        if finding.suggestion:
            st.markdown(f"**Fix:** {md_escape(finding.suggestion)}")
        if finding.box is None:
            st.caption("Applies to the whole screen (no single place).")
        elif selected:
            if st.button(
                "Showing on image · clear",
                key=f"{scope}_clear_{number}",
                icon=":material/visibility_off:",
                type="primary",
            ):
                st.session_state[selected_key(scope)] = None
                st.rerun()
        elif st.button(
            f"Show #{number} on image", key=f"{scope}_show_{number}", icon=":material/my_location:"
        ):
            st.session_state[selected_key(scope)] = number
            st.rerun()
        if action is not None:
            action(number, finding)


def findings_panel(review: Review, *, scope: str = "review", action=None) -> None:
    """The numbered findings; ``action(number, finding)`` may add a control to each card."""
    findings = review.findings
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITY_BADGE}
    summary = " · ".join(f"{n} {s}" for s, n in counts.items() if n)
    st.subheader(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}")
    if summary:
        st.caption(summary)
    if not findings:
        st.info(nothing_found_message(review), icon=":material/check_circle:")
    multi = len(review.images) > 1
    for number, finding in enumerate(findings, 1):
        finding_card(number, finding, scope=scope, multi_image=multi, action=action)
