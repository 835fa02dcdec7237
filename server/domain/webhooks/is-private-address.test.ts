import { describe, expect, it } from 'vitest';
import { isPrivateAddress, isPrivateWebhookUrl } from './is-private-address.ts';

describe('isPrivateAddress', () => {
  it.each(['127.0.0.1', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1', 'not-an-ip'])(
    '%s is not for webhooks', (address) => expect(isPrivateAddress(address)).toBe(true));
  it.each(['93.184.216.34', '172.32.0.1', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public', (address) => expect(isPrivateAddress(address)).toBe(false));
});

describe('isPrivateWebhookUrl', () => {
  it.each(['http://localhost:3000/h', 'https://app.localhost/h', 'http://127.0.0.1/h', 'http://[::1]:8080/h', 'https://10.0.0.5/h', 'http://169.254.169.254/latest'])(
    '%s is refused at registration', (url) => expect(isPrivateWebhookUrl(url)).toBe(true));
  it.each(['https://shop.example/hooks', 'https://93.184.216.34/h', 'https://[2606:4700::1111]/h', 'https://10.0.0.5.nip.example/h'])(
    '%s is accepted (names are checked again at delivery)', (url) => expect(isPrivateWebhookUrl(url)).toBe(false));
});
