/** A module file larger than this is refused before it is read: configurations are kilobytes. */
export const MAX_MODULE_BYTES = 4 * 1024 * 1024;
/** Attribute sets and lists nested deeper than this are refused: a deep disk layout nests about 20 levels. */
export const MAX_NESTING = 100;
/** Values in one module, counted while checking its nesting: bounds the work a shared or cyclic value makes. */
const MAX_VALUES = 1_000_000;
/** How long a module may take to load, or its function to return, before groundwork gives up on it. */
export const MODULE_TIMEOUT_MS = 30_000;

/** Why a module file of `bytes` bytes is not read, or undefined. */
export function sizeProblem(bytes: number): string | undefined {
  if (bytes <= MAX_MODULE_BYTES) return undefined;
  const megabytes = (bytes / 1024 / 1024).toFixed(1);
  return `the file is ${megabytes} MB, more than a module may be (${MAX_MODULE_BYTES / 1024 / 1024} MB): split it into modules that import each other`;
}

/**
 * Why a module's value is too deep to merge (or refers to itself), or undefined. Walks without recursion, so
 * that the check itself cannot overflow the stack it protects.
 */
export function nestingProblem(value: unknown): string | undefined {
  const pending: [unknown, number][] = [[value, 0]];
  let count = 0;
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [current, depth] = next;
    if (typeof current !== "object" || current === null) continue;
    if (depth > MAX_NESTING)
      return `attribute sets and lists are nested more than ${MAX_NESTING} levels deep (or a value contains itself): flatten the configuration`;
    count += 1;
    if (count > MAX_VALUES)
      return `the module holds more than ${MAX_VALUES} values (or a value contains itself): a configuration is much smaller`;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return undefined;
}

/** `promise`, or a rejection with `timeoutError()` when it has not settled after `ms` milliseconds. */
export async function settleWithin<T>(
  promise: Promise<T>,
  ms: number,
  timeoutError: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError()), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
