import { IsString, MinLength } from 'class-validator';
import { ArgumentMetadata } from '@nestjs/common';
import { findDuplicateKeys } from './duplicate-keys';
import { findUnsafeInput, MAX_INPUT_DEPTH, printableText, truncateText, unsafeTextReason } from './text-safety';
import { createValidationPipe, MAX_LISTED_PROBLEMS, UNECHOED, validationException } from './validation';
import { VigiaException } from './vigia.exception';

describe('unsafe input', () => {
  it('names NUL characters and lone surrogates, and lets any well-formed text through', () => {
    expect(unsafeTextReason('a\u0000b')).toMatch(/NUL/);
    expect(unsafeTextReason('a\uD800b')).toMatch(/surrogate/);
    expect(unsafeTextReason('\uDC00')).toMatch(/surrogate/);
    expect(unsafeTextReason('Ñandú 🦤 \t\n line')).toBeUndefined();
  });

  it('reports each problem at its path, keys included, and stops at the depth limit', () => {
    expect(findUnsafeInput({ a: ['ok', 'x\u0000'], 'k\u0000': 1, b: { c: '\uD83D' } })).toEqual([
      { path: 'a[1]', reason: expect.stringMatching(/NUL/) },
      { path: '"k\\u0000"', reason: expect.stringMatching(/property name.*NUL/) },
      { path: 'b.c', reason: expect.stringMatching(/surrogate/) },
    ]);
    let deep: unknown = 'x';
    for (let level = 0; level < 10_000; level += 1) deep = [deep];
    expect(findUnsafeInput({ deep })).toEqual([
      { path: `deep${'[0]'.repeat(MAX_INPUT_DEPTH - 1)}`, reason: `nested deeper than ${MAX_INPUT_DEPTH} levels` },
    ]);
    expect(findUnsafeInput(Array.from({ length: 1000 }, () => '\u0000'))).toHaveLength(20);
    expect(findUnsafeInput({ deep }, 64)).toEqual([
      { path: `deep${'[0]'.repeat(63)}`, reason: 'nested deeper than 64 levels' },
    ]);
  });

  it('echoes refused text without what it refused, and never cuts a surrogate pair in two', () => {
    expect(printableText('a\u0000b\uD800c\uD83D\uDE00')).toBe('a\uFFFDb\uFFFDc\uD83D\uDE00');
    expect(truncateText('ab\uD83D\uDE00', 3)).toBe('ab');
    expect(truncateText('abc\uD83D\uDE00', 3)).toBe('abc');
    expect(unsafeTextReason(truncateText('\uD83D\uDE00'.repeat(10), 7))).toBeUndefined();
  });
});

describe('duplicate keys', () => {
  it('finds a property given twice at any depth, with its path, and nothing in well-formed objects', () => {
    expect(findDuplicateKeys('{"tlp":"red","title":"x","tlp":"clear"}')).toEqual([
      { path: 'tlp', reason: expect.stringMatching(/"tlp" is given twice/) },
    ]);
    expect(
      findDuplicateKeys(
        '{"objects":[{"a":1},{"b":"\\"x\\"","marks":[],"marks":["m"]}],"objects2":{"c":{"d":1,"d":2}}}',
      ),
    ).toEqual([
      { path: 'objects[1].marks', reason: expect.any(String) },
      { path: 'objects2.c.d', reason: expect.any(String) },
    ]);
    expect(findDuplicateKeys('{"a":{"k":1},"b":{"k":1},"c":[{"k":"k"},{"k":"{\\"k\\":1,"}]}')).toEqual([]);
    expect(findDuplicateKeys('{"\\u0074lp":"red","tlp":"clear"}')).toHaveLength(1);
  });
});

describe('problem lists', () => {
  it('lists the first 100 problems and counts them all', () => {
    const problems = Array.from({ length: 5000 }, (_, index) => ({ path: `objects[${index}]`, reason: 'broken' }));
    const error = validationException(problems);
    expect(error.details).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(error.message).toBe('The request has 5000 problems; the first 100 are listed');
    expect(validationException(problems.slice(0, 3)).message).toBe('The request has 3 problems');
  });
});

describe('the validation pipe', () => {
  class SecretDto {
    @IsString(UNECHOED)
    @MinLength(12, UNECHOED)
    password: string;

    @IsString()
    @MinLength(3)
    name: string;
  }
  const metadata: ArgumentMetadata = { type: 'body', metatype: SecretDto };

  const refusal = async (value: unknown): Promise<VigiaException> => {
    try {
      await createValidationPipe().transform(value, metadata);
    } catch (error) {
      return error as VigiaException;
    }
    throw new Error('accepted');
  };

  it('refuses unsafe text in a DTO-bound body before validating it', async () => {
    expect((await refusal({ password: 'x'.repeat(20), name: 'a\u0000b' })).details).toEqual([
      { path: 'name', reason: expect.stringMatching(/NUL/) },
    ]);
  });

  it('never shows back the value of a property marked UNECHOED', async () => {
    const { details } = await refusal({ password: 'hunter2', name: 'ab' });
    expect(details).toEqual([
      { path: 'password', value: undefined, reason: expect.stringMatching(/longer than or equal to 12/) },
      { path: 'name', value: 'ab', reason: expect.stringMatching(/longer than or equal to 3/) },
    ]);
  });

  it('leaves bodies that are not bound to a DTO to their handler', async () => {
    await expect(
      createValidationPipe().transform({ raw: '\u0000' }, { type: 'body', metatype: Object }),
    ).resolves.toEqual({ raw: '\u0000' });
  });
});
