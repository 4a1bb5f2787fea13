"""The published HTML templates the real-page set is made of, pinned, and their local cache.

Each template is fetched with ``npm pack`` (the npm registry is the only network we use) into
``benchmarks/.cache/realpages/`` (git-ignored) and unpacked there. Pages are later served to
Chromium from that folder under a made-up origin, so absolute asset paths (``/assets/x.css``)
and ES modules work while every other request is blocked.

Added later for more page styles (issue 13): ``tabler-ui`` (the original Tabler: a light top-bar
layout, no side bar), ``black-dashboard`` (a dark theme) and ``now-ui-dashboard`` (light, an
orange side bar over a dark blue header band). Their web fonts (Poppins, Montserrat, Source
Sans Pro) and Font Awesome come from CDNs we block, so text falls back to Chromium's fonts.

Not here, on purpose: AdminLTE and SB Admin 2 (kept out of development for the final check);
``@tabler/core`` (its npm package ships CSS/JS only, no HTML pages; checked 1.6.1);
``@themesberg/volt-bootstrap-5-dashboard`` (1.4.1 and 1.2.0 ship only SCSS and HTML with
``@@include`` partials, no built pages or CSS); ``soft-ui-dashboard`` 1.0.1 (the same kit as
material-dashboard, and its only page the split holds out, ``rtl.html``, renders with the side
bar off screen).
"""

from __future__ import annotations

import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

CACHE = Path(__file__).resolve().parents[1] / ".cache" / "realpages"


@dataclass(frozen=True)
class Template:
    key: str  # short name used in page ids
    spec: str  # npm package@version, pinned
    root: str  # folder inside the tarball served as the site root ("/")

    @property
    def folder(self) -> Path:
        return CACHE / self.spec.replace("@", "-").replace("/", "-").lstrip("-")

    @property
    def site(self) -> Path:
        return self.folder / "package" / self.root


TEMPLATES = {
    t.key: t
    for t in (
        Template("gentelella", "gentelella@4.2.0", "dist"),
        Template("material", "material-dashboard@3.1.0", ""),
        Template("sbadmin", "startbootstrap-sb-admin@7.0.7", "dist"),
        Template("sneat", "sneat-bootstrap-html-admin-template-free@1.0.0", ""),
        Template("tabler", "tabler-ui@0.0.34", "dist"),
        Template("black", "black-dashboard@1.0.0", ""),
        Template("nowui", "now-ui-dashboard@1.0.1", ""),
    )
}


def ensure(template: Template) -> Path:
    """Pack and unpack the template once; return its site root."""
    if template.site.is_dir():
        return template.site
    CACHE.mkdir(parents=True, exist_ok=True)
    out = subprocess.run(
        ["npm", "pack", template.spec, "--pack-destination", str(CACHE)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    tgz = CACHE / out.stdout.strip().splitlines()[-1]
    template.folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tgz) as tar:
        tar.extractall(template.folder, filter="data")
    return template.site
