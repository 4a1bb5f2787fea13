// Planting one defect in a rendered template page, in the page itself.
// window.__rp.plant(kind, seed) changes the DOM and returns the truth (boxes in CSS px of the
// viewport, scroll 0), or null when the page has no place for that defect.
// window.__rp.title() returns the main heading's box and the navigation regions' boxes.
(() => {
  const NAV = 'nav, aside, [role=navigation], .sidebar, .sidenav, .navbar, .layout-menu, ' +
    '.left_col, .nav_menu, .top_nav, #layoutSidenav_nav, .sb-sidenav, footer, .footer, ' +
    '.layout-navbar, .breadcrumb, .dropdown-menu, .modal, .offcanvas, .toast';
  const VW = () => window.innerWidth, VH = () => window.innerHeight;
  const rng = (seed) => () => {  // mulberry32
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const box = (r) => [r.left, r.top, r.right, r.bottom];
  const inView = (r, m = 2) => r.width > 0 && r.height > 0 && r.left >= m && r.top >= m &&
    r.right <= VW() - m && r.bottom <= VH() - m;
  const shown = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) < 0.95) return false;
    }
    return true;
  };
  const inNav = (el) => !!el.closest(NAV);
  const ownText = (el) => [...el.childNodes].filter(n => n.nodeType === 3)
    .map(n => n.textContent).join('').replace(/\s+/g, ' ').trim();
  const textRect = (el) => {
    const r = document.createRange(); r.selectNodeContents(el); return r.getBoundingClientRect();
  };
  const isFixed = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const p = getComputedStyle(e).position;
      if (p === 'fixed' || p === 'sticky') return true;
    }
    return false;
  };
  const bodyFont = () => {
    // the body text's size and weight as the stylesheet sets them
    const s = getComputedStyle(document.body);
    return {size: s.fontSize, weight: s.fontWeight};
  };

  function mainHeading() {
    // the page title: the topmost heading at least body size in the upper part of the page,
    // outside side navigation (a top bar may hold it: Material puts it by the breadcrumb)
    const body = parseFloat(getComputedStyle(document.body).fontSize);
    let best = null, bestTop = Infinity, bestSize = 0;
    const sel = 'h1, h2, h3, h4, h5, h6, .page-title, [class*=title]';
    for (const el of document.querySelectorAll(sel)) {
      const t = (el.innerText || '').trim();
      if (!/[A-Za-z]{3,}/.test(t) || t.length > 80 || !shown(el)) continue;
      if (/pretitle|subtitle|eyebrow|overline/i.test(el.className)) continue;
      if (inNav(el) && !el.closest('.layout-navbar, .navbar-main')) continue;
      const r = textRect(el); if (!inView(r) || r.top > VH() * 0.45) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < body) continue;
      if (r.top < bestTop - 4 || (Math.abs(r.top - bestTop) <= 4 && size > bestSize)) {
        best = el; bestTop = r.top; bestSize = size;
      }
    }
    return best;
  }

  function navBoxes() {
    const out = [];
    for (const el of document.querySelectorAll(NAV)) {
      if (!shown(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 8 && r.height > 8 && r.right > 0 && r.bottom > 0 && r.left < VW() && r.top < VH())
        out.push(box(r));
    }
    return out;
  }

  // --- groups of true siblings: same size, one row or one column, equal gaps ---
  const BLOCKS = '.card, .x_panel, .tile_stats_count, .mb-3, .form-group, .list-group-item, ' +
    '.alert, .col > *, [class*=col-] > .card, .row > [class*=col-] > div:only-child';
  function siblingGroups() {
    const els = [...new Set(document.querySelectorAll(BLOCKS))].filter(el =>
      !inNav(el) && !isFixed(el) && shown(el) && inView(el.getBoundingClientRect(), 1) &&
      el.getBoundingClientRect().width >= 40 && el.getBoundingClientRect().height >= 20);
    const groups = [];
    for (const axis of ['col', 'row']) {
      const used = new Set();
      for (const a of els) {
        if (used.has(a)) continue;
        const ra = a.getBoundingClientRect();
        const same = els.filter(b => {
          const rb = b.getBoundingClientRect();
          if (a.contains(b) || b.contains(a)) return b === a;
          return axis === 'col'
            ? Math.abs(rb.left - ra.left) < 1 && Math.abs(rb.width - ra.width) < 2
            : Math.abs(rb.top - ra.top) < 1 && Math.abs(rb.height - ra.height) < 2 &&
              Math.abs(rb.width - ra.width) < 2;
        });
        const key = axis === 'col' ? 'top' : 'left', end = axis === 'col' ? 'bottom' : 'right';
        same.sort((x, y) => x.getBoundingClientRect()[key] - y.getBoundingClientRect()[key]);
        // split into chains with equal gaps (+-1 px) between 0 and 48 px
        let chain = [same[0]];
        const flush = () => { if (chain.length >= 3) groups.push({axis, items: chain}); chain.forEach(e => used.add(e)); };
        for (let i = 1; i < same.length; i++) {
          const p = chain[chain.length - 1].getBoundingClientRect(), c = same[i].getBoundingClientRect();
          const gap = c[key] - p[end];
          const g0 = chain.length >= 2 ? chain[1].getBoundingClientRect()[key] - chain[0].getBoundingClientRect()[end] : gap;
          if (gap >= 4 && gap <= 48 && Math.abs(gap - g0) <= 1) chain.push(same[i]);
          else { flush(); chain = [same[i]]; }
        }
        flush();
      }
    }
    return groups;
  }
  const gapsOf = (g) => {
    const key = g.axis === 'col' ? 'top' : 'left', end = g.axis === 'col' ? 'bottom' : 'right';
    const rs = g.items.map(e => e.getBoundingClientRect());
    return rs.slice(1).map((r, i) => r[key] - rs[i][end]);
  };

  function plantGap(rand) {
    const groups = siblingGroups(); if (!groups.length) return null;
    const g = groups[Math.floor(rand() * groups.length)];
    const before = gapsOf(g);
    const k = 1 + Math.floor(rand() * (g.items.length - 1));
    const delta = 10 + Math.floor(rand() * 15);
    const el = g.items[k];
    if (g.axis === 'row') {
      // later items slide along the row; nothing reflows
      for (const e of g.items.slice(k)) e.style.transform = `translateX(${delta}px)`;
    } else {
      // margin grows until the gap has grown by delta (margins may collapse first)
      const m0 = parseFloat(getComputedStyle(el).marginTop) || 0;
      let extra = delta;
      for (let i = 0; i < 4; i++) {
        el.style.setProperty('margin-top', `${m0 + extra}px`, 'important');
        const got = gapsOf(g)[k - 1] - before[k - 1];
        if (Math.abs(got - delta) < 0.5) break;
        extra += delta - got;
      }
    }
    const after = gapsOf(g);
    const ok = after.every((v, i) => i === k - 1 ? Math.abs(v - before[i] - delta) < 1 : Math.abs(v - before[i]) < 1);
    const last = g.items[g.items.length - 1].getBoundingClientRect();
    if (!ok || !inView(el.getBoundingClientRect(), 1) || !inView(last, 1)) return null;
    const p = g.items[k - 1].getBoundingClientRect(), c = el.getBoundingClientRect();
    const gapBox = g.axis === 'col' ? [Math.max(p.left, c.left), p.bottom, Math.min(p.right, c.right), c.top]
                                    : [p.right, Math.max(p.top, c.top), c.left, Math.min(p.bottom, c.bottom)];
    return {box: box(c), gap: gapBox, detail: {axis: g.axis, delta, gap_before: before[k - 1],
            others: before.filter((_, i) => i !== k - 1), items: g.items.length}};
  }

  // --- columns: >= 3 stacked elements sharing their left edge ---
  const LEAVES = 'h1, h2, h3, h4, h5, h6, p, label, input, select, textarea, button, .btn, ' +
    '.card, .x_panel, img, .form-control, .form-select, li, table, .alert, small, span, a';
  const inkLeft = (el) => {
    const tag = el.tagName;
    if (/^(INPUT|SELECT|TEXTAREA|BUTTON|IMG|TABLE)$/.test(tag) || el.classList.contains('btn') ||
        el.classList.contains('card') || el.classList.contains('x_panel') || el.classList.contains('form-control'))
      return el.getBoundingClientRect().left;
    return textRect(el).left;
  };
  function columns() {
    const els = [...document.querySelectorAll(LEAVES)].filter(el => {
      if (inNav(el) || isFixed(el) || !shown(el)) return false;
      const r = el.getBoundingClientRect();
      if (!inView(r, 8) || r.width < 24 || r.height < 12) return false;
      const s = getComputedStyle(el);
      if (s.transform !== 'none' || s.position === 'absolute') return false;
      if (/^(SPAN|A|SMALL|LI|P|LABEL|H\d)$/.test(el.tagName) && !ownText(el)) return false;
      if (/^(SPAN|A|SMALL)$/.test(el.tagName) && s.display.startsWith('inline') && el.parentElement && ownText(el.parentElement)) return false;
      return !['center', 'right', 'end'].includes(s.textAlign) || /^(INPUT|SELECT|TEXTAREA|IMG|TABLE)$/.test(el.tagName);
    });
    // the outermost of nested candidates stands for them
    const outer = els.filter(el => !els.some(o => o !== el && o.contains(el)));
    const byLeft = new Map();
    for (const el of outer) {
      const k = Math.round(inkLeft(el));
      if (!byLeft.has(k)) byLeft.set(k, []);
      byLeft.get(k).push(el);
    }
    const out = [];
    for (const list of byLeft.values()) {
      list.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
      let chain = [list[0]];
      for (let i = 1; i <= list.length; i++) {
        const c = list[i];
        const ok = c && (() => {
          const p = chain[chain.length - 1].getBoundingClientRect(), r = c.getBoundingClientRect();
          return r.top >= p.bottom - 1 && r.top - p.bottom <= 40;
        })();
        if (ok) chain.push(c);
        else { if (chain.length >= 3) out.push(chain); if (c) chain = [c]; }
      }
    }
    return out;
  }
  function plantOffColumn(rand) {
    const cols = columns(); if (!cols.length) return null;
    const col = cols[Math.floor(rand() * cols.length)];
    const el = col[Math.floor(rand() * col.length)];
    const d = (3 + Math.floor(rand() * 4)) * (rand() < 0.5 ? -1 : 1);
    const x0 = inkLeft(el);
    el.style.transform = `translateX(${d}px)`;
    const moved = inkLeft(el) - x0;
    if (Math.abs(moved - d) > 0.5) return null;
    return {box: box(el.getBoundingClientRect()), detail: {dx: d, column: col.length, tag: el.tagName,
            text: (el.innerText || el.value || '').trim().slice(0, 40)}};
  }

  function plantHeading() {
    const h = mainHeading(); if (!h) return null;
    const body = bodyFont(), s = getComputedStyle(h);
    if (parseFloat(s.fontSize) < parseFloat(body.size) * 1.2) return null;
    const before = {size: s.fontSize, weight: s.fontWeight};
    for (const e of [h, ...h.querySelectorAll('*')]) {
      e.style.setProperty('font-size', body.size, 'important');
      e.style.setProperty('font-weight', body.weight, 'important');
    }
    return {box: box(textRect(h)), detail: {text: h.innerText.trim().slice(0, 60), before, after: body}};
  }

  // --- contrast: fade one passing text below AA ---
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const hex2rgb = (h) => [1, 3, 5].map(i => parseInt(h.slice(i, i + 2), 16));
  function plantFaded(rand, passes) {
    // passes: [{sel, fg, bg, large}] from axe on the clean page, in the viewport
    const cands = passes.map(p => ({...p, el: document.querySelector(p.sel)})).filter(p =>
      p.el && ownText(p.el).length >= 3 && !inNav(p.el) && p.fg && p.bg);
    const pool = cands.length ? cands : passes.map(p => ({...p, el: document.querySelector(p.sel)})).filter(p => p.el && p.fg && p.bg);
    if (!pool.length) return null;
    const p = pool[Math.floor(rand() * pool.length)];
    const fg = hex2rgb(p.fg), bg = hex2rgb(p.bg);
    const need = p.large ? 3.0 : 4.5;
    const target = need * (0.45 + 0.35 * rand());
    let lo = 0, hi = 1, c = fg;
    for (let i = 0; i < 30; i++) {  // blend fg towards bg until the ratio reaches target
      const t = (lo + hi) / 2; c = fg.map((v, j) => Math.round(v + (bg[j] - v) * t));
      if (ratio(c, bg) > target) lo = t; else hi = t;
    }
    p.el.style.setProperty('color', `rgb(${c.join(',')})`, 'important');
    return {box: box(textRect(p.el)), sel: p.sel, detail: {text: ownText(p.el).slice(0, 60),
            from: p.fg, to: `rgb(${c.join(',')})`, bg: p.bg, target: Math.round(target * 100) / 100}};
  }

  window.__rp = {
    title() { const h = mainHeading(); return {title: h ? box(textRect(h)) : null,
                                               text: h ? h.innerText.trim().slice(0, 60) : null, nav: navBoxes()}; },
    plant(kind, seed, passes) {
      const rand = rng(seed);
      if (kind === 'heading_shrunk') return plantHeading();
      if (kind === 'odd_gap') return plantGap(rand);
      if (kind === 'off_column') return plantOffColumn(rand);
      if (kind === 'faded_text') return plantFaded(rand, passes || []);
      throw new Error('unknown defect ' + kind);
    },
  };
})();
