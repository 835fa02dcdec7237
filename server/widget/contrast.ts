/**
 * @module
 * Text on the program's colour: white when it reads (WCAG 2, 4.5:1), as
 * brands expect on their buttons, else black. One of the two always reaches
 * 4.58:1, so any brand colour passes.
 */

/** WCAG relative luminance of a `#rrggbb` colour. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG contrast ratio of two `#rrggbb` colours, 1 to 21. */
export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** WCAG AA for normal text. */
const READABLE = 4.5;

/** @example textOn('#4f46e5') // '#ffffff'; textOn('#ffcc00') // '#000000' */
export function textOn(hex: string): '#000000' | '#ffffff' {
  const white = contrast(hex, '#ffffff');
  return white >= READABLE || white >= contrast(hex, '#000000') ? '#ffffff' : '#000000';
}
