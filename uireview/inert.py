"""Keep untrusted text (model replies, file names) from becoming links in rendered Markdown.

GitHub-flavoured Markdown, in GitHub and in Streamlit alike, links bare "https://host" and
"www.host" in text nodes, after backslash escapes are resolved, so escaping ":" or "." does
not stop it. A zero-width space after the scheme or after "www" does, and reads the same.
"""

from __future__ import annotations

import re

ZWSP = "\u200b"
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto)(:)(//)?|\b(www)(\.)")


def break_autolinks(text: str) -> str:
    """``text`` with every URL-looking scheme and "www." split by a zero-width space."""
    return _AUTOLINK.sub(
        lambda m: (
            (m.group(1) + m.group(2) + ZWSP + (m.group(3) or ""))
            if m.group(1)
            else m.group(4) + ZWSP + m.group(5)
        ),
        text,
    )
