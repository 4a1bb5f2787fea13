"""A saved review opened from its link (?review=<id>): read-only."""

from components.navigation import through_app

through_app()

import streamlit as st

from components.app_settings import current_settings
from components.compare_views import comparison_view
from components.loop_view import finding_actions, loop_summary
from components.review_view import review_view
from components.store_access import app_store, stored_image, stored_pixels
from uireview import pipeline

settings = current_settings()
store = app_store(settings)
review_id = st.query_params.get("review", "")
review = store.load(review_id) if pipeline.is_review_id(review_id) else None

if review is None:
    st.title("Review not found")
    st.write("This link does not point to a saved review. It may be mistyped, expired or deleted.")
    st.page_link("pages/review.py", label="Start a new review", icon=":material/rate_review:")
    st.stop()

if token := st.query_params.get("delete"):
    st.warning("Delete this review for everyone who has the link?")
    if st.button("Delete review", type="primary", icon=":material/delete:"):
        if store.delete(review_id, token):
            st.query_params.clear()
            st.success("The review was deleted.")
            st.stop()
        st.error("That delete link is not valid for this review.")

titles = {"review": "Review", "compare": "Comparison"}
st.title(f"{titles.get(review.kind, 'Review')}: {review.preset}")
st.caption("Shared review · read-only")
images = [stored_image(store, info.sha256) for info in review.images]
pixels = [image.rgb if image else None for image in images]
kept = [image for image in images if image is not None]
exportable = kept if len(kept) == len(images) else []
scope = f"shared_{review_id}"
if review.kind == "compare":
    comparison_view(review, pixels, scope=scope, settings=settings, images=exportable)
else:
    earlier = store.load(review.baseline) if review.baseline else None
    loop_summary(
        review,
        pixels,
        [stored_pixels(store, i.sha256) for i in earlier.images] if earlier else None,
        scope=scope,
    )
    # Read-only: statuses and dismissals are shown, nobody can change them from a share link.
    review_view(
        review,
        pixels,
        scope=scope,
        settings=settings,
        image_bytes=exportable,
        action=finding_actions(review, store, None, scope=scope, on_change=lambda: None),
    )
