/**
 * The OData `$filter` subset Graph's message search takes here: `prop eq 'v'` and `prop ne 'v'`
 * joined by `and` / `or` (`and` binds tighter), with string literals whose quotes are doubled.
 * Parsed from the decoded query, as the server sees it. Anything else is a syntax error, as Graph
 * answers it (400 BadRequest "Invalid filter clause").
 */
export type ODataFilter = (item: Record<string, unknown>) => boolean;

/** Parses `text`; throws an Error whose message is Graph's for a malformed clause. */
export function parseODataFilter(text: string): ODataFilter {
  let at = 0;
  const fail = (): never => {
    throw new Error(`Invalid filter clause: Syntax error at position ${at} in '${text}'.`);
  };
  const skipSpaces = (): void => {
    while (text[at] === ' ') at += 1;
  };
  const word = (): string => {
    skipSpaces();
    const match = /^[A-Za-z][A-Za-z0-9]*/.exec(text.slice(at));
    if (match === null) fail();
    at += match![0].length;
    return match![0];
  };
  const literal = (): string => {
    skipSpaces();
    if (text[at] !== "'") fail();
    at += 1;
    let value = '';
    for (;;) {
      if (at >= text.length) fail();
      if (text[at] === "'") {
        if (text[at + 1] === "'") {
          value += "'";
          at += 2;
          continue;
        }
        at += 1;
        return value;
      }
      value += text[at];
      at += 1;
    }
  };
  const comparison = (): ODataFilter => {
    const property = word();
    const operator = word();
    if (operator !== 'eq' && operator !== 'ne') fail();
    const value = literal();
    return (item) => (item[property] === value) === (operator === 'eq');
  };
  const conjunction = (): ODataFilter => {
    let left = comparison();
    for (;;) {
      const mark = at;
      skipSpaces();
      if (!text.startsWith('and ', at)) {
        at = mark;
        return left;
      }
      at += 4;
      const right = comparison();
      const both = left;
      left = (item) => both(item) && right(item);
    }
  };
  let filter = conjunction();
  for (;;) {
    skipSpaces();
    if (at >= text.length) return filter;
    if (!text.startsWith('or ', at)) fail();
    at += 3;
    const right = conjunction();
    const either = filter;
    filter = (item) => either(item) || right(item);
  }
}
