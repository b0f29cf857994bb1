/**
 * The look of the hosted page and the widget: one small stylesheet of `.ec-*` classes, the
 * brand colour as a custom property with a text colour computed to stay readable on it
 * (WCAG contrast ≥ 4.5:1). Pure: bundled into the widget too.
 */

const HEX = /^#[0-9a-fA-F]{6}$/;
export const DEFAULT_BRAND = '#1f5fcc';

/** WCAG relative luminance of a `#rrggbb` colour. */
export function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG contrast ratio of two `#rrggbb` colours, 1–21. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The brand colour (a safe default when it is missing or malformed), the text colour on it, and its edge on white. */
export function brandColours(colour: string | undefined): { brand: string; onBrand: string; edge: string } {
  const brand = colour && HEX.test(colour) ? colour.toLowerCase() : DEFAULT_BRAND;
  const onBrand = contrast(brand, '#ffffff') >= contrast(brand, '#000000') ? '#ffffff' : '#000000';
  // A pale brand colour would not mark a button's edge on white (non-text contrast 3:1).
  const edge = contrast(brand, '#ffffff') >= 3 ? brand : '#1a1a1a';
  return { brand, onBrand, edge };
}

const BASE = `
.ec{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1a1a1a;text-align:start}
.ec *{box-sizing:border-box}
.ec [hidden]{display:none!important}
.ec-sr{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.ec fieldset{border:0;margin:0;padding:0;min-width:0}
.ec-legend{display:block;font-size:1.125em;font-weight:600;margin:0 0 .75em;padding:0}
.ec-req{color:#b00020}
.ec-progress{font-size:.875em;color:#4a4a4a;margin:0 0 .5em}
.ec-scale{display:grid;gap:4px}
.ec-n5{grid-template-columns:repeat(5,1fr)}
.ec-n7{grid-template-columns:repeat(7,1fr)}
.ec-n11{grid-template-columns:repeat(11,1fr)}
.ec-opt{position:relative}
.ec-radio{position:absolute;top:0;left:0;width:100%;height:100%;margin:0;opacity:0;cursor:pointer}
.ec-opt label{display:flex;align-items:center;justify-content:center;min-height:44px;padding:0 2px;border:1px solid #595959;border-radius:6px;background:#fff;color:#1a1a1a;font-weight:600}
.ec-radio:hover+label{background:#ececec}
.ec-radio:checked+label{background:var(--brand);color:var(--on-brand);border:2px solid #1a1a1a;box-shadow:inset 0 0 0 2px var(--on-brand)}
.ec-radio:focus-visible+label,.ec button:focus-visible,.ec textarea:focus-visible,.ec-step:focus-visible,.ec-thanks:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}
.ec-ends{display:flex;justify-content:space-between;gap:1em;font-size:.875em;color:#4a4a4a;margin:.5em 0 0}
.ec-ends span:last-child{text-align:end}
.ec-why{margin-top:1.25em}
.ec-label{display:block;font-weight:600;margin:0 0 .5em}
.ec textarea{display:block;width:100%;min-height:6em;font:inherit;padding:.5em;border:1px solid #595959;border-radius:6px;color:#1a1a1a;background:#fff;resize:vertical}
.ec-nav{display:flex;gap:.75em;justify-content:flex-end;margin-top:1.25em}
.ec button{font:inherit;min-height:44px;padding:.5em 1.25em;border-radius:6px;cursor:pointer}
.ec-next{background:var(--brand);color:var(--on-brand);border:2px solid var(--edge);font-weight:600}
.ec-back{background:#fff;color:#1a1a1a;border:1px solid #595959}
.ec-error{color:#b00020;font-weight:600;margin:.75em 0 0}
.ec-error:empty,.ec-status:empty{display:none}
.ec-status,.ec-note{color:#4a4a4a;margin:.75em 0 0}
.ec-thanks{font-size:1.125em;font-weight:600;padding:1em 0}
`;

/** The shared stylesheet with the brand's colours bound to `selector` (`.ec` on the page, `:host` in the widget). */
export function surveyCss(colour: string | undefined, selector = '.ec'): string {
  const { brand, onBrand, edge } = brandColours(colour);
  return `${selector}{--brand:${brand};--on-brand:${onBrand};--edge:${edge}}${BASE.replace(/\n/g, '')}`;
}
