import { ValidateBy, ValidationOptions } from 'class-validator';
import { ProblemDetail } from './vigia.exception';

/** Deeper JSON than any DTO of ours needs; deeper input is refused before class-transformer recurses into it. */
export const MAX_INPUT_DEPTH = 16;
/** Problems listed for one request at most: a hostile body must not make a hostile answer. */
const MAX_PROBLEMS = 20;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a string cannot be stored as sent, or undefined when it can. PostgreSQL refuses NUL in text and jsonb (a 500
 * otherwise, or a mail that later fails to build), and a lone UTF-16 surrogate is not Unicode at all: the driver
 * would silently store U+FFFD instead.
 */
export function unsafeTextReason(text: string): string | undefined {
  if (text.includes('\u0000')) return 'holds a NUL character (U+0000), which text fields cannot store';
  if (LONE_SURROGATE.test(text)) return 'holds a lone UTF-16 surrogate: not valid Unicode';
  return undefined;
}

const childPath = (parent: string, key: string | number): string =>
  typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

/**
 * Problems with decoded JSON (a body or a query) that no DTO rule would catch before it breaks something: NUL
 * characters and lone surrogates in strings or keys, and nesting deeper than `MAX_INPUT_DEPTH`.
 */
export function findUnsafeInput(value: unknown, maxDepth = MAX_INPUT_DEPTH): ProblemDetail[] {
  const found: ProblemDetail[] = [];
  const visit = (item: unknown, path: string, depth: number): void => {
    if (found.length >= MAX_PROBLEMS) return;
    if (typeof item === 'string') {
      const reason = unsafeTextReason(item);
      if (reason) found.push({ path: path || '(body)', reason });
      return;
    }
    if (typeof item !== 'object' || item === null) return;
    if (depth >= maxDepth) {
      found.push({ path: path || '(body)', reason: `nested deeper than ${maxDepth} levels` });
      return;
    }
    if (Array.isArray(item)) {
      item.forEach((element, index) => visit(element, childPath(path, index), depth + 1));
      return;
    }
    for (const [key, property] of Object.entries(item)) {
      const keyReason = unsafeTextReason(key);
      if (keyReason) found.push({ path: childPath(path, JSON.stringify(key)), reason: `a property name ${keyReason}` });
      else visit(property, childPath(path, key), depth + 1);
    }
  };
  visit(value, '', 0);
  return found;
}

/** `text` with NUL characters and lone surrogates replaced by U+FFFD, for echoing a refused value back safely. */
export const printableText = (text: string): string =>
  text.replaceAll('\u0000', '\uFFFD').replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');

/** The first `length` UTF-16 units of `text`, one fewer when the cut would split a surrogate pair. */
export function truncateText(text: string, length: number): string {
  if (text.length <= length) return text;
  const last = text.charCodeAt(length - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? length - 1 : length);
}

/** Line breaks, other C0/C1 controls and the Unicode line/paragraph separators. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL_OR_LINE_BREAK = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * A one-line text, such as a name: no line breaks or control characters. Names travel into mail subjects, vCards and
 * log lines, where a line break starts something else.
 */
export const IsSingleLine = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isSingleLine',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !CONTROL_OR_LINE_BREAK.test(value),
        defaultMessage: (args) => `${args?.property ?? 'the value'} must be a single line without control characters`,
      },
    },
    options,
  );
