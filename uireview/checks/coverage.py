"""What a review looked at, in words: shown when it found nothing, so that an empty list is
read as "these checks found nothing", not as "this screen is fine"."""

from __future__ import annotations

from uireview.findings import Review

# what each measured check looks at, in a designer's words
CHECKED = {
    "contrast": "text contrast against WCAG AA, measured from the pixels",
    "spacing": "gaps and edge alignment between like elements (cards, buttons, form fields)",
    "hierarchy": "the page title's size and weight against the body text, and rival headings",
}


def nothing_found_message(review: Review) -> str:
    """The sentence shown in place of findings: what ran, and that it is not a clean bill."""
    if review.kind == "compare":
        return (
            "No changed region between the two screenshots passed the diff threshold. "
            "Changes below the threshold, or outside the compared area, are not reported."
        )
    checks = [CHECKED.get(c, c) for c in review.settings.get("checks", [])]
    parts = []
    if checks:
        parts.append("the measured checks of " + "; ".join(checks))
    if review.model and not review.error:
        parts.append(f"the critique by {review.model}")
    ran = " and ".join(parts) if parts else "no check"
    tail = ""
    if not (review.model and not review.error):
        tail = " No model critique ran, so layout, wording and flow were not judged."
    return (
        f"Nothing to fix was found by {ran}. They look for specific, measurable problems; "
        f"other problems can still be there.{tail}"
    )
