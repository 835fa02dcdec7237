import { describe, expect, it } from 'vitest';
import { frameAncestors, widgetCsp } from './csp.ts';
import { compileTemplate, scriptJson } from './page.ts';

describe('scriptJson', () => {
  it('cannot close its <script> element and reads back the same', () => {
    const value = { brand: '</script><script>alert(1)</script><!--', text: 'a & b \u2028' };
    const json = scriptJson(value);
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('compileTemplate', () => {
  const markers = '__OT_LANG__ __OT_THEME__ __OT_TITLE__ __OT_CONFIG__';

  it('fills each marker, taking values literally', () => {
    const fill = compileTemplate(`<html lang="__OT_LANG__">${markers.slice(12)}`);
    expect(fill({ __OT_LANG__: 'de', __OT_THEME__: 'dark', __OT_TITLE__: '$& $1', __OT_CONFIG__: '{}' })).toBe('<html lang="de">dark $& $1 {}');
  });

  it('refuses a template that lost or doubled a marker', () => {
    expect(() => compileTemplate(markers.replace('__OT_TITLE__', ''))).toThrow(/__OT_TITLE__/);
    expect(() => compileTemplate(`${markers} __OT_LANG__`)).toThrow(/__OT_LANG__/);
  });
});

describe('frame-ancestors', () => {
  it('lists the allowed origins, or none; never *', () => {
    expect(frameAncestors(['https://shop.example', 'http://localhost:8080'])).toBe('frame-ancestors https://shop.example http://localhost:8080');
    expect(frameAncestors([])).toBe("frame-ancestors 'none'");
    expect(frameAncestors(['*', 'https://a.example; script-src *', 'https://b.example/path'])).toBe("frame-ancestors 'none'");
  });

  it('admits the logo\'s origin for images and nothing else from outside', () => {
    expect(widgetCsp([], 'https://cdn.example/logo.png?v=1')).toContain("img-src 'self' https://cdn.example;");
    expect(widgetCsp([], null)).toContain("img-src 'self';");
    expect(widgetCsp([], null)).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self';/);
  });
});
