/** Finds an RFC 3463 enhanced status code ("5.7.1") in a server reply. */
export function parseEnhancedCode(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return /(?:^|[\s\-(#])([245]\.\d{1,3}\.\d{1,3})(?=$|[\s),.;:\]])/.exec(text)?.[1];
}

/** Finds the leading SMTP reply code ("550") in a server reply. */
export function parseSmtpCode(text: string | undefined): number | undefined {
  const match = text === undefined ? null : /^\s*([245]\d\d)[\s-]/.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
