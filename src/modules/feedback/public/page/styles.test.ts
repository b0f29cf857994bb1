import { describe, expect, it } from 'vitest';
import { jsonForScript, esc } from './html.js';
import { brandColours, contrast, DEFAULT_BRAND } from './styles.js';

describe('the page’s colours and escaping', () => {
  it('computes WCAG contrast ratios', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrast('#ffffff', '#ffffff')).toBe(1);
  });

  it('picks a text colour of at least 4.5:1 on any brand colour', () => {
    for (let i = 0; i < 4096; i++) {
      const hex = `#${[(i >> 8) & 15, (i >> 4) & 15, i & 15].map((n) => (n * 17).toString(16).padStart(2, '0')).join('')}`;
      const { brand, onBrand } = brandColours(hex);
      expect(contrast(brand, onBrand), hex).toBeGreaterThanOrEqual(4.5);
    }
    expect(brandColours('#ffd400').onBrand).toBe('#000000');
    expect(brandColours('#1f3a93').onBrand).toBe('#ffffff');
    expect(brandColours('#ffd400').edge).toBe('#1a1a1a');
    expect(brandColours('red;}</style><script>').brand).toBe(DEFAULT_BRAND);
  });

  it('escapes text and script data', () => {
    expect(esc(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    const json = jsonForScript({ a: '</script><!-- \u2028' });
    expect(json).not.toMatch(/[<>\u2028]/);
    expect(JSON.parse(json)).toEqual({ a: '</script><!-- \u2028' });
  });
});
