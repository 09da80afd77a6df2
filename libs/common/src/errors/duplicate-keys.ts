import { ProblemDetail } from './vigia.exception';

const MAX_LISTED = 20;

interface ObjectFrame {
  kind: 'object';
  path: string;
  keys: Set<string>;
  expectingKey: boolean;
  key?: string;
}
interface ArrayFrame {
  kind: 'array';
  path: string;
  index: number;
}
type Frame = ObjectFrame | ArrayFrame;

const childPath = (frame: Frame | undefined): string => {
  if (frame === undefined) return '';
  if (frame.kind === 'array') return `${frame.path}[${frame.index}]`;
  return frame.path ? `${frame.path}.${frame.key ?? ''}` : (frame.key ?? '');
};

/** Index just past the closing quote of the string starting at `start` (a quote), in well-formed JSON. */
function stringEnd(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === 0x5c /* \ */) index += 2;
    else if (code === 0x22 /* " */) return index + 1;
    else index += 1;
  }
  return index;
}

/**
 * Property names given twice in one object of well-formed JSON text (`{"tlp":"red","tlp":"clear"}`). JSON.parse keeps
 * the last one silently while the stored raw payload keeps both, so a reader of the payload and Vigia would disagree
 * on what was shared: such bodies are refused. Scans the text once, without building anything.
 */
export function findDuplicateKeys(text: string): ProblemDetail[] {
  const found: ProblemDetail[] = [];
  const stack: Frame[] = [];
  let index = 0;
  while (index < text.length && found.length < MAX_LISTED) {
    const code = text.charCodeAt(index);
    const top = stack[stack.length - 1];
    if (code === 0x22 /* " */) {
      const end = stringEnd(text, index);
      if (top?.kind === 'object' && top.expectingKey) {
        const key = JSON.parse(text.slice(index, end)) as string;
        if (top.keys.has(key)) {
          const path = top.path ? `${top.path}.${key}` : key;
          found.push({ path, reason: `the property "${key}" is given twice; send it once` });
        }
        top.keys.add(key);
        top.key = key;
        top.expectingKey = false;
      }
      index = end;
      continue;
    }
    if (code === 0x7b /* { */) {
      stack.push({ kind: 'object', path: childPath(top), keys: new Set(), expectingKey: true });
    } else if (code === 0x5b /* [ */) {
      stack.push({ kind: 'array', path: childPath(top), index: 0 });
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
      stack.pop();
    } else if (code === 0x2c /* , */ && top !== undefined) {
      if (top.kind === 'object') top.expectingKey = true;
      else top.index += 1;
    }
    index += 1;
  }
  return found;
}
