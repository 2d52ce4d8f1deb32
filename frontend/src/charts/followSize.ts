/**
 * Resizes an ECharts chart with its element. React removes the element before an effect's
 * cleanup runs, and a removed element reports 0 × 0, in which ECharts cannot lay out a map (it
 * throws): sizes without area are skipped.
 */
export function followSize(el: HTMLElement, chart: { resize: () => void }): ResizeObserver {
  const observer = new ResizeObserver(() => {
    if (el.isConnected && el.clientWidth > 0 && el.clientHeight > 0) chart.resize();
  });
  observer.observe(el);
  return observer;
}
