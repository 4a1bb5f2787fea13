"""Show untrusted text (model replies, file names) as text, never as markup."""

from __future__ import annotations

import re

from uireview.pipeline import break_autolinks

# Markdown, Streamlit directives (:red[...]), LaTeX ($) and HTML all start with one of these.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def md_escape(text: str) -> str:
    """``text`` escaped so st.markdown shows it literally: no links, images, HTML or LaTeX."""
    return _SPECIAL.sub(r"\\\1", break_autolinks(text or ""))
