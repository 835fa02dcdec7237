import { describe, expect, it } from 'vitest';
import type { Program } from '../../contract/program.ts';
import { MESSAGES } from '../../widget/messages/index.ts';
import { widgetView } from './config.ts';
import { contrast, textOn } from './contrast.ts';
import { fromAcceptLanguage } from './locale.ts';

const program = (branding: Record<string, unknown> = {}, extra: Partial<Program> = {}): Program => ({
  programId: 'pub_0123456789abcdef',
  name: 'Shop',
  landingUrl: null,
  allowedOrigins: ['https://shop.example'],
  attributionWindowDays: 90,
  branding: branding as Program['branding'],
  rewards: { referrerReward: null, friendReward: null, confirmationPeriodDays: 14, autoApprove: false },
  createdAt: 0,
  updatedAt: 0,
  ...extra,
});

describe('locale', () => {
  it('is ?locale=, else the program\'s, else the browser\'s, else English', () => {
    expect(widgetView(program({ locale: 'fr' }), { locale: 'de-AT' }, 'es').locale).toBe('de');
    expect(widgetView(program({ locale: 'fr' }), { locale: 'xx' }, 'es').locale).toBe('fr');
    expect(widgetView(program({ locale: null }), {}, 'pt-BR, nl;q=0.8, de;q=0.9').locale).toBe('de');
    expect(widgetView(program(), {}, 'ja').locale).toBe('en');
    expect(widgetView(program(), {}, undefined).config.t.needName).toBe(MESSAGES.en.needName);
  });

  it('reads Accept-Language by weight, skipping q=0 and languages the widget lacks', () => {
    expect(fromAcceptLanguage('it;q=0, nl;q=0.5, es-MX;q=0.7')).toBe('es');
    expect(fromAcceptLanguage('*')).toBeUndefined();
  });
});

describe('branding', () => {
  it('takes valid ?color= and ?theme= over the program\'s, and ignores invalid ones', () => {
    const p = program({ primaryColor: '#123456', theme: 'dark' });
    expect(widgetView(p, { color: 'ffcc00', theme: 'light' })).toMatchObject({ theme: 'light', config: { color: '#ffcc00', onColor: '#000000' } });
    expect(widgetView(p, { color: '#ffcc00' }).config.color).toBe('#ffcc00');
    expect(widgetView(p, { color: 'red;x', theme: 'neon' })).toMatchObject({ theme: 'dark', config: { color: '#123456' } });
    expect(widgetView(p, { color: ['#ffcc00', '#000000'] }).config.color).toBe('#123456');
  });

  it('defaults every text to the locale\'s and the brand to the program\'s name', () => {
    const { config } = widgetView(program(), { locale: 'nl' });
    expect(config).toMatchObject({ brand: 'Shop', headline: MESSAGES.nl.headline, text: MESSAGES.nl.text, buttonLabel: MESSAGES.nl.submit, color: '#4f46e5', onColor: '#ffffff' });
  });

  it('drops a stored field that fails its schema, keeping the rest', () => {
    const { config } = widgetView(program({ name: 'Brand', logoUrl: 'javascript:alert(1)', primaryColor: 'red', termsUrl: 'https://shop.example/terms' }), {});
    expect(config).toMatchObject({ brand: 'Brand', logoUrl: null, color: '#4f46e5', termsUrl: 'https://shop.example/terms' });
  });
});

describe('attribution from the src', () => {
  it('keeps a well-formed ?ref= (any case) and ?click=, drops anything else', () => {
    expect(widgetView(program(), { ref: 'A1B2C3D4', click: 'ref_0123456789abcdef' }).config).toMatchObject({ ref: 'a1b2c3d4', click: 'ref_0123456789abcdef' });
    expect(widgetView(program(), { ref: 'a1b2"><x', click: 'ref_1' }).config).toMatchObject({ ref: null, click: null });
  });
});

describe('the friend\'s reward', () => {
  const rewards = (friendReward: unknown) => ({ rewards: { referrerReward: null, friendReward, confirmationPeriodDays: 14, autoApprove: false } as Program['rewards'] });

  it('is the program\'s own text first', () => {
    expect(widgetView(program({ friendRewardText: '10 € off your first order' }, rewards({ type: 'fixed', amount: 500 })), {}).config.rewardText).toBe('10 € off your first order');
  });

  it('else its friend reward, in the visitor\'s locale', () => {
    // \s: ICU versions differ in which no-break space they put before € and %.
    expect(widgetView(program({}, rewards({ type: 'fixed', amount: 1000 })), { locale: 'de' }).config.rewardText).toMatch(/^10,00\s€, sobald Ihr Einkauf bestätigt ist$/);
    expect(widgetView(program({}, rewards({ type: 'percentage', basisPoints: 1250, maxAmount: null })), {}).config.rewardText).toBe('12.5% of your purchase once it is confirmed');
    expect(widgetView(program({}, rewards({ type: 'percentage', basisPoints: 1000, maxAmount: 2000 })), { locale: 'fr' }).config.rewardText)
      .toMatch(/^10\s% de votre achat \(jusqu’à 20,00\s€\) une fois celui-ci confirmé$/);
  });

  it('is null when the program has none', () => {
    expect(widgetView(program(), {}).config.rewardText).toBeNull();
  });
});

describe('text on the brand colour', () => {
  it('reaches 4.5:1 for any colour, white whenever white does', () => {
    for (let i = 0; i < 4096; i++) {
      const hex = `#${(i * 4099 % 0xffffff).toString(16).padStart(6, '0')}`;
      const text = textOn(hex);
      expect(contrast(hex, text), hex).toBeGreaterThanOrEqual(4.5);
      if (contrast(hex, '#ffffff') >= 4.5) expect(text).toBe('#ffffff');
    }
  });
});
