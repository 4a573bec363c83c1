import type { Context, FilterImplOptions, Liquid, LiquidOptions, TagToken, TopLevelToken } from 'liquidjs';

type LiquidModule = typeof import('liquidjs');
type FilterThis = { context: Context };

/** The tags that read other templates, which LiquidJS looks up as files. */
export const FILE_TAGS = ['include', 'render', 'layout'] as const;

/** Thrown when a template uses a tag that would read a file. */
export class UnavailableTagError extends Error {
  constructor(readonly tag: string) {
    super(`{% ${tag} %} is not available: templates cannot read files or other templates`);
    this.name = 'UnavailableTagError';
  }
}

/** How many steps of a filter run between two checks of the render time. */
const STEPS_PER_CHECK = 64;

/**
 * Runs a filter's steps (LiquidJS filters are generators that yield once per
 * array item they look into), checking the render time every few steps, so a
 * `map`, `where` or `sort` over a large array stops at the render limit.
 */
function* timedSteps(steps: Iterator<unknown, unknown, unknown>, context: Context): Generator<unknown, unknown, unknown> {
  let step = steps.next();
  for (let count = 1; step.done !== true; count += 1) {
    if (count % STEPS_PER_CHECK === 0) context.renderLimit.check(performance.now());
    let answer: unknown;
    try {
      answer = yield step.value;
    } catch (error) {
      step = steps.throw?.(error) ?? { done: true, value: undefined };
      continue;
    }
    step = steps.next(answer);
  }
  return step.value;
}

const isIterator = (value: unknown): value is Iterator<unknown, unknown, unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { next?: unknown }).next === 'function' && typeof (value as { throw?: unknown }).throw === 'function';

/** The filter, checking the render time before it runs and during its steps. */
function timedFilter(filter: FilterImplOptions): FilterImplOptions {
  const handler = typeof filter === 'function' ? filter : filter.handler;
  const timed = function (this: FilterThis, ...args: unknown[]): unknown {
    this.context.renderLimit.check(performance.now());
    const result: unknown = (handler as (...a: unknown[]) => unknown).apply(this, args);
    return isIterator(result) ? timedSteps(result, this.context) : result;
  };
  return typeof filter === 'function' ? timed : { ...filter, handler: timed };
}

/**
 * A LiquidJS engine that never touches the file system: the tags that read
 * files (`include`, `render`, `layout`) fail to parse with
 * {@link UnavailableTagError}, and template lookups go to an empty in-memory
 * map. `{% capture %}` counts what it captures against the memory limit
 * (LiquidJS counts filters and ranges only, so a capture doubling itself would
 * build strings of any size), and every filter checks the render time.
 */
export function sandboxedLiquid(liquid: LiquidModule, options: LiquidOptions): Liquid {
  const engine = new liquid.Liquid({ ...options, templates: {}, relativeReference: false, ownPropertyOnly: true });
  for (const tag of FILE_TAGS) {
    engine.registerTag(
      tag,
      class extends liquid.Tag {
        constructor(token: TagToken, remainTokens: TopLevelToken[], engine: Liquid) {
          super(token, remainTokens, engine);
          throw new UnavailableTagError(tag);
        }
        *render(): Generator<unknown, void, unknown> {}
      },
    );
  }
  engine.registerTag(
    'capture',
    class extends liquid.CaptureTag {
      override *render(context: Context): Generator<unknown, void, string> {
        yield* super.render(context);
        const captured: unknown = context.bottom()[this.variable];
        if (typeof captured === 'string') context.memoryLimit.use(captured.length);
      }
    },
  );
  for (const [name, filter] of Object.entries(engine.filters)) engine.registerFilter(name, timedFilter(filter));
  return engine;
}
