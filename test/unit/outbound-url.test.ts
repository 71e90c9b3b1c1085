import { expect } from 'chai';
import {
  isPublicAddress,
  OutboundUrlError,
  parseOutboundUrl,
  resolveOutboundAddress,
  type AddressPolicy,
} from '../../src/engine/net/outbound-url.js';

const REFUSED = {
  'IPv4 loopback': ['127.0.0.1', '127.255.255.254'],
  'IPv4 loopback in short and hex forms': ['127.1', '0x7f000001', '0x7f.0.0.1', '017700000001', '2130706433'],
  'RFC 1918 private': ['10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1'],
  'link-local and cloud metadata': ['169.254.169.254', '169.254.0.1'],
  CGNAT: ['100.64.0.1', '100.127.255.254'],
  'multicast and broadcast': ['224.0.0.1', '239.255.255.250', '255.255.255.255'],
  unspecified: ['0.0.0.0', '0.1.2.3', '::'],
  'documentation and reserved': ['192.0.2.1', '198.51.100.7', '203.0.113.9', '198.18.0.1', '240.0.0.1', '192.0.0.8'],
  'IPv6 loopback': ['::1', '0:0:0:0:0:0:0:1', '[::1]'],
  'IPv6 link-local, also with a zone': ['fe80::1', 'fe80::1%eth0', 'febf::1'],
  'IPv6 unique-local': ['fc00::1', 'fd12:3456:789a::1'],
  'IPv6 multicast': ['ff02::1', 'ff05::2'],
  'IPv4-mapped IPv6 of private addresses': [
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:100.64.0.1',
  ],
  'IPv6 forms embedding IPv4 (compatible, SIIT, NAT64, 6to4, Teredo)': [
    '::10.0.0.1',
    '::127.0.0.1',
    '::ffff:0:10.0.0.1',
    '64:ff9b::10.0.0.1',
    '2002:a00:1::1',
    '2001:0:4136:e378::1',
  ],
  'IPv6 documentation and site-local': ['2001:db8::1', 'fec0::1'],
  'not an address at all': ['', 'localhost', 'example.com', '1.2.3.4.5', '::g', '999.1.1.1'],
};

const ALLOWED = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.215.14',
  '100.63.255.255',
  '100.128.0.1',
  '172.32.0.1',
  '2606:4700:4700::1111',
  '2a00:1450:4001:80b::200e',
  '::ffff:8.8.8.8',
];

const answering = (...addresses: string[]): AddressPolicy => ({
  resolve: async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
  isAllowedAddress: isPublicAddress,
});

describe('outbound URLs: the address classifier', () => {
  for (const [kind, addresses] of Object.entries(REFUSED)) {
    it(`refuses ${kind}`, () => {
      for (const address of addresses) expect(isPublicAddress(address), address).to.equal(false);
    });
  }

  it('allows public unicast addresses, including the IPv4-mapped form of one', () => {
    for (const address of ALLOWED) expect(isPublicAddress(address), address).to.equal(true);
  });
});

describe('outbound URLs: parsing and resolution', () => {
  it('accepts https only, without credentials', () => {
    expect(parseOutboundUrl('https://hooks.slack.com/services/T/B/X').hostname).to.equal('hooks.slack.com');
    const refused = [
      'http://hooks.slack.com/x',
      'ftp://example.com/',
      'file:///etc/passwd',
      'gopher://x/',
      'not a url',
      'https://user:pw@example.com/',
    ];
    for (const url of refused) expect(() => parseOutboundUrl(url), url).to.throw(OutboundUrlError);
  });

  it('refuses IP literals of private ranges in any spelling the URL parser accepts', async () => {
    const literals = [
      'https://127.0.0.1/',
      'https://127.1/',
      'https://0x7f000001/',
      'https://2130706433/',
      'https://0177.0.0.1/',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://[::ffff:a00:1]/',
      'https://169.254.169.254/latest/meta-data/',
      'https://[fe80::1]/',
    ];
    for (const literal of literals) {
      const error = await resolveOutboundAddress(parseOutboundUrl(literal)).catch((caught: unknown) => caught);
      expect(error, literal).to.be.instanceOf(OutboundUrlError);
    }
  });

  it('refuses a host name when any of its addresses is private (no mixing public and private answers)', async () => {
    const url = parseOutboundUrl('https://hooks.example.com/');
    const mixed = await resolveOutboundAddress(url, answering('8.8.8.8', '10.0.0.5')).catch((caught: unknown) => caught);
    expect(mixed).to.be.instanceOf(OutboundUrlError);
    const none = await resolveOutboundAddress(url, answering()).catch((caught: unknown) => caught);
    expect(none).to.be.instanceOf(OutboundUrlError);
    expect(await resolveOutboundAddress(url, answering('8.8.8.8', '1.1.1.1'))).to.deep.equal({ address: '8.8.8.8', family: 4 });
  });
});
