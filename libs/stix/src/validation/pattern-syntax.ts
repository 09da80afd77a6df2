/**
 * A syntax check of STIX 2.1 patterns (STIX 2.1 Part 5, "STIX Patterning", §9 grammar), written from the
 * specification. It answers whether a pattern is well formed, not what it means: object paths are checked for
 * their form, not against the object types' properties. Hostile input is bounded: the pattern length, and the
 * nesting depth of parentheses and brackets (the parser is recursive).
 */

export const MAX_PATTERN_LENGTH = 100_000;
export const MAX_PATTERN_NESTING = 64;

type TokenKind = 'word' | 'string' | 'int' | 'float' | 'binary' | 'hex' | 'timestamp' | 'punct' | 'operator' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  at: number;
}

class PatternSyntaxError extends Error {}

const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'FOLLOWEDBY',
  'LIKE',
  'MATCHES',
  'ISSUPERSET',
  'ISSUBSET',
  'EXISTS',
  'IN',
  'START',
  'STOP',
  'SECONDS',
  'WITHIN',
  'REPEATS',
  'TIMES',
  'true',
  'false',
]);

// §9.2 literals, matched where the tokeniser stands (sticky); each expression is linear (no nested quantifiers).
const TIMESTAMP_LITERAL =
  /t'\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z'/y;
const BINARY_LITERAL = /b'(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?'/y;
const HEX_LITERAL = /h'(?:[0-9a-fA-F]{2})*'/y;
const STRING_LITERAL = /'(?:[^'\\]|\\['\\])*'/y;
const FLOAT_LITERAL = /[+-]?\d*\.\d+(?:[eE][+-]?\d+)?/y;
const INT_LITERAL = /[+-]?\d+/y;
const WORD = /[A-Za-z_][A-Za-z0-9_-]*/y;
const OPERATORS = ['<=', '>=', '!=', '<>', '==', '=', '<', '>'];
const PUNCTUATION = new Set(['[', ']', '(', ')', ':', '.', ',', '*']);

function tokenise(pattern: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < pattern.length) {
    const char = pattern[at] as string;
    if (/\s/.test(char)) {
      at += 1;
      continue;
    }
    const literal =
      (char === 't' && matchAt(TIMESTAMP_LITERAL, pattern, at, 'timestamp')) ||
      (char === 'b' && matchAt(BINARY_LITERAL, pattern, at, 'binary')) ||
      (char === 'h' && matchAt(HEX_LITERAL, pattern, at, 'hex')) ||
      (char === "'" && matchAt(STRING_LITERAL, pattern, at, 'string')) ||
      matchAt(FLOAT_LITERAL, pattern, at, 'float') ||
      matchAt(INT_LITERAL, pattern, at, 'int') ||
      matchAt(WORD, pattern, at, 'word');
    if (literal) {
      tokens.push(literal);
      at += literal.text.length;
      continue;
    }
    if (char === "'") throw new PatternSyntaxError(`unterminated string literal at ${at}`);
    const operator = OPERATORS.find((candidate) => pattern.startsWith(candidate, at));
    if (operator !== undefined) {
      tokens.push({ kind: 'operator', text: operator, at });
      at += operator.length;
      continue;
    }
    if (PUNCTUATION.has(char)) {
      tokens.push({ kind: 'punct', text: char, at });
      at += 1;
      continue;
    }
    throw new PatternSyntaxError(`unexpected character ${JSON.stringify(char)} at ${at}`);
  }
  tokens.push({ kind: 'end', text: '', at });
  return tokens;
}

function matchAt(expression: RegExp, pattern: string, at: number, kind: TokenKind): Token | undefined {
  // Sticky expressions match from `at` without copying the rest of a long pattern.
  expression.lastIndex = at;
  const match = expression.exec(pattern);
  return match ? { kind, text: match[0], at } : undefined;
}

/** Recursive descent over the §9 grammar, one method per production. */
class PatternParser {
  private position = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): void {
    this.observationExpressions();
    if (this.peek().kind !== 'end') this.fail('expected the end of the pattern');
  }

  // observationExpressions: observationExpressionOr (FOLLOWEDBY observationExpressionOr)*
  private observationExpressions(): void {
    this.observationExpressionOr();
    while (this.acceptWord('FOLLOWEDBY')) this.observationExpressionOr();
  }

  private observationExpressionOr(): void {
    this.observationExpressionAnd();
    while (this.acceptWord('OR')) this.observationExpressionAnd();
  }

  private observationExpressionAnd(): void {
    this.observationExpression();
    while (this.acceptWord('AND')) this.observationExpression();
  }

  // '[' comparisonExpression ']' | '(' observationExpressions ')', each followed by any qualifiers.
  private observationExpression(): void {
    this.nested(() => {
      if (this.acceptPunct('[')) {
        this.comparisonExpression();
        this.expectPunct(']');
      } else if (this.acceptPunct('(')) {
        this.observationExpressions();
        this.expectPunct(')');
      } else {
        this.fail('expected "[" or "(" to open an observation expression');
      }
    });
    this.qualifiers();
  }

  private qualifiers(): void {
    for (;;) {
      if (this.acceptWord('START')) {
        this.expectKind('timestamp', "START needs a timestamp literal t'…'");
        this.expectWord('STOP');
        this.expectKind('timestamp', "STOP needs a timestamp literal t'…'");
      } else if (this.acceptWord('WITHIN')) {
        const amount = this.next();
        if ((amount.kind !== 'int' && amount.kind !== 'float') || Number(amount.text) <= 0) {
          this.fail('WITHIN needs a positive number of seconds', amount);
        }
        this.expectWord('SECONDS');
      } else if (this.acceptWord('REPEATS')) {
        const times = this.next();
        if (times.kind !== 'int' || Number(times.text) <= 0) this.fail('REPEATS needs a positive integer', times);
        this.expectWord('TIMES');
      } else {
        return;
      }
    }
  }

  private comparisonExpression(): void {
    this.comparisonExpressionAnd();
    while (this.acceptWord('OR')) this.comparisonExpressionAnd();
  }

  private comparisonExpressionAnd(): void {
    this.propertyTest();
    while (this.acceptWord('AND')) this.propertyTest();
  }

  private propertyTest(): void {
    if (this.acceptPunct('(')) {
      this.nested(() => {
        this.comparisonExpression();
        this.expectPunct(')');
      });
      return;
    }
    if (this.acceptWord('EXISTS')) {
      this.objectPath();
      return;
    }
    this.objectPath();
    this.acceptWord('NOT');
    const operator = this.next();
    if (operator.kind === 'operator') {
      if (operator.text === '=' || operator.text === '!=' || operator.text === '==' || operator.text === '<>') {
        this.primitiveLiteral();
      } else {
        this.orderableLiteral();
      }
      return;
    }
    if (operator.kind === 'word') {
      switch (operator.text) {
        case 'IN':
          return this.setLiteral();
        case 'LIKE':
        case 'MATCHES':
        case 'ISSUBSET':
        case 'ISSUPERSET':
          this.expectKind('string', `${operator.text} needs a string literal`);
          return;
      }
    }
    this.fail('expected a comparison operator', operator);
  }

  // objectType ':' firstPathComponent objectPathComponent*
  private objectPath(): void {
    const objectType = this.next();
    if (objectType.kind !== 'word' || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(objectType.text)) {
      this.fail('expected an object type such as ipv4-addr', objectType);
    }
    this.expectPunct(':');
    this.pathStep('a property name');
    for (;;) {
      if (this.acceptPunct('.')) {
        this.pathStep('a property name after "."');
      } else if (this.peekPunct('[') && this.isListIndex()) {
        this.next();
        const index = this.next();
        if (!(index.kind === 'int' || (index.kind === 'punct' && index.text === '*'))) {
          this.fail('a list index is an integer or *', index);
        }
        this.expectPunct(']');
      } else {
        return;
      }
    }
  }

  private pathStep(what: string): void {
    const step = this.next();
    if (step.kind === 'word' && !KEYWORDS.has(step.text)) return;
    if (step.kind === 'string') return;
    this.fail(`expected ${what}`, step);
  }

  // `[` after a path is a list index only when followed by an integer or `*` and `]`; `]` closes the expression.
  private isListIndex(): boolean {
    const index = this.tokens[this.position + 1];
    const close = this.tokens[this.position + 2];
    return (
      index !== undefined &&
      (index.kind === 'int' || (index.kind === 'punct' && index.text === '*')) &&
      close?.kind === 'punct' &&
      close.text === ']'
    );
  }

  private primitiveLiteral(): void {
    const literal = this.next();
    const isBoolean = literal.kind === 'word' && (literal.text === 'true' || literal.text === 'false');
    if (!isBoolean && !['string', 'int', 'float', 'binary', 'hex', 'timestamp'].includes(literal.kind)) {
      this.fail('expected a literal', literal);
    }
  }

  private orderableLiteral(): void {
    const literal = this.next();
    if (!['string', 'int', 'float', 'binary', 'hex', 'timestamp'].includes(literal.kind)) {
      this.fail('expected an orderable literal (number, string, binary, hex or timestamp)', literal);
    }
  }

  // '(' primitiveLiteral (',' primitiveLiteral)* ')'
  private setLiteral(): void {
    this.expectPunct('(');
    if (this.acceptPunct(')')) return;
    this.primitiveLiteral();
    while (this.acceptPunct(',')) this.primitiveLiteral();
    this.expectPunct(')');
  }

  private nested(body: () => void): void {
    this.depth += 1;
    if (this.depth > MAX_PATTERN_NESTING) this.fail(`nested deeper than ${MAX_PATTERN_NESTING} levels`);
    body();
    this.depth -= 1;
  }

  private peek(): Token {
    return this.tokens[this.position] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.position += 1;
    return token;
  }

  private peekPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === text;
  }

  private acceptPunct(text: string): boolean {
    if (!this.peekPunct(text)) return false;
    this.position += 1;
    return true;
  }

  private expectPunct(text: string): void {
    if (!this.acceptPunct(text)) this.fail(`expected "${text}"`);
  }

  private acceptWord(text: string): boolean {
    const token = this.peek();
    if (token.kind !== 'word' || token.text !== text) return false;
    this.position += 1;
    return true;
  }

  private expectWord(text: string): void {
    if (!this.acceptWord(text)) this.fail(`expected ${text}`);
  }

  private expectKind(kind: TokenKind, message: string): void {
    const token = this.next();
    if (token.kind !== kind) this.fail(message, token);
  }

  private fail(message: string, token: Token = this.peek()): never {
    const found = token.kind === 'end' ? 'the end' : JSON.stringify(token.text.slice(0, 40));
    throw new PatternSyntaxError(`${message}, found ${found} at ${token.at}`);
  }
}

/** Undefined when the STIX pattern is well formed, else why not. */
export function stixPatternSyntaxError(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    new PatternParser(tokenise(pattern)).parse();
    return undefined;
  } catch (error) {
    if (error instanceof PatternSyntaxError) return error.message;
    throw error;
  }
}
