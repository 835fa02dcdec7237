import { describe, expect, it } from 'vitest';
import type { Program } from '../../contract/program.ts';
import { programSnippet, snippetServerUrl } from './program-snippet.ts';

const program = (allowedOrigins: string[], attributionWindowDays = 90) => ({ programId: 'pub_0123456789abcdef', allowedOrigins, attributionWindowDays }) as Program;

describe('programSnippet', () => {
  it('gives the widget iframe and the optional tracker tag for the server\'s public URL', () => {
    const { html, warnings } = programSnippet(program(['https://shop.example']), 'https://ref.example.com', true);
    expect(html).toContain('<iframe src="https://ref.example.com/widget/pub_0123456789abcdef"');
    expect(html).toContain('<script async src="https://ref.example.com/t.js" data-program="pub_0123456789abcdef"></script>');
    expect(warnings).toEqual([]);
  });

  it('writes a window other than the tracker\'s 90 days into the tag, so the cookie lasts as long as the attribution', () => {
    const { html } = programSnippet(program(['https://shop.example'], 180), 'https://ref.example.com', true);
    expect(html).toContain('<script async src="https://ref.example.com/t.js" data-program="pub_0123456789abcdef" data-window="180"></script>');
    expect(html).toContain('for 180 days');
  });

  it('warns when no origin may frame the widget, and when the URL is only where the server listens', () => {
    const { warnings } = programSnippet(program([]), 'http://127.0.0.1:3000', false);
    expect(warnings.join('\n')).toMatch(/allows no origin[\s\S]*--allowed-origins[\s\S]*--public-url/);
  });
});

describe('snippetServerUrl', () => {
  it('prefers the public URL, else where the server listens', () => {
    expect(snippetServerUrl({ publicUrl: 'https://ref.example.com/', host: '0.0.0.0', port: 3000 })).toBe('https://ref.example.com');
    expect(snippetServerUrl({ publicUrl: undefined, host: '0.0.0.0', port: 3000 })).toBe('http://127.0.0.1:3000');
    expect(snippetServerUrl({ publicUrl: undefined, host: '::1', port: 8080 })).toBe('http://[::1]:8080');
  });
});
