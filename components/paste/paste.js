// Paste a screenshot (Ctrl/Cmd+V) anywhere on the page: images on the clipboard are sent to
// Python as {name, mime, size, data (base64)}. One instance per page; it listens on the
// document, so focus can be anywhere but in a text field holding text to paste.

const MAX_SEND = 150 * 1024 * 1024; // under the server's websocket message limit, base64 included

const readBase64 = (file) =>
  new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });

const stamp = () => new Date().toTimeString().slice(0, 8).replaceAll(":", "-");

export default function pasteScreenshots(component) {
  const { data, parentElement, setTriggerValue } = component;
  const hint = parentElement.querySelector(".pz-hint");
  if (hint) {
    const mac = /Mac|iPhone|iPad/.test(navigator.platform || "");
    hint.replaceChildren(
      document.createTextNode(`${data?.hint || "Or paste a screenshot"}: `),
      Object.assign(document.createElement("kbd"), { textContent: mac ? "⌘" : "Ctrl" }),
      document.createTextNode(" + "),
      Object.assign(document.createElement("kbd"), { textContent: "V" }),
    );
  }

  const onPaste = async (event) => {
    const files = [...(event.clipboardData?.files || [])].filter((f) =>
      f.type.startsWith("image/"),
    );
    if (files.length === 0) {
      return; // text pastes go where they were meant to
    }
    event.preventDefault();
    const sent = [];
    for (const [i, file] of files.entries()) {
      // Browsers name every clipboard image "image.png"; a time keeps two pastes apart.
      const generic = !file.name || /^image\.\w+$/.test(file.name);
      const ext = (file.type.split("/")[1] || "png").replace("jpeg", "jpg");
      const name = generic ? `pasted-${stamp()}${files.length > 1 ? `-${i + 1}` : ""}.${ext}` : file.name;
      sent.push({
        name,
        mime: file.type,
        size: file.size,
        data: file.size <= MAX_SEND ? await readBase64(file) : null,
      });
    }
    setTriggerValue("pasted", sent);
  };
  document.addEventListener("paste", onPaste);
  return () => document.removeEventListener("paste", onPaste);
}
