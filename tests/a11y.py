"""Accessibility helpers for browser tests: axe-core in the page, our contrast check on a shot.

``axe_violations(page)`` injects the axe-core that the benchmarks pin (benchmarks/node_modules,
``npm install --prefix benchmarks``) and runs the WCAG 2 A and AA rules; it returns one line
per violated rule naming the rule, its impact and the first elements it failed on.
``contrast_below_aa(png)`` runs the app's own measured contrast check over a screenshot.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parents[1] / "benchmarks/node_modules/axe-core/axe.min.js"
# WCAG 2.0 / 2.1 / 2.2, levels A and AA: the rules the issue asks for, nothing best-practice.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN_AXE = """async (tags) => {
  const res = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                       resultTypes: ['violations']});
  return {
    violations: res.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 4).map(n => ({target: n.target.flat(), summary: n.failureSummary,
                                            html: n.html.slice(0, 160)})),
      count: v.nodes.length,
    })),
    rules: res.passes.map(p => p.id).concat(res.incomplete.map(i => i.id),
                                            res.inapplicable.map(i => i.id)),
  };
}"""


def require_axe() -> None:
    """Skip when axe-core is missing; fail under CI=true, where scripts/test.sh installs it."""
    if AXE_JS.is_file():
        return
    problem = f"axe-core is missing at {AXE_JS}; run `npm install --prefix benchmarks`"
    if os.environ.get("CI") == "true":  # test infrastructure, not app config
        pytest.fail(problem)
    pytest.skip(problem)


def axe_report(page) -> dict:
    """``{"violations": [...], "rules": [ids checked without violation]}`` for the page now."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate(_RUN_AXE, WCAG_TAGS)


def describe(violations: list[dict]) -> list[str]:
    """One readable line per violated rule."""
    lines = []
    for v in violations:
        where = "; ".join(
            f"{' > '.join(n['target'])} ({(n['summary'] or '').splitlines()[-1].strip()})"
            for n in v["nodes"]
        )
        lines.append(f"{v['id']} [{v['impact']}] x{v['count']}: {v['help']} -- {where}")
    return lines


def axe_violations(page) -> list[str]:
    return describe(axe_report(page)["violations"])


def contrast_below_aa(png: bytes, name: str = "page.png") -> list[str]:
    """Texts our own contrast check measures below WCAG AA on a screenshot, one line each."""
    from uireview import pipeline
    from uireview.images import load_image
    from uireview.settings import Settings

    review = pipeline.review(
        [load_image(png, name)], "contrast", settings=Settings(api_key=""), use_model=False
    )
    return [
        f"{f.title} at {tuple(f.box) if f.box else 'page'} ({f.evidence})"
        for f in review.findings
        if f.rule.startswith("contrast") and f.severity != "info"
    ]


# Every image's box on the page, shadow roots included: the screenshots users uploaded are
# their content, not our interface, so the contrast check on our pages leaves them out.
_IMAGE_BOXES = """() => {
  const boxes = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) walk(el.shadowRoot);
      if (el.tagName === 'IMG' || el.classList.contains('iv-stage')) {
        const r = el.getBoundingClientRect();
        if (r.width > 1 && r.height > 1) boxes.push([r.left, r.top, r.right, r.bottom]);
      }
    }
  };
  walk(document);
  return boxes;
}"""


def blank_images(page, png: bytes) -> bytes:
    """The screenshot ``png`` of ``page`` with every image painted over in its surround."""
    import io

    import numpy as np
    from PIL import Image

    shot = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = np.asarray(shot).copy()
    h, w = pixels.shape[:2]
    for x0, y0, x1, y1 in page.evaluate(_IMAGE_BOXES):
        a, b = max(0, int(x0) - 2), max(0, int(y0) - 2)
        c, d = min(w, int(x1) + 2), min(h, int(y1) + 2)
        if c <= a or d <= b:
            continue
        rim = np.concatenate([pixels[b, a:c], pixels[d - 1, a:c]])
        pixels[b:d, a:c] = np.median(rim, axis=0).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")
    return out.getvalue()


def scroll_shots(page, most: int = 3) -> list[bytes]:
    """Viewport screenshots from the top of the page down, at most ``most`` of them."""
    scroller = "document.querySelector('[data-testid=stMain]')"
    page.evaluate(f"() => {scroller}.scrollTo(0, 0)")
    page.wait_for_timeout(200)
    shots = []
    for _ in range(most):
        shots.append(blank_images(page, page.screenshot()))
        moved = page.evaluate(
            f"() => {{ const s = {scroller}; const y = s.scrollTop;"
            " s.scrollBy(0, s.clientHeight - 80); return s.scrollTop - y; }"
        )
        if moved <= 0:
            break
        page.wait_for_timeout(250)
    return shots
