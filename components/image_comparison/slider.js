// Before/after slider for st.components.v2. Streamlit imports this module once and calls the
// default export on mount and again whenever `data` changes; the HTML stays in place between
// calls, so every call re-binds its listeners and returns a cleanup that removes them.
// Everything user-supplied (labels, caption) goes in through textContent or attributes,
// never through innerHTML.

// Divider position per mounted instance, so a rerun with the same start keeps the user's spot.
const positions = new WeakMap();

const clamp = (value) => Math.min(100, Math.max(0, value));
const round = (value) => Math.round(value * 10) / 10;

export default function imageComparison(component) {
  const { data, parentElement } = component;
  const root = parentElement.querySelector(".uic");
  if (!root || !data) {
    return undefined;
  }
  const stage = root.querySelector(".uic-stage");
  const handle = root.querySelector(".uic-handle");
  const caption = root.querySelector(".uic-caption");
  const { before, after } = data;

  for (const [side, image] of [["before", before], ["after", after]]) {
    const img = root.querySelector(`.uic-img-${side}`);
    if (img.getAttribute("src") !== image.src) {
      img.src = image.src;
    }
    img.alt = image.label;
    img.style.setProperty("--uic-img-ratio", String(image.width / image.height));
    root.querySelector(`.uic-label-${side}`).textContent = image.label;
  }

  // The first image defines the box; the CSS letterboxes the second one into it.
  root.style.setProperty("--uic-ratio", `${before.width} / ${before.height}`);
  root.style.maxWidth = data.fitWidth ? "none" : `${before.width}px`;

  caption.textContent = data.caption || "";
  caption.hidden = !data.caption;

  handle.setAttribute("aria-label", `Divider between ${before.label} and ${after.label}`);

  const start = clamp(Number(data.start));
  const kept = positions.get(parentElement);
  let position = kept && kept.start === start ? kept.value : start;

  const show = (value) => {
    position = round(clamp(value));
    positions.set(parentElement, { start, value: position });
    root.style.setProperty("--uic-pos", String(position));
    handle.setAttribute("aria-valuenow", String(position));
    handle.setAttribute(
      "aria-valuetext",
      `${before.label} ${position}%, ${after.label} ${round(100 - position)}%`,
    );
  };
  show(position);

  const listeners = new AbortController();
  const { signal } = listeners;
  let dragging = null;

  const positionAt = (clientX) => {
    const box = stage.getBoundingClientRect();
    return box.width > 0 ? ((clientX - box.left) / box.width) * 100 : position;
  };

  stage.addEventListener(
    "pointerdown",
    (event) => {
      if (event.button !== 0) {
        return;
      }
      dragging = event.pointerId;
      stage.setPointerCapture(event.pointerId);
      show(positionAt(event.clientX));
      handle.focus({ preventScroll: true, focusVisible: false });
      event.preventDefault();
    },
    { signal },
  );
  stage.addEventListener(
    "pointermove",
    (event) => {
      if (event.pointerId === dragging) {
        show(positionAt(event.clientX));
      }
    },
    { signal },
  );
  const stop = (event) => {
    if (event.pointerId === dragging) {
      dragging = null;
    }
  };
  stage.addEventListener("pointerup", stop, { signal });
  stage.addEventListener("pointercancel", stop, { signal });

  const keySteps = {
    ArrowLeft: -1,
    ArrowDown: -1,
    ArrowRight: 1,
    ArrowUp: 1,
    PageDown: -10,
    PageUp: 10,
  };
  handle.addEventListener(
    "keydown",
    (event) => {
      let next;
      if (event.key === "Home") {
        next = 0;
      } else if (event.key === "End") {
        next = 100;
      } else if (event.key in keySteps) {
        next = position + keySteps[event.key] * (event.shiftKey ? 10 : 1);
      } else {
        return;
      }
      event.preventDefault();
      show(next);
    },
    { signal },
  );

  return () => listeners.abort();
}
