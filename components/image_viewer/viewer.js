// Zoomable, pannable annotated screenshot for st.components.v2. Streamlit calls the default
// export on mount and whenever `data` changes; the HTML stays, so each call re-binds its
// listeners and returns a cleanup. User text (alt, caption) goes in through attributes and
// textContent only.
//
// The view is {zoom, cx, cy}: zoom 1 fits the whole image in the stage, and (cx, cy) is the
// image pixel at the stage's centre. Selecting a mark (data.selected) zooms until it is big
// enough to read and centres it.

const views = new WeakMap();
// The cleanup of the last call per viewer: Streamlit calls the export again on each rerun
// without always running the previous cleanup first, and listeners left bound would stack
// (one click on + zoomed 1.5x per rerun so far).
const unbind = new WeakMap();
// Viewers given the same `data.link` (a comparison's before and after) move together: a
// zoom or pan by the user in one is applied to the others as a share of each image's size,
// so the same part of both screens stays in view. link -> Map(root -> follow).
const links = new Map();
const MAX_ZOOM = 8;
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

export default function imageViewer(component) {
  const { data, parentElement } = component;
  const root = parentElement.querySelector(".iv");
  if (!root || !data) {
    return undefined;
  }
  unbind.get(root)?.();
  const stage = root.querySelector(".iv-stage");
  const canvas = root.querySelector(".iv-canvas");
  const img = root.querySelector(".iv-img");
  const level = root.querySelector(".iv-level");
  const W = data.width;
  const H = data.height;

  if (img.getAttribute("src") !== data.src) {
    img.src = data.src;
  }
  img.alt = data.alt || "";
  stage.setAttribute("aria-label", `${data.alt || "Image"}. Plus and minus zoom, arrows pan, 0 fits.`);
  root.querySelector(".iv-caption").textContent = data.caption || "";
  root.style.setProperty("--iv-ratio", `${W} / ${H}`);
  canvas.style.width = `${W}px`;
  canvas.style.height = `${H}px`;

  let view = views.get(parentElement);
  // A new picture (not the same one redrawn with another mark highlighted) starts fitted.
  if (!view || view.id !== data.id) {
    view = { id: data.id, zoom: 1, cx: W / 2, cy: H / 2, selected: null };
    views.set(parentElement, view);
  }

  const size = () => {
    const r = stage.getBoundingClientRect();
    return { w: r.width, h: r.height };
  };
  const fitScale = (s) => Math.min(s.w / W, s.h / H);

  const draw = () => {
    const s = size();
    if (s.w === 0 || s.h === 0) {
      return false; // in a hidden tab: drawn when it shows (ResizeObserver)
    }
    const scale = fitScale(s) * view.zoom;
    // Keep the image over the stage: centred when smaller, edges never pulled inside.
    const halfW = s.w / 2 / scale;
    const halfH = s.h / 2 / scale;
    view.cx = W * scale <= s.w ? W / 2 : clamp(view.cx, halfW, W - halfW);
    view.cy = H * scale <= s.h ? H / 2 : clamp(view.cy, halfH, H - halfH);
    const tx = s.w / 2 - view.cx * scale;
    const ty = s.h / 2 - view.cy * scale;
    canvas.style.transform = `translate(${tx}px, ${ty}px) scale(${scale})`;
    level.textContent = `${Math.round(view.zoom * 100)}%`;
    stage.classList.toggle("iv-zoomed", view.zoom > 1.001);
    return true;
  };

  // Tell the linked viewers (if any) where this one now is; they redraw without answering.
  const share = () => {
    const peers = data.link ? links.get(data.link) : undefined;
    if (!peers) {
      return;
    }
    const state = { zoom: view.zoom, fx: view.cx / W, fy: view.cy / H };
    peers.forEach((follow, peer) => peer !== root && follow(state));
  };
  const follow = (state) => {
    view.zoom = state.zoom;
    view.cx = state.fx * W;
    view.cy = state.fy * H;
    draw();
  };

  // Zoom by `factor` keeping the image point under (px, py) (stage coordinates) in place.
  const zoomAt = (factor, px, py) => {
    const s = size();
    const before = fitScale(s) * view.zoom;
    const ix = view.cx + (px - s.w / 2) / before;
    const iy = view.cy + (py - s.h / 2) / before;
    view.zoom = clamp(view.zoom * factor, 1, MAX_ZOOM);
    const after = fitScale(s) * view.zoom;
    view.cx = ix - (px - s.w / 2) / after;
    view.cy = iy - (py - s.h / 2) / after;
    draw();
    share();
  };

  const focusMark = (mark) => {
    const s = size();
    if (s.w === 0) {
      view.pending = mark;
      return;
    }
    view.pending = null;
    const [x0, y0, x1, y1] = mark.box;
    const fit = fitScale(s);
    // Big enough to read (a third of the stage), never past what shows the whole mark.
    const want = Math.min((s.w * 0.34) / Math.max(1, x1 - x0), (s.h * 0.34) / Math.max(1, y1 - y0));
    const most = Math.min((s.w * 0.9) / Math.max(1, x1 - x0), (s.h * 0.9) / Math.max(1, y1 - y0));
    // At most 3x on its own, so the mark keeps some of its surroundings.
    view.zoom = clamp(Math.min(Math.max(view.zoom, Math.min(want / fit, 3)), most / fit), 1, MAX_ZOOM);
    view.cx = (x0 + x1) / 2;
    view.cy = (y0 + y1) / 2;
    draw();
    const box = stage.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) {
      stage.scrollIntoView({ block: "nearest" });
    }
  };

  const listeners = new AbortController();
  const { signal } = listeners;
  const center = () => {
    const s = size();
    return [s.w / 2, s.h / 2];
  };
  root.querySelector(".iv-in").addEventListener("click", () => zoomAt(1.5, ...center()), { signal });
  root.querySelector(".iv-out").addEventListener("click", () => zoomAt(1 / 1.5, ...center()), { signal });
  root.querySelector(".iv-fit").addEventListener(
    "click",
    () => {
      view.zoom = 1;
      draw();
      share();
    },
    { signal },
  );

  const local = (event) => {
    const r = stage.getBoundingClientRect();
    return [event.clientX - r.left, event.clientY - r.top];
  };
  stage.addEventListener(
    "wheel",
    (event) => {
      // Plain scrolling keeps scrolling the page; Ctrl/Cmd + wheel (and a trackpad pinch,
      // which the browser sends as Ctrl + wheel) zooms.
      if (!event.ctrlKey && !event.metaKey) {
        return;
      }
      event.preventDefault();
      zoomAt(Math.exp(-event.deltaY * 0.004), ...local(event));
    },
    { signal, passive: false },
  );
  stage.addEventListener(
    "dblclick",
    (event) => zoomAt(event.shiftKey ? 1 / 2 : 2, ...local(event)),
    { signal },
  );

  let drag = null;
  stage.addEventListener(
    "pointerdown",
    (event) => {
      if (event.button !== 0 || view.zoom <= 1.001) {
        return;
      }
      drag = { id: event.pointerId, x: event.clientX, y: event.clientY };
      stage.setPointerCapture(event.pointerId);
      stage.classList.add("iv-dragging");
    },
    { signal },
  );
  stage.addEventListener(
    "pointermove",
    (event) => {
      if (!drag || event.pointerId !== drag.id) {
        return;
      }
      const scale = fitScale(size()) * view.zoom;
      view.cx -= (event.clientX - drag.x) / scale;
      view.cy -= (event.clientY - drag.y) / scale;
      drag.x = event.clientX;
      drag.y = event.clientY;
      draw();
      share();
    },
    { signal },
  );
  const stop = () => {
    drag = null;
    stage.classList.remove("iv-dragging");
  };
  stage.addEventListener("pointerup", stop, { signal });
  stage.addEventListener("pointercancel", stop, { signal });

  stage.addEventListener(
    "keydown",
    (event) => {
      const scale = fitScale(size()) * view.zoom;
      const step = (size().w * 0.1) / scale;
      const keys = {
        "+": () => zoomAt(1.5, ...center()),
        "=": () => zoomAt(1.5, ...center()),
        "-": () => zoomAt(1 / 1.5, ...center()),
        0: () => {
          view.zoom = 1;
          draw();
          share();
        },
        ArrowLeft: () => ((view.cx -= step), draw(), share()),
        ArrowRight: () => ((view.cx += step), draw(), share()),
        ArrowUp: () => ((view.cy -= step), draw(), share()),
        ArrowDown: () => ((view.cy += step), draw(), share()),
      };
      if (event.key in keys) {
        event.preventDefault();
        keys[event.key]();
      }
    },
    { signal },
  );

  if (data.link) {
    if (!links.has(data.link)) {
      links.set(data.link, new Map());
    }
    links.get(data.link).set(root, follow);
  }

  const resize = new ResizeObserver(() => {
    if (draw() && view.pending) {
      focusMark(view.pending);
    }
  });
  resize.observe(stage);

  draw();
  const selected = data.selected ?? null;
  if (selected !== view.selected) {
    view.selected = selected;
    const mark = (data.marks || []).find((m) => m.n === selected);
    if (mark) {
      focusMark(mark);
    } else if (selected === null) {
      view.zoom = 1;
      draw();
    }
  }

  const cleanup = () => {
    listeners.abort();
    resize.disconnect();
    const peers = data.link ? links.get(data.link) : undefined;
    if (peers?.get(root) === follow) {
      peers.delete(root);
    }
    if (unbind.get(root) === cleanup) {
      unbind.delete(root);
    }
  };
  unbind.set(root, cleanup);
  return cleanup;
}
