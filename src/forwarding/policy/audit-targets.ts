import type { Address } from '../../message/message.js';
import type { ForwardingPolicy } from './forwarding-policy.js';
import { recipientVerdict } from './plan-forwards.js';

/** One address a mailbox or rule forwards to. */
export interface AuditTarget {
  /** The address forwarded to. */
  address: string;
  /** Its domain, lower-cased. */
  domain: string;
  /** Outside the organization's accepted domains. */
  external: boolean;
  /** The forward reaches it under the current policy (false: blocked by its remote domain). */
  allowed: boolean;
}

/** The parts of the policy an audit looks at. */
export type AuditPolicy = Pick<ForwardingPolicy, 'acceptedDomains' | 'remoteDomains'>;

/** What the policy says of each address a forward goes to. */
export function auditTargets(recipients: readonly Address[], stamped: boolean, policy: AuditPolicy): AuditTarget[] {
  return recipients.map((r) => {
    const { domain, internal, allowed } = recipientVerdict(r.address, policy);
    return { address: r.address, domain, external: !internal, allowed: !stamped || allowed };
  });
}
