/**
 * @module
 * The submission: `POST /api/public/programs/{programId}/referrals` on the
 * widget's own origin, answered as what the form does next.
 */
import type { FriendSubmission } from '../contract/public.ts';
import type { ErrorResponse } from '../contract/errors.ts';

/** Created (or found again); fields the server refused; or try again later. */
export type Reply = { id: string } | { fields: string[] } | { retry: 'tooMany' | 'failed' };

export type Send = (programId: string, body: FriendSubmission) => Promise<Reply>;

export const send: Send = async (programId, body) => {
  try {
    const response = await fetch(`/api/public/programs/${programId}/referrals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status === 429) return { retry: 'tooMany' };
    const json = await response.json();
    if (response.ok) return { id: json.referralId };
    const fields = (json as ErrorResponse).error.fields?.map((f) => f.field);
    if (response.status === 400 && fields?.length) return { fields };
  } catch {
    // Offline, or an answer that is not ours (a proxy's error page): either way, worth a retry.
  }
  return { retry: 'failed' };
};
