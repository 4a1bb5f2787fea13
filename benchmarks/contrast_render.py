"""Render benchmark pages in Debian's Chromium and ask axe-core for the contrast truth.

Needs the npm peer: ``npm install --prefix benchmarks`` installs ``axe-core`` into
``benchmarks/node_modules`` (pinned in ``benchmarks/package.json``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

AXE_JS = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# Per text element: its id, the box of its text (a DOM Range, so padding is excluded) and
# axe-core's verdict for the color-contrast rule with the ratio it measured.
_AXE_SCRIPT = """
async () => {
  const res = await axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast']},
                                       resultTypes: ['violations', 'passes', 'incomplete']});
  const verdict = {};
  for (const [kind, list] of [['violation', res.violations], ['pass', res.passes],
                              ['incomplete', res.incomplete]]) {
    for (const rule of list) for (const node of rule.nodes) {
      const el = document.querySelector(node.target[0]);
      if (!el || !el.dataset.t) continue;
      const data = (node.any[0] || node.all[0] || node.none[0] || {}).data || {};
      verdict[el.dataset.t] = {kind, ratio: data.contrastRatio ?? null,
                               expected: data.expectedContrastRatio ?? null};
    }
  }
  return [...document.querySelectorAll('[data-t]')].map(el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const r = range.getBoundingClientRect();
    return {id: Number(el.dataset.t), box: [r.left, r.top, r.right, r.bottom],
            ...(verdict[el.dataset.t] || {kind: 'missing', ratio: null, expected: null})};
  });
}
"""


@dataclass
class AxeTruth:
    id: int
    box: tuple[float, float, float, float]
    kind: str  # "violation", "pass", "incomplete" or "missing"
    ratio: float | None
    required: float | None


def axe_available() -> bool:
    return AXE_JS.exists()


class Renderer:
    """One Chromium for many pages: ``with Renderer() as r: rgb, truth = r.render(html)``."""

    def __init__(self, width: int = 1280, height: int = 800, dpr: float = 1.0):
        self.width, self.height, self.dpr = width, height, dpr

    def __enter__(self) -> Renderer:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self._page = self._browser.new_page(
            viewport={"width": self.width, "height": self.height},
            device_scale_factor=self.dpr,
        )
        return self

    def __exit__(self, *exc) -> None:
        self._browser.close()
        self._pw.stop()

    def render(self, html: str) -> tuple[np.ndarray, list[AxeTruth]]:
        page = self._page
        page.set_content(html)
        page.add_script_tag(path=str(AXE_JS))
        rows = page.evaluate(_AXE_SCRIPT)
        png = page.screenshot(full_page=True)
        rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
        truth = []
        for row in rows:
            expected = row["expected"]
            truth.append(
                AxeTruth(
                    id=row["id"],
                    box=tuple(v * self.dpr for v in row["box"]),
                    kind=row["kind"],
                    ratio=row["ratio"],
                    required=float(expected.split(":")[0]) if expected else None,
                )
            )
        return rgb, truth
