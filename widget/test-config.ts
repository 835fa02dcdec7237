/**
 * @module
 * A widget config as the server would inline it, for tests.
 */
import type { WidgetConfig } from './config.ts';
import { MESSAGES } from './messages/index.ts';

export function testConfig(overrides: Partial<WidgetConfig> = {}): WidgetConfig {
  const t = MESSAGES.en;
  return {
    programId: 'pub_0123456789abcdef',
    origins: ['https://shop.example'],
    brand: 'Test Shop',
    logoUrl: null,
    color: '#4f46e5',
    onColor: '#ffffff',
    headline: t.headline,
    text: t.text,
    buttonLabel: t.submit,
    termsUrl: 'https://shop.example/terms',
    rewardText: null,
    ref: null,
    click: null,
    t,
    ...overrides,
  };
}
