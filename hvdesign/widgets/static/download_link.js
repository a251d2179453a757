// A download link for bytes held by the kernel (hvdesign.widgets.assets.DownloadLink).
function render({ model, el }) {
  const a = document.createElement("a");
  a.className = "hv-download";
  el.appendChild(a);
  let url = null;
  function update() {
    if (url) { URL.revokeObjectURL(url); url = null; }
    const data = model.get("data");
    const size = data ? data.byteLength : 0;
    if (!size) { a.style.display = "none"; a.removeAttribute("href"); return; }
    url = URL.createObjectURL(new Blob([data], { type: model.get("mime") }));
    a.href = url;
    a.download = model.get("filename");
    a.textContent = model.get("label");
    a.title = "Save " + model.get("filename");
    a.style.display = "inline-block";
  }
  model.on("change:data", update);
  model.on("change:label", update);
  update();
  return () => { if (url) URL.revokeObjectURL(url); };
}
export default { render };
