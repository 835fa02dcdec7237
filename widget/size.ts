/**
 * Reports the element's height in CSS pixels whenever it changes. After the
 * first report the page is revealed (`html[data-sized]`; CSS hides it until
 * then), a frame later so a tracker can size the iframe first: no flash.
 */
export function watchHeight(element: Element, report: (height: number) => void): void {
  new ResizeObserver(() => {
    report(Math.ceil(element.getBoundingClientRect().height));
    requestAnimationFrame(() => requestAnimationFrame(() => document.documentElement.setAttribute('data-sized', '')));
  }).observe(element);
}
