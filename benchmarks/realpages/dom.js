// What a clean page's DOM says about text that axe-core's color-contrast rule does not judge,
// and one planted variant with some controls disabled.
// window.__rpdom.survey() -> {canvas, svg_text, placeholders, fields, controls} (boxes in CSS px
// of the viewport, scroll 0). window.__rpdom.disable(seed) sets `disabled` on a few visible
// controls and returns their selectors and boxes.
(() => {
  const VW = () => window.innerWidth, VH = () => window.innerHeight;
  const box = (r) => [r.left, r.top, r.right, r.bottom];
  const visible = (r) => r.width > 1 && r.height > 1 && r.right > 0 && r.bottom > 0 &&
    r.left < VW() && r.top < VH();
  const shown = (el) => {
    for (let e = el; e && e.nodeType === 1 && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) === 0) return false;
    }
    return true;
  };
  const sel = (el) => {  // a selector that finds this element again after a reload
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && e !== document.documentElement; e = e.parentElement) {
      let i = 1; for (let s = e.previousElementSibling; s; s = s.previousElementSibling) i++;
      parts.unshift(`${e.tagName.toLowerCase()}:nth-child(${i})`);
    }
    return 'html > ' + parts.join(' > ');
  };
  const rng = (seed) => () => {  // mulberry32
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  function survey() {
    const canvas = [];
    for (const c of document.querySelectorAll('canvas')) {
      const r = c.getBoundingClientRect();
      if (visible(r) && shown(c)) canvas.push(box(r));
    }
    // Text drawn by SVG (chart libraries' axis labels, legends): axe skips it.
    const svgText = [];
    for (const t of document.querySelectorAll('svg text, svg tspan')) {
      if (t.tagName === 'text' && t.querySelector('tspan')) continue;  // its tspans stand for it
      const words = (t.textContent || '').trim();
      if (!words) continue;
      const r = t.getBoundingClientRect();
      if (!visible(r) || !shown(t)) continue;
      const s = getComputedStyle(t);
      svgText.push({box: box(r), text: words.slice(0, 60), fill: s.fill, opacity: s.opacity,
                    font_px: parseFloat(s.fontSize)});
    }
    // Words a stylesheet puts in ::before / ::after (badges, ribbons): axe reads no text there.
    const pseudo = [];
    for (const el of document.querySelectorAll('body *')) {
      for (const which of ['::before', '::after']) {
        const c = getComputedStyle(el, which).content;
        if (!c || c === 'none' || c === 'normal' || !/^".*[A-Za-z0-9]{2,}.*"$/.test(c)) continue;
        const r = el.getBoundingClientRect();
        if (!visible(r) || !shown(el)) continue;
        pseudo.push({box: box(r), text: c.slice(1, -1).slice(0, 60),
                     colour: getComputedStyle(el, which).color});
      }
    }
    // Empty fields showing a placeholder: axe reads no text in them.
    const placeholders = [];
    const fields = [];
    for (const f of document.querySelectorAll('input, textarea, select')) {
      const r = f.getBoundingClientRect();
      if (!visible(r) || !shown(f)) continue;
      const kind = (f.type || '').toLowerCase();
      if (['hidden', 'checkbox', 'radio', 'range', 'color', 'file', 'image'].includes(kind)) continue;
      fields.push({box: box(r), sel: sel(f), tag: f.tagName.toLowerCase(), type: kind,
                   disabled: f.disabled, value: (f.value || '').slice(0, 60)});
      if (f.placeholder && !f.value) {
        const s = getComputedStyle(f, '::placeholder');
        placeholders.push({box: box(r), text: f.placeholder.slice(0, 60), colour: s.color});
      }
    }
    // Controls already disabled by the template.
    const controls = [];
    for (const c of document.querySelectorAll('button, .btn, input, select, textarea, fieldset, [aria-disabled=true]')) {
      const r = c.getBoundingClientRect();
      if (!visible(r) || !shown(c)) continue;
      const off = c.disabled || c.getAttribute('aria-disabled') === 'true' || c.classList.contains('disabled');
      if (off) controls.push({box: box(r), sel: sel(c), text: (c.innerText || c.value || '').trim().slice(0, 60)});
    }
    return {canvas, svg_text: svgText, pseudo, placeholders, fields, disabled: controls};
  }

  // Buttons and fields a person could use, in view, with words of their own.
  function candidates() {
    const out = [];
    for (const c of document.querySelectorAll('button, a.btn, input, select, textarea')) {
      if (c.disabled || c.closest('nav, .navbar, aside, .sidebar, .layout-menu, .left_col, .dropdown-menu, .modal')) continue;
      const r = c.getBoundingClientRect();
      if (!(r.width >= 30 && r.height >= 16 && r.left >= 2 && r.top >= 2 && r.right <= VW() - 2 &&
            r.bottom <= VH() - 2) || !shown(c)) continue;
      const kind = (c.type || '').toLowerCase();
      if (['hidden', 'checkbox', 'radio', 'range', 'color', 'file', 'image'].includes(kind)) continue;
      const words = c.tagName === 'INPUT' || c.tagName === 'TEXTAREA' ? (c.value || c.placeholder || '')
                                                                      : (c.innerText || '');
      if (words.trim().length < 3) continue;
      out.push(c);
    }
    return out;
  }

  function disable(seed, most) {
    const rand = rng(seed);
    // Half buttons, half fields where the page has both: they fade differently.
    const all = candidates();
    const buttons = all.filter(c => c.tagName === 'BUTTON' || c.tagName === 'A');
    const fields = all.filter(c => !buttons.includes(c));
    const picked = [];
    const take = (pool, n) => { while (pool.length && n-- > 0) picked.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]); };
    take(buttons, Math.ceil(most / 2));
    take(fields, most - picked.length);
    take(buttons, most - picked.length);
    const out = [];
    for (const c of picked) {
      if (c.tagName === 'A') { c.classList.add('disabled'); c.setAttribute('aria-disabled', 'true'); }
      else c.disabled = true;
    }
    for (const c of picked) {
      const r = c.getBoundingClientRect();
      out.push({sel: sel(c), box: box(r), tag: c.tagName.toLowerCase(),
                text: (c.innerText || c.value || c.placeholder || '').trim().slice(0, 60)});
    }
    return out;
  }

  window.__rpdom = {survey, disable};
})();
