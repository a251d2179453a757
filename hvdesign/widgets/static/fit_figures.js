// Keeps the plotly figures as wide as their cards (hvdesign.widgets.assets.FitFigures).
function render({ el }) {
  let timer = null, width = -1;
  const kick = () => {
    clearTimeout(timer);
    timer = setTimeout(() => window.dispatchEvent(new Event("resize")), 80);
  };
  const observer = new ResizeObserver((entries) => {
    const w = Math.round(entries[0].contentRect.width);
    if (w !== width) { width = w; kick(); }
  });
  requestAnimationFrame(() => observer.observe(el.closest(".hv-app") || document.body));
  const late = setTimeout(kick, 1000);
  return () => { observer.disconnect(); clearTimeout(timer); clearTimeout(late); };
}
export default { render };
