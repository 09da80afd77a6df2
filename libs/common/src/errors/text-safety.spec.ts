import { IsString, MinLength } from 'class-validator';
import { ArgumentMetadata } from '@nestjs/common';
import { findUnsafeInput, MAX_INPUT_DEPTH, unsafeTextReason } from './text-safety';
import { createValidationPipe, UNECHOED } from './validation';
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
