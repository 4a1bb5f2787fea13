"""Show untrusted text (model replies, file names) as text, never as markup."""

from __future__ import annotations

import re

# Markdown, Streamlit directives (:red[...]), LaTeX ($) and HTML all start with one of these.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


# GitHub-flavoured markdown links bare "https://host" and "www.host" even when every special
# character is escaped; a zero-width space after the scheme or "www" keeps them plain text.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto)(:)(//)?|\b(www)(\.)")
_ZWSP = "\u200b"


def md_escape(text: str) -> str:
    """``text`` escaped so st.markdown shows it literally: no links, images, HTML or LaTeX."""
    text = _AUTOLINK.sub(
        lambda m: (
            (m.group(1) + m.group(2) + _ZWSP + (m.group(3) or ""))
            if m.group(1)
            else m.group(4) + _ZWSP + m.group(5)
        ),
        text or "",
    )
    return _SPECIAL.sub(r"\\\1", text)
