/**
 * @module
 * The demo: one approved partner with its program, created on first start and
 * reused after. Its API key is shown only once, so every demo start issues a
 * fresh one and prints it.
 */
import type { Store } from './store/connect.ts';
import { createPartner, listPartners, rotateApiKey } from './store/partners.ts';
import { updateProgram } from './store/programs.ts';

export const DEMO_PARTNER_EMAIL = 'demo@offertown.local';

export interface DemoPartner {
  partnerId: string;
  programId: string;
  apiKey: string;
}

export async function seedDemo(store: Store, now: number, baseUrl: string): Promise<DemoPartner> {
  const existing = (await listPartners(store.db)).find((p) => p.email === DEMO_PARTNER_EMAIL);
  if (existing) {
    const apiKey = await rotateApiKey(store.db, existing.id, now);
    return { partnerId: existing.id, programId: existing.program_id, apiKey: apiKey! };
  }
  const created = await createPartner(store.db, { name: 'Demo Shop', email: DEMO_PARTNER_EMAIL, approve: true }, now);
  await updateProgram(store.db, created.programId, {
    landingUrl: `${baseUrl}/`,
    branding: { name: 'Demo Shop', headline: 'A friend invited you', buttonLabel: 'Claim my welcome gift' },
  }, now);
  return created;
}
