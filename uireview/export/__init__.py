"""A stored review as a file to hand on: Markdown checklist, JSON, annotated PNG, offline HTML.

Every export numbers findings by their 1-based position in ``review.findings``, the number
drawn on the image. Text from the model and from uploads (titles, evidence, file names, the
note) is untrusted: Markdown escapes it, HTML runs it through ``html.escape``, and the HTML
file also carries a Content-Security-Policy that forbids scripts and any outside request.
One module per format; the words they share (status, loop, cost, a finding's name) are in
``words``.
"""

from uireview.export.jsondoc import to_json
from uireview.export.markdown import md_text, to_markdown
from uireview.export.png import PNG_MAX_PIXELS, to_png
from uireview.export.webpage import CROP_MAX, place_crop, to_html
from uireview.export.words import SEVERITIES, cost_line, loop_line, naming, status_words, was_label

__all__ = [
    "CROP_MAX",
    "PNG_MAX_PIXELS",
    "SEVERITIES",
    "cost_line",
    "loop_line",
    "md_text",
    "naming",
    "place_crop",
    "status_words",
    "to_html",
    "to_json",
    "to_markdown",
    "to_png",
    "was_label",
]
