import { BlockList, isIP } from 'node:net';

/**
 * Which addresses peacedesk may fetch from: public ones only, unless `FETCH_ALLOW_HOSTS` names
 * the host, the address or a range holding it. Loopback, private, shared (CGNAT), link-local
 * (cloud metadata at 169.254.169.254 included), multicast and reserved ranges are refused, so a
 * pasted link or a feed item cannot make the bot read the machine's or the network's own services.
 */
const REFUSED_V4: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'a "this network" address'],
  ['10.0.0.0', 8, 'a private address'],
  ['100.64.0.0', 10, 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address (where cloud metadata services live)'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.0.0.0', 24, 'an IETF protocol address'],
  ['192.0.2.0', 24, 'a documentation address'],
  ['192.168.0.0', 16, 'a private address'],
  ['198.18.0.0', 15, 'a benchmarking address'],
  ['198.51.100.0', 24, 'a documentation address'],
  ['203.0.113.0', 24, 'a documentation address'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved address'],
];
const REFUSED_V6: Array<[string, number, string]> = [
  ['::', 128, 'the unspecified address'],
  ['::1', 128, 'a loopback address'],
  ['fc00::', 7, 'a private (unique local) address'],
  ['fe80::', 10, 'a link-local address'],
  ['fec0::', 10, 'a site-local address'],
  ['ff00::', 8, 'a multicast address'],
  ['2001:db8::', 32, 'a documentation address'],
  ['100::', 64, 'a discard address'],
  ['64:ff9b:1::', 48, 'a local-use translation (NAT64) address'],
  ['::', 96, 'an IPv4-compatible (deprecated) address'],
];
// IPv6 ranges that carry an IPv4 address to a translator or tunnel (NAT64, SIIT, 6to4): their
// leading 16-bit groups, and the group where the IPv4 address starts. Judged by that address.
const EMBEDDING_V6: Array<[number[], number]> = [
  [[0x64, 0xff9b, 0, 0, 0, 0], 6],
  [[0, 0, 0, 0, 0xffff, 0], 6],
  [[0x2002], 1],
];

/** Why an address may not be fetched, or null when it may. */
export type AddressCheck = (host: string, address: string) => string | null;

/** Parse `FETCH_ALLOW_HOSTS` entries (host names, IPs, CIDR ranges) into an {@link AddressCheck}. */
export function createAddressGuard(allowHosts: readonly string[]): AddressCheck {
  const refused = REFUSED_V4.map(([net, prefix, why]) => {
    const list = new BlockList();
    list.addSubnet(net, prefix, 'ipv4');
    return { list, why };
  }).concat(
    REFUSED_V6.map(([net, prefix, why]) => {
      const list = new BlockList();
      list.addSubnet(net, prefix, 'ipv6');
      return { list, why };
    }),
  );
  const allowedNames = new Set<string>();
  const allowed = new BlockList();
  for (const entry of allowHosts) {
    const [net, prefix] = entry.split('/');
    const family = isIP(net ?? '');
    if (family && prefix !== undefined && /^\d+$/.test(prefix))
      allowed.addSubnet(net!, Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
    else if (family) allowed.addAddress(net!, family === 4 ? 'ipv4' : 'ipv6');
    else allowedNames.add(entry.toLowerCase().replace(/\.$/, ''));
  }
  return (host, rawAddress) => {
    let address = rawAddress.replace(/^\[|\]$/g, '');
    // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is the IPv4 address it maps.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) address = mapped[1]!;
    const family = isIP(address);
    if (!family) return `"${rawAddress}" is not an IP address`;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (allowedNames.has(host.toLowerCase().replace(/\.$/, '')) || allowed.check(address, type)) return null;
    const said = host === rawAddress ? `${address} is` : `${host} resolves to ${address},`;
    const allowing = 'peacedesk fetches only public addresses unless FETCH_ALLOW_HOSTS names the host';
    for (const { list, why } of refused) {
      if (list.check(address, type)) return `${said} ${why}; ${allowing}`;
    }
    if (type === 'ipv6') {
      const v4 = embeddedIpv4(address);
      if (v4 && !allowed.check(v4, 'ipv4')) {
        const why = refused.find(({ list }) => list.check(v4, 'ipv4'))?.why;
        const via = host === rawAddress ? `${address}` : `${host} resolves to ${address}, which`;
        if (why) return `${via} reaches ${v4}, ${why}; ${allowing}`;
      }
    }
    return null;
  };
}

// The IPv4 address an IPv6 address of an {@link EMBEDDING_V6} range carries, if it is one.
function embeddedIpv4(address: string): string | undefined {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = (
    tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
  ).map((group) => Number.parseInt(group, 16));
  if (groups.length !== 8 || groups.some(Number.isNaN)) return undefined;
  const at = EMBEDDING_V6.find(([lead]) => lead.every((group, i) => groups[i] === group))?.[1];
  if (at === undefined) return undefined;
  const [high, low] = [groups[at]!, groups[at + 1]!];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}
