/**
 * @module
 * The widget's entry: render the form from the inlined config, talk to the
 * embedding page, and report the height until the page needs it no more.
 */
import { render } from 'preact';
import { App } from './App.tsx';
import { readConfig } from './config.ts';
import { connect } from './embed.ts';
import { createForm } from './form.ts';
import { send } from './send.ts';
import { watchHeight } from './size.ts';
import './style.css';

/** A tracker that loads after the widget missed the first messages: repeat them a few times. */
const REPEAT_MS = [500, 1500, 4000];

const cfg = readConfig();
const form = createForm(cfg, send, (referralId) => post({ type: 'offertown:submitted', referralId }));
const post = connect(window, cfg.origins, form.attribute);
const root = document.body;
let height = 0;

render(<App cfg={cfg} form={form} />, root);
watchHeight(root, (h) => post({ type: 'offertown:height', height: (height = h) }));

const announce = () => {
  if (!form.known.value) post({ type: 'offertown:ready' });
  if (height) post({ type: 'offertown:height', height });
};
post({ type: 'offertown:ready' });
for (const ms of REPEAT_MS) setTimeout(announce, ms);
