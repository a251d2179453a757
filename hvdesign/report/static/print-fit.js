/* Plotly figures keep the pixel width they were drawn at, so before printing they are
   redrawn at the printable width of an A4 or Letter page (680 px, with a smaller legend
   font and room above the plot for a legend that wraps), and afterwards as they were. */
(function () {
  var PRINT_WIDTH_PX = 680, PRINT_LEGEND_PX = 10, PRINT_LEGEND_ROOM_PX = 24;
  function fit(printing) {
    if (!window.Plotly) { return; }
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      if (printing) {
        var L = gd.layout, font = (L.legend && L.legend.font) || {};
        var top = (L.margin && L.margin.t) || 80;
        gd.hvScreen = {"legend.font.size": font.size || null, "margin.t": top};
        Plotly.relayout(gd, {width: PRINT_WIDTH_PX, "legend.font.size": PRINT_LEGEND_PX,
                             "margin.t": top + PRINT_LEGEND_ROOM_PX});
      } else if (gd.hvScreen) {
        Plotly.relayout(gd, Object.assign({width: null, autosize: true}, gd.hvScreen));
      }
    });
  }
  window.addEventListener("beforeprint", function () { fit(true); });
  window.addEventListener("afterprint", function () { fit(false); });
})();
