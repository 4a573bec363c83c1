/**
 * Headers on every forwarded record: no auto-replies (RFC 3834
 * `Auto-Submitted`, Exchange's `X-Auto-Response-Suppress`) and no loops
 * (the record id lets the host's inbound processing recognise its own forward).
 */
export function forwardHeaders(recordId: string): Record<string, string> {
  return {
    'Auto-Submitted': 'auto-generated',
    'X-Auto-Response-Suppress': 'All',
    'X-Mailwright-Forwarded-Record': recordId,
  };
}
