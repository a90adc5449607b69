/**
 * RFC 3986 percent-encoding as both clouds sign it: everything except `A-Z a-z 0-9 - _ . ~` becomes `%XX`
 * (uppercase hex), so space is `%20` and `*` is `%2A`. The HTTP layer sends with it and every signer
 * canonicalises with it, so the bytes sent are the bytes signed.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
