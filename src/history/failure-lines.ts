import type { FailureDetail } from '../errors/failure-detail.js';

/**
 * A failure as the history table and `mailwright test-email` print it: the code with the
 * protocol reply codes and whether it is permanent; what the server said, else the failure's
 * own message (the cause of a connection or TLS error: "self-signed certificate",
 * "connect ECONNREFUSED…", a cancellation's reason); the explanation; the fix.
 */
export function failureLines(f: FailureDetail): string[] {
  const reply = [f.smtpCode ?? f.httpStatus, f.enhancedCode].filter((x) => x !== undefined).join(' ');
  const said = f.serverResponse !== undefined ? `Server: ${f.serverResponse}` : f.message;
  return [`${f.code}${reply ? ` (${reply})` : ''} — ${f.permanent ? 'permanent' : 'transient'}`, said, f.explanation, `Fix: ${f.fix}`];
}
