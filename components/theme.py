"""The app's own CSS: colours Streamlit derives that fail WCAG AA, and the sticky image column.

The theme itself (light and dark, following the browser) is in .streamlit/config.toml. Streamlit
greys captions and hints by mixing the text colour with the background (3.8:1 and less);
here they are mixed from the inherited text colour at 80 %, which is 7:1 or more on either
theme's backgrounds. ``currentColor`` in ``color`` is the parent's colour, so one rule
serves both themes without knowing which one is on.
"""

from __future__ import annotations

import streamlit as st

from uireview.pipeline import DISMISSED_COLOUR, SEVERITY_COLOUR

# Below this content width a comparison's images go above its list (screens under about
# 1660 px with the sidebar open): beside the list they would be under 420 px each.
CMP_STACK_BELOW = 1200
MUTED = "color-mix(in srgb, currentColor 80%, transparent)"
# Chips and number badges in the pins' own colours (white text on each is AA).
SEVERITY_CSS = "\n".join(
    f".uir-sev-{name} {{ background: rgb{rgb}; border-color: rgb{rgb}; color: #ffffff; }}"
    for name, rgb in {**SEVERITY_COLOUR, "dismissed": DISMISSED_COLOUR}.items()
)

CSS = f"""
<style>
/* Captions, widget hints, the uploader's size note, placeholders: AA on both themes. */
[data-testid="stCaptionContainer"],
[data-testid="stWidgetLabel"] small,
[data-testid="stFileUploaderDropzoneInstructions"] span,
[data-testid="stFileUploaderDropzoneInstructions"] small,
[data-testid="stImageCaption"],
[data-testid="stTooltipHoverTarget"] svg {{
  color: {MUTED} !important;
  opacity: 1 !important;
}}
/* The drop zone's own line ("200MB per file • PNG, JPG, ...") states the transport
   limit, not ours (20 MiB an image, said under the zone by the paste hint with the
   formats), so it is replaced by a plain invitation to drop. */
[data-testid="stFileUploaderDropzoneInstructions"] span,
[data-testid="stFileUploaderDropzoneInstructions"] small {{
  display: none;
}}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
  content: "or drop a screenshot here";
  color: {MUTED};
}}
/* The share box's copy buttons show only on hover, and a hidden button takes no focus:
   shown always there, so the link can be copied with the keyboard alone. */
[class*="st-key-uir_share"] button[aria-label="Copy to clipboard"] {{
  visibility: visible !important;
  opacity: 1 !important;
}}
/* Disabled buttons: WCAG exempts them, but a reader still has to read "Review with Grok"
   before it is enabled; the dashed border says "not yet" instead of faded text. */
button:disabled, button:disabled p {{
  color: {MUTED} !important;
  opacity: 1 !important;
}}
button:disabled {{
  border-style: dashed !important;
}}
/* Selected pills, segmented options and tabs: Streamlit writes their label in the primary
   colour, which cannot pass both on the dark page and under white button text. Here the
   label keeps the text colour; the primary border, tint and underline still mark it. */
[data-testid="stButtonGroup"] button[data-selected="true"],
[data-testid="stButtonGroup"] button[data-selected="true"] p,
[data-testid="stTab"][aria-selected="true"],
[data-testid="stTab"][aria-selected="true"] p {{
  color: inherit !important;
}}
[data-testid="stTab"][aria-selected="true"] p {{
  font-weight: 600;
}}
textarea::placeholder, input::placeholder {{
  color: {MUTED} !important;
  opacity: 1 !important;
}}

/* The annotated image stays in view beside a long list of findings. Sticky goes on the
   wrapper Streamlit puts round the keyed container: it is the child of the column's block,
   which is as tall as the list, so it has room to stick in. */
[data-testid="stLayoutWrapper"]:has(> [class*="st-key-uir_figure_"]) {{
  position: sticky;
  top: 3.75rem;
  z-index: 2;
}}

/* A comparison's two images need room. Where its block is narrower than CMP_STACK_BELOW
   (a laptop, 1280-1440 px), its views take the full width and the list goes below them,
   unstuck (a full-width figure stuck on top would leave the list no room); Show #n still
   scrolls the image into view (the viewer does). Wider, the views stay beside the list. */
[class*="st-key-uir_cmp_"] {{
  container-type: inline-size;
}}
@container (max-width: {CMP_STACK_BELOW - 1}px) {{
  [class*="st-key-uir_cmp_"] [data-testid="stHorizontalBlock"]:has([class*="st-key-uir_figure_"]) {{
    flex-wrap: wrap;
    row-gap: 1.5rem;
  }}
  [class*="st-key-uir_cmp_"]
    [data-testid="stHorizontalBlock"]:has([class*="st-key-uir_figure_"])
    > [data-testid="stColumn"] {{
    flex: 1 1 100% !important;
    width: 100% !important;
    min-width: 100% !important;
  }}
  [class*="st-key-uir_cmp_"] [data-testid="stLayoutWrapper"]:has(> [class*="st-key-uir_figure_"]) {{
    position: static;
  }}
}}

/* A finding card's head: the pin's number in its severity colour, the title, one meta line. */
.uir-head {{ display: flex; gap: 0.6rem; align-items: flex-start; }}
.uir-pin {{
  flex: none; display: inline-flex; align-items: center; justify-content: center;
  min-width: 1.9rem; height: 1.9rem; padding: 0 0.3rem; border-radius: 999px;
  color: #ffffff; font-weight: 700; font-size: 0.95rem; box-sizing: border-box;
  border: 2px solid #ffffff; box-shadow: 0 0 0 1px rgba(0, 0, 0, 0.35);
}}
.uir-title {{ margin: 0; font-weight: 600; line-height: 1.35; overflow-wrap: anywhere; }}
.uir-dismissed .uir-title {{ color: {MUTED}; font-weight: 500; }}
.uir-meta {{ margin: 0.2rem 0 0; font-size: 0.875rem; color: {MUTED}; overflow-wrap: anywhere; }}
.uir-chip {{
  display: inline-block; margin-right: 0.35rem; padding: 0 0.45rem; border-radius: 999px;
  border: 1.5px solid currentColor; font-size: 0.8rem; line-height: 1.35rem;
}}
{SEVERITY_CSS}
.uir-sr {{
  position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap;
}}
</style>
"""


def page_style() -> None:
    """Add the app's CSS to the page (once per run, from app.py)."""
    st.html(CSS)
