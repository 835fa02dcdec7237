/**
 * @module
 * Whether an IP address belongs to this machine or a private network, where a
 * partner's webhook must not reach unless the operator allows it.
 */
import { isIP } from 'node:net';

const V4_BLOCKS: Array<[number, number]> = [
  [0x00000000, 8], // "this" network
  [0x0a000000, 8], // 10/8
  [0x64400000, 10], // 100.64/10 carrier-grade NAT
  [0x7f000000, 8], // loopback
  [0xa9fe0000, 16], // link-local, cloud metadata
  [0xac100000, 12], // 172.16/12
  [0xc0a80000, 16], // 192.168/16
  [0xe0000000, 3], // multicast and reserved
];

function v4(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/**
 * @example isPrivateAddress('10.1.2.3') // true
 * @example isPrivateAddress('93.184.216.34') // false
 * @example isPrivateAddress('::ffff:127.0.0.1') // true
 */
export function isPrivateAddress(address: string): boolean {
  const kind = isIP(address);
  if (kind === 4) {
    const n = v4(address);
    return V4_BLOCKS.some(([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
  }
  if (kind !== 6) return true;
  const lower = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return isPrivateAddress(mapped[1]!);
  return lower === '::' || lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower) || lower.startsWith('ff');
}

/**
 * Whether a webhook URL names this machine or a private network outright
 * (localhost, or a private IP literal). Names that merely resolve there are
 * caught at delivery, on the address actually connected to.
 * @example isPrivateWebhookUrl('http://localhost:8080/hooks') // true
 * @example isPrivateWebhookUrl('https://shop.example/hooks') // false
 */
export function isPrivateWebhookUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isIP(host) !== 0 && isPrivateAddress(host);
}
