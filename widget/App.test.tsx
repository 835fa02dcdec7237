import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './App.tsx';
import type { WidgetConfig } from './config.ts';
import { createForm } from './form.ts';
import type { Reply, Send } from './send.ts';
import { testConfig } from './test-config.ts';

afterEach(cleanup);

function mount(overrides: Partial<WidgetConfig> = {}, ...replies: Reply[]) {
  const send = vi.fn<Send>(async () => replies.shift() ?? { id: 'ref_0000000000000001' });
  const onDone = vi.fn();
  const cfg = testConfig(overrides);
  const form = createForm(cfg, send, onDone);
  render(<App cfg={cfg} form={form} />);
  return { send, onDone, form };
}

const type = (label: RegExp, text: string) => fireEvent.input(screen.getByLabelText(label), { target: { value: text } });

function fillIn({ referrer = 'a1b2c3d4' }: { referrer?: string | null } = {}) {
  type(/your name/i, ' Ana Lima ');
  type(/your email/i, ' ana@example.com');
  if (referrer !== null) type(/who referred you/i, referrer);
  fireEvent.click(screen.getByRole('checkbox'));
}

const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Accept the invitation' }));

describe('the form', () => {
  it('asks who referred the friend only when no referral is known', () => {
    mount();
    expect(screen.getByLabelText(/who referred you/i)).toBeTruthy();
    cleanup();
    mount({ ref: 'a1b2c3d4' });
    expect(screen.queryByLabelText(/who referred you/i)).toBeNull();
  });

  it('names every invalid field inline, marks it invalid, and focuses the first', async () => {
    const { send } = mount();
    type(/your email/i, 'ana@');
    submit();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText(/your name/i)));
    const name = screen.getByLabelText(/your name/i);
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(name.getAttribute('aria-describedby')!)!.textContent).toBe('Please enter your name.');
    expect(screen.getByText('Please enter a valid email address, such as name@example.com.').getAttribute('aria-live')).toBe('polite');
    expect(screen.getByText(/share code \(8 letters and digits\)/)).toBeTruthy();
    expect(screen.getByText('Please tick the box to continue.')).toBeTruthy();
    expect(send).not.toHaveBeenCalled();
  });

  it('forgets a field\'s error once the friend edits it', async () => {
    mount();
    submit();
    await screen.findByText('Please enter your name.');
    type(/your name/i, 'A');
    expect(screen.queryByText('Please enter your name.')).toBeNull();
    expect(screen.getByLabelText(/your name/i).getAttribute('aria-invalid')).toBe('false');
  });

  it('sends trimmed fields with a typed share code, lower-cased', async () => {
    const { send } = mount();
    fillIn({ referrer: ' A1B2C3D4 ' });
    submit();
    await waitFor(() => expect(send).toHaveBeenCalledOnce());
    expect(send).toHaveBeenCalledWith('pub_0123456789abcdef', {
      friendName: 'Ana Lima', friendEmail: 'ana@example.com', consent: true, website: '', code: 'a1b2c3d4',
    });
  });

  it('sends a typed email as the referrer\'s email', async () => {
    const { send } = mount();
    fillIn({ referrer: 'bob@example.com' });
    submit();
    await waitFor(() => expect(send.mock.calls[0]![1]).toMatchObject({ referrerEmail: 'bob@example.com' }));
    expect(send.mock.calls[0]![1]).not.toHaveProperty('code');
  });

  it('sends the honeypot as filled, so the server can drop a bot', async () => {
    const { send } = mount();
    fillIn();
    fireEvent.input(document.querySelector('input[name=website]')!, { target: { value: 'http://spam.example' } });
    submit();
    await waitFor(() => expect(send.mock.calls[0]![1]).toMatchObject({ website: 'http://spam.example' }));
  });

  it('links the program\'s terms from the consent, or asks consent to use the details without terms', () => {
    mount();
    const link = screen.getByRole('link', { name: 'terms and conditions' });
    expect(link.getAttribute('href')).toBe('https://shop.example/terms');
    expect(link.getAttribute('rel')).toContain('noopener');
    cleanup();
    mount({ termsUrl: null });
    expect(screen.getByLabelText('I agree that Test Shop may use my name and email address for this invitation.')).toBeTruthy();
  });
});

describe('attribution', () => {
  it('sends the code and click from the iframe src', async () => {
    const { send } = mount({ ref: 'a1b2c3d4', click: 'ref_0123456789abcdef' });
    fillIn({ referrer: null });
    submit();
    await waitFor(() => expect(send.mock.calls[0]![1]).toMatchObject({ code: 'a1b2c3d4', clickId: 'ref_0123456789abcdef' }));
  });

  it('takes the tracker\'s attribution when the src has none, and hides the question', async () => {
    const { send, form } = mount();
    form.attribute({ code: 'zzzz2222', clickId: null });
    await waitFor(() => expect(screen.queryByLabelText(/who referred you/i)).toBeNull());
    fillIn({ referrer: null });
    submit();
    await waitFor(() => expect(send.mock.calls[0]![1]).toMatchObject({ code: 'zzzz2222' }));
  });

  it('keeps the src\'s attribution over the tracker\'s', async () => {
    const { send, form } = mount({ ref: 'a1b2c3d4' });
    form.attribute({ code: 'zzzz2222', clickId: 'ref_0123456789abcdef' });
    fillIn({ referrer: null });
    submit();
    await waitFor(() => expect(send).toHaveBeenCalledOnce());
    expect(send.mock.calls[0]![1]).toMatchObject({ code: 'a1b2c3d4' });
    expect(send.mock.calls[0]![1]).not.toHaveProperty('clickId', 'ref_0123456789abcdef');
  });

  it('asks who referred the friend when the server knows no referrer by the src\'s code', async () => {
    const { send } = mount({ ref: 'a1b2c3d4' }, { fields: ['code'] });
    fillIn({ referrer: null });
    submit();
    const question = await screen.findByLabelText(/who referred you/i);
    await waitFor(() => expect(document.activeElement).toBe(question));
    expect(screen.getByText(/could not find who referred you/)).toBeTruthy();
    type(/who referred you/i, 'bob@example.com');
    submit();
    await waitFor(() => expect(send).toHaveBeenCalledTimes(2));
    expect(send.mock.calls[1]![1]).toMatchObject({ referrerEmail: 'bob@example.com' });
    expect(send.mock.calls[1]![1]).not.toHaveProperty('code');
  });
});

describe('after sending', () => {
  it('thanks the friend by name, states the reward, focuses the heading and tells the page', async () => {
    const { onDone } = mount({ rewardText: '10 € off your first order' });
    fillIn();
    submit();
    const heading = await screen.findByRole('heading', { name: 'Thank you, Ana Lima!' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByText('Your reward: 10 € off your first order')).toBeTruthy();
    expect(screen.getByText('Test Shop now knows who invited you.')).toBeTruthy();
    expect(onDone).toHaveBeenCalledWith('ref_0000000000000001');
  });

  it('states no reward when the program has none', async () => {
    mount();
    fillIn();
    submit();
    await screen.findByRole('heading', { name: 'Thank you, Ana Lima!' });
    expect(screen.queryByText(/your reward/i)).toBeNull();
  });

  it('on 429 keeps what was typed, says so and retries', async () => {
    const { send } = mount({}, { retry: 'tooMany' });
    fillIn();
    submit();
    const alert = await screen.findByRole('alert');
    await waitFor(() => expect(alert.textContent).toContain('Too many attempts'));
    expect((screen.getByLabelText(/your name/i) as HTMLInputElement).value).toBe(' Ana Lima ');
    expect((screen.getByLabelText(/who referred you/i) as HTMLInputElement).value).toBe('a1b2c3d4');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByRole('heading', { name: 'Thank you, Ana Lima!' });
    expect(send).toHaveBeenCalledTimes(2);
    expect(send.mock.calls[1]).toEqual(send.mock.calls[0]);
  });

  it('on a network failure keeps what was typed and offers a retry', async () => {
    mount({}, { retry: 'failed' });
    fillIn();
    submit();
    await screen.findByText(/could not be sent/);
    expect((screen.getByLabelText(/who referred you/i) as HTMLInputElement).value).toBe('a1b2c3d4');
    expect((screen.getByRole('checkbox') as HTMLInputElement).checked).toBe(true);
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it('shows a refused email inline, focused', async () => {
    mount({}, { fields: ['friendEmail'] });
    fillIn();
    submit();
    await screen.findByText('This email address cannot accept the invitation. Please use another one.');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText(/your email/i)));
  });

  it('sends once while a submission is under way', async () => {
    let answer!: (reply: Reply) => void;
    const send = vi.fn<Send>(() => new Promise((resolve) => (answer = resolve)));
    const cfg = testConfig();
    render(<App cfg={cfg} form={createForm(cfg, send)} />);
    fillIn();
    submit();
    await screen.findByRole('button', { name: 'Sending…' });
    fireEvent.click(screen.getByRole('button', { name: 'Sending…' }));
    answer({ id: 'ref_0000000000000001' });
    await screen.findByRole('heading', { name: /thank you/i });
    expect(send).toHaveBeenCalledOnce();
  });
});
