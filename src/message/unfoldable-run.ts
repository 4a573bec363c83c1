/** The longest run of printable ASCII without a space that a header line can carry once folded. */
export const MAX_UNFOLDABLE_RUN = 899;

/**
 * Has the value a run of 900 or more printable ASCII characters (`!` to `~`) without a
 * space? RFC 5322 lines end by 998 characters and a header is folded only at spaces
 * (non-ASCII text is encoded in words that fold), so such a value would go out as a line
 * servers refuse or cut. One pass over the value: a regular expression such as
 * `/[!-~]{900,}/` tries again from every character and costs 900 steps per character on a
 * value of 899-character words.
 */
export function hasUnfoldableRun(value: string): boolean {
  let run = 0;
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    run = code >= 0x21 && code <= 0x7e ? run + 1 : 0;
    if (run > MAX_UNFOLDABLE_RUN) return true;
  }
  return false;
}
