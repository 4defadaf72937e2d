/**
 * Which hosts carry the bucket in the path (path style, `127.0.0.1:9000/photos/cat.jpg`)
 * rather than in the host name (virtual-hosted style, `photos.obs.cn-north-4.myhuaweicloud.com/cat.jpg`).
 * Shared by the remembered 301s (a rewrite's scope) and the operation class of a request
 * (a bucket root or an object). Pure; never throws.
 */

/** A dotted-quad IPv4 literal (any digits: the question is only whether it is an address). */
const IPV4_LITERAL = /^\d+(?:\.\d+){3}$/;

/**
 * True when `hostname` carries the bucket in the path: IP literals (IPv6 in brackets), `localhost`,
 * a single label (a container name), and the bare regional endpoint (`obs.<region>.…`). Any other
 * name is virtual-hosted: the host is the bucket (or a user domain bound to one).
 * @param hostname a URL's hostname, any case, without the port
 */
export function isPathStyleHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host.startsWith('[') || IPV4_LITERAL.test(host) || host.startsWith('obs.') || !host.includes('.');
}
