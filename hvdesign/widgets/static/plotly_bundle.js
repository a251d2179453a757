// Plotly's FigureWidget front end, loaded from the Voila server (hvdesign.widgets.slot):
// the bundle (plotly/package_data/widgetbundle.js, about 5 MB) is served by
// hvdesign.widgets.serve at <base>voila/static/widgetbundle.js, fetched once and
// evaluated once per page, instead of travelling in every figure's widget state.
const base = (document.body && document.body.dataset.baseUrl) || "/voila/";
const bundle = await import(new URL(base + "static/widgetbundle.js", window.location.href).href);
export const FigureModel = bundle.FigureModel;
export const FigureView = bundle.FigureView;
export default bundle.default;
