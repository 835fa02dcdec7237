/**
 * @module
 * The partner dashboard's pages: server-rendered HTML, no client script, so it
 * works everywhere and every value is escaped by `html`.
 */
import type { Program } from '../../contract/program.ts';
import { REFERRAL_STATUSES, type Referral } from '../../contract/referrals.ts';
import type { Reward } from '../../contract/rewards.ts';
import type { EmbedSnippets } from '../domain/embed-snippet.ts';
import { html, raw, type SafeHtml } from './html.ts';

const STYLE = raw(`
:root{color-scheme:light dark;--accent:#4f46e5;font:15px/1.5 system-ui,sans-serif}
body{margin:0;background:Canvas;color:CanvasText}
header{display:flex;gap:1.5rem;align-items:center;padding:.75rem 1.5rem;border-block-end:1px solid #8884}
header nav{display:flex;gap:1rem;flex:1}
main{max-width:72rem;margin:auto;padding:1.5rem}
a{color:var(--accent)}
table{border-collapse:collapse;width:100%}
th,td{text-align:start;padding:.4rem .6rem;border-block-end:1px solid #8883;vertical-align:top}
.status{padding:.1rem .5rem;border-radius:1rem;background:#8882;font-size:.85em}
.status-converted{background:#16a34a33}.status-expired{background:#71717a33}.status-pending{background:#eab30833}
form.inline{display:flex;gap:.5rem;flex-wrap:wrap;align-items:end;margin-block:1rem}
label{display:grid;gap:.25rem}
input,select,textarea,button{font:inherit;padding:.4rem .6rem}
button{background:var(--accent);color:#fff;border:0;border-radius:.3rem;cursor:pointer}
pre{background:#8881;padding:.75rem;overflow:auto;white-space:pre-wrap;word-break:break-all}
.error{color:#dc2626}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}
`);

export function layout(title: string, body: SafeHtml, signedIn = true): SafeHtml {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · Offertown</title><style>${STYLE}</style></head>
<body>
<header><strong>Offertown</strong>${signedIn
    ? html`<nav><a href="/dashboard">Referrals</a><a href="/dashboard/settings">Program</a></nav>
<form method="post" action="/dashboard/logout"><button>Sign out</button></form>`
    : ''}</header>
<main>${body}</main>
</body></html>`;
}

export function loginPage(error?: string): SafeHtml {
  return layout('Sign in', html`<h1>Partner dashboard</h1>
<p>Sign in with your API key (<code>oft_…</code>). It stays in an HTTP-only cookie for this dashboard only.</p>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/dashboard/login" class="inline">
<label>API key <input name="apiKey" type="password" autocomplete="current-password" required size="40"></label>
<button>Sign in</button></form>`, false);
}

const formatCents = (cents: string | null) => (cents === null ? '—' : `€${(Number(cents) / 100).toFixed(2)}`);
const formatTime = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16));
const statusBadge = (status: string) => html`<span class="status status-${status}">${status}</span>`;

export interface ReferralsView {
  referrals: Referral[];
  total: number;
  page: number;
  pageSize: number;
  status?: string | undefined;
  search?: string | undefined;
}

export function referralsPage(view: ReferralsView): SafeHtml {
  const pages = Math.max(1, Math.ceil(view.total / view.pageSize));
  const link = (page: number) =>
    `/dashboard?${new URLSearchParams({ ...(view.status && { status: view.status }), ...(view.search && { search: view.search }), page: String(page) })}`;
  return layout('Referrals', html`<h1>Referrals</h1>
<form method="get" action="/dashboard" class="inline">
<label>Status <select name="status"><option value="">any</option>${REFERRAL_STATUSES.map(
    (s) => html`<option value="${s}" ${s === view.status ? raw('selected') : ''}>${s}</option>`,
  )}</select></label>
<label>Search <input name="search" value="${view.search ?? ''}" maxlength="256" placeholder="email, name, ID"></label>
<button>Filter</button></form>
<p>${view.total} referral${view.total === 1 ? '' : 's'}</p>
<table><thead><tr><th>Friend</th><th>Referrer</th><th>Status</th><th>Created</th><th>Value</th></tr></thead><tbody>
${view.referrals.map((r) => html`<tr>
<td><a href="/dashboard/referrals/${r.referralId}">${r.friendName ?? r.friendEmail ?? '(click)'}</a><br><small>${r.friendEmail ?? ''}</small></td>
<td>${r.referrerIdentifier} <small>(${r.referralCode})</small></td>
<td>${statusBadge(r.status)}</td><td>${formatTime(r.createdAt)}</td><td>${formatCents(r.conversionValue)}</td></tr>`)}
</tbody></table>
<p>${view.page > 1 ? html`<a href="${link(view.page - 1)}">← Previous</a>` : ''} Page ${view.page} of ${pages}
${view.page < pages ? html`<a href="${link(view.page + 1)}">Next →</a>` : ''}</p>`);
}

const euros = (cents: number | null) => (cents === null ? "—" : `€${(cents / 100).toFixed(2)}`);

/** The money side of a referral page: its rewards, the referrer's wallet and what may be done now. */
export interface ReferralMoney {
  rewards: Reward[];
  walletBalance: number | null;
  /** `offertown demo` only: offer to skip the confirmation period. */
  demo: boolean;
  /** A fresh key for the refund form, so a double submit refunds once. */
  refundKey: string;
  notice?: string | undefined;
  error?: string | undefined;
}

function rewardsSection(referral: Referral, money: ReferralMoney): SafeHtml {
  const action = (name: string, label: string) =>
    html`<form method="post" action="/dashboard/referrals/${referral.referralId}/${name}"><button>${label}</button></form>`;
  const awaiting = money.rewards.some((r) => r.status === 'awaiting_approval');
  const maturing = money.rewards.some((r) => (r.status === 'approved' || r.status === 'awaiting_approval') && r.fundedAt === null);
  return html`<h2>Rewards</h2>
${money.notice ? html`<p role="status" id="notice">${money.notice}</p>` : ''}${money.error ? html`<p class="error" role="alert">${money.error}</p>` : ''}
${money.rewards.length === 0 ? html`<p>No rewards: they are created when the referral converts.</p>` : html`
<table id="rewards"><thead><tr><th>For</th><th>Status</th><th>Amount</th><th>Clawed back</th><th>Commission</th><th>Matures</th><th>Funded</th></tr></thead><tbody>
${money.rewards.map((r) => html`<tr><td>${r.beneficiary}</td><td>${statusBadge(r.status)}${r.fundingError ? html`<br><small class="error">${r.fundingError.message}</small>` : ''}</td>
<td>${euros(r.amount)}</td><td>${euros(r.clawedBack)}</td><td>${euros(r.commission)}</td><td>${formatTime(r.maturesAt)}</td><td>${formatTime(r.fundedAt)}</td></tr>`)}
</tbody></table>`}
${money.walletBalance === null ? '' : html`<p>${referral.referrerIdentifier}'s wallet: <strong id="wallet">${euros(money.walletBalance)}</strong></p>`}
<div class="inline" style="display:flex;gap:.5rem;flex-wrap:wrap">
${awaiting ? [action('approve', 'Approve rewards'), action('reject', 'Reject rewards')] : ''}
${money.demo && maturing && !awaiting ? action('skip-confirmation', 'Skip the confirmation period (demo)') : ''}
</div>
${referral.status === 'converted' && referral.conversionValue !== null ? html`
<form method="post" action="/dashboard/referrals/${referral.referralId}/refunds" class="inline">
<input type="hidden" name="idempotencyKey" value="${money.refundKey}">
<label>Refunded amount (€) <input name="amount" inputmode="decimal" required pattern="\d+([.,]\d{1,2})?" size="8"></label>
<label><input type="checkbox" name="dispute" value="1"> Dispute (chargeback)</label>
<button>Report refund</button></form>` : ''}`;
}

export function referralPage(referral: Referral, money?: ReferralMoney): SafeHtml {
  const actions = money ? rewardsSection(referral, money) : html``;
  return layout(`Referral ${referral.referralId}`, html`<p><a href="/dashboard">← Referrals</a></p>
<h1>${referral.friendName ?? referral.friendEmail ?? 'Click'} ${statusBadge(referral.status)}</h1>
<dl>
<dt>Referral ID</dt><dd><code>${referral.referralId}</code></dd>
<dt>Friend</dt><dd>${referral.friendName ?? '—'} ${referral.friendEmail ? html`&lt;${referral.friendEmail}&gt;` : ''}</dd>
<dt>Referrer</dt><dd>${referral.referrerIdentifier} (code <code>${referral.referralCode}</code>)</dd>
<dt>Created</dt><dd>${formatTime(referral.createdAt)}</dd>
<dt>Converted</dt><dd>${formatTime(referral.convertedAt)}</dd>
<dt>Value</dt><dd>${formatCents(referral.conversionValue)}</dd>
<dt>Your reference</dt><dd>${referral.externalSourceId ?? '—'}</dd>
<dt>Metadata</dt><dd><pre>${JSON.stringify(referral.metadata, null, 2)}</pre></dd>
</dl>${actions}`);
}

export function settingsPage(program: Program, snippets: EmbedSnippets, notice?: string, error?: string): SafeHtml {
  return layout('Program', html`<h1>${program.name}</h1>
${notice ? html`<p role="status">${notice}</p>` : ''}${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<dl><dt>Program ID</dt><dd><code>${program.programId}</code></dd>
<dt>Attribution window</dt><dd>${program.attributionWindowDays} days</dd></dl>
<h2>Snippets</h2>
<p>Tracker, in your site's <code>&lt;head&gt;</code>:</p><pre>${snippets.tracker}</pre>
<p>Widget, where referred friends sign up:</p><pre>${snippets.widget}</pre>
<h2>Settings</h2>
<form method="post" action="/dashboard/settings">
<p><label>Landing URL (where referral links send friends) <input name="landingUrl" type="url" size="60" value="${program.landingUrl ?? ''}"></label></p>
<p><label>Origins allowed to embed the widget (one per line)
<textarea name="allowedOrigins" rows="3" cols="60">${program.allowedOrigins.join('\n')}</textarea></label></p>
<p><label>Primary colour <input name="primaryColor" value="${program.branding.primaryColor ?? ''}" pattern="#[0-9a-fA-F]{6}"></label></p>
<p><button>Save</button></p></form>`);
}
