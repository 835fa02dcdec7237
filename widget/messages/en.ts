/** English, the reference every other locale translates key by key. `{…}` are filled in by the widget. */
export const en = {
  form: 'Referral form',
  headline: 'A friend invited you',
  text: 'Leave your name and email address to accept the invitation.',
  name: 'Your name',
  email: 'Your email address',
  referrer: 'Who referred you?',
  referrerHint: 'Their share code or email address',
  consent: 'I accept the {terms}.',
  terms: 'terms and conditions',
  consentPlain: 'I agree that {brand} may use my name and email address for this invitation.',
  submit: 'Accept the invitation',
  sending: 'Sending…',
  needName: 'Please enter your name.',
  needEmail: 'Please enter a valid email address, such as name@example.com.',
  needReferrer: 'Please enter a share code (8 letters and digits) or an email address.',
  unknownReferrer: 'We could not find who referred you. Please check the code or email address.',
  refusedEmail: 'This email address cannot accept the invitation. Please use another one.',
  needConsent: 'Please tick the box to continue.',
  tooMany: 'Too many attempts. Please wait a minute, then try again.',
  failed: 'Your details could not be sent. Please check your connection and try again.',
  retry: 'Try again',
  thanks: 'Thank you, {name}!',
  done: '{brand} now knows who invited you.',
  reward: 'Your reward: {reward}',
  rewardAmount: '{amount} once your purchase is confirmed',
  rewardShare: '{percent} of your purchase once it is confirmed',
  rewardShareUpTo: '{percent} of your purchase (up to {max}) once it is confirmed',
  notFound: 'This form is not available',
  notFoundText: 'Please check the link, or ask the person who shared it with you.',
};

/** Every locale has exactly these keys. */
export type Messages = Record<keyof typeof en, string>;
export type MessageKey = keyof Messages;
