"""The design loop on a finished review: what is new, persisting, resolved and dismissed,
and the owner's controls on each finding (dismiss with a reason, rate Grok's findings)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from components.safe_text import md_escape
from components.share_box import share_link
from uireview import pipeline
from uireview.findings import Finding, Review

REASONS = ("false", "by design", "won't fix")
STATUS_BADGE = {"new": ("New", "red"), "persisting": ("Persisting", "gray")}


def _line(f: Finding) -> str:
    return f"[{f.severity}] {f.category}: {f.title}"


def loop_summary(review: Review, pixels: list, baseline_pixels: list | None, *, scope: str) -> None:
    """Counts, the resolved findings struck through on both images, the carried dismissals."""
    if review.baseline:
        c = pipeline.loop_counts(review)
        with st.container(border=True, key=f"{scope}_loop"):
            st.markdown(
                f"**Against [an earlier review]({share_link(review.baseline)})**: "
                f"{c['new']} new · {c['persisting']} persisting · {c['resolved']} resolved"
                + (f" · {c['dismissed']} dismissed" if c["dismissed"] else "")
            )
            if review.resolved:
                st.markdown(
                    "\n".join(
                        f"- ~~{md_escape(_line(f))}~~ (was #{f.previous.get('number', '?')})"
                        for f in review.resolved
                    )
                )
                _resolved_images(review, pixels, baseline_pixels, scope)
            else:
                st.caption("Nothing from the earlier review is gone yet.")
    if review.dismissed:
        with st.expander(f"{len(review.dismissed)} dismissed earlier (not counted)"):
            for f in review.dismissed:
                st.markdown(f"- {md_escape(_line(f))} · _{md_escape(f.dismissed or '')}_")


def _resolved_images(review: Review, pixels: list, baseline_pixels: list | None, scope: str):
    images = sorted({f.image for f in review.resolved if f.box is not None})
    if not images:
        return
    with st.expander("Resolved, on both images", expanded=False):
        for index in images:
            now, before = st.columns(2)
            if index < len(pixels):
                now.image(
                    pipeline.resolved_overlay(review, pixels[index], index),
                    caption="This version: where they were",
                    width="stretch",
                )
            if (
                baseline_pixels
                and index < len(baseline_pixels)
                and baseline_pixels[index] is not None
            ):
                before.image(
                    pipeline.resolved_overlay(
                        review, baseline_pixels[index], index, on_baseline=True
                    ),
                    caption="The earlier review",
                    width="stretch",
                )


def status_badge(finding: Finding) -> None:
    if finding.status in STATUS_BADGE:
        label, colour = STATUS_BADGE[finding.status]
        was = finding.previous.get("ratio")
        now = finding.metrics.get("ratio")
        if finding.status == "persisting" and was is not None and now is not None and was != now:
            label += f" · was {was:.2f}:1, now {now:.2f}:1"
        st.badge(label, color=colour)


def finding_actions(
    review: Review, store, owner_token: str | None, *, scope: str, on_change: Callable[[], None]
):
    """The ``action(number, finding)`` a findings panel calls for each card.

    Everyone sees the status; only the owner (holding the delete token) may dismiss or rate.
    """
    owner = bool(review.id) and store.is_owner(review.id, owner_token)

    def action(number: int, finding: Finding) -> None:
        status_badge(finding)
        if finding.dismissed:
            st.caption(f"Dismissed: {md_escape(finding.dismissed)} · not counted")
        if not owner:
            return
        row = st.container(horizontal=True, gap="small")
        if finding.dismissed:
            if row.button("Undo dismiss", key=f"{scope}_undismiss_{number}"):
                store.undismiss(review.id, number)
                on_change()
        else:
            # One click per reason: a radio would rerun the page and close the popover.
            with row.popover("Dismiss", icon=":material/do_not_disturb_on:"):
                st.caption("Dismiss because it is…")
                for reason in REASONS:
                    if st.button(reason, key=f"{scope}_dismiss_{number}_{reason}"):
                        store.dismiss(review.id, number, reason)
                        on_change()
        if finding.source == "model":
            current = {"useful": 1, "not useful": 0}.get(finding.rating or "")
            with row:
                rated = st.feedback(
                    "thumbs", key=f"{scope}_rate_{number}_{current}", default=current
                )
            if rated != current:
                store.rate(review.id, number, None if rated is None else bool(rated))
                on_change()

    return action
