import { RejectedItem, RejectedValue, createValidationPipe } from '@vigia/common';
import { CreateReportDto } from './create-report.dto';
import { readIndicatorInput } from './indicator-input.reader';

const problemsOf = (outcome: ReturnType<typeof readIndicatorInput>): Record<string, string> => {
  if (!(outcome instanceof RejectedItem)) throw new Error(`expected a rejected item, got ${JSON.stringify(outcome)}`);
  return Object.fromEntries(Object.entries(outcome.fields).map(([field, rejected]) => [field, rejected.reason]));
};

describe('readIndicatorInput', () => {
  it('canonicalises the value and keeps the optional fields', () => {
    expect(
      readIndicatorInput({
        type: 'url',
        value: 'hxxps://Login-DGI[.]example/path',
        first_seen: '2026-11-01T08:00:00Z',
        last_seen: '2026-11-02T08:00:00Z',
        confidence: 80,
        note: 'phishing kit',
        unknown: 'dropped',
      }),
    ).toEqual({
      type: 'url',
      value: 'https://login-dgi.example/path',
      isCidr: false,
      firstSeen: new Date('2026-11-01T08:00:00Z'),
      lastSeen: new Date('2026-11-02T08:00:00Z'),
      confidence: 80,
      note: 'phishing kit',
    });
    expect(readIndicatorInput({ type: 'ipv4', value: '198.51.100.0/24', confidence: null })).toMatchObject({
      isCidr: true,
      confidence: null,
      firstSeen: null,
      note: null,
    });
  });

  it('reports every field that is wrong, each with its own reason', () => {
    const problems = problemsOf(
      readIndicatorInput({
        type: 'sha256',
        value: 'abc',
        first_seen: 'yesterday',
        confidence: 101,
        note: 42,
      }),
    );
    expect(Object.keys(problems).sort()).toEqual(['confidence', 'first_seen', 'note', 'value']);
    expect(problems.value).toMatch(/64/);
    expect(problems.first_seen).toMatch(/ISO 8601/);
    expect(problems.confidence).toBe('confidence must be a whole number from 0 to 100');
  });

  it('names the accepted types for an unknown one, and checks last seen against first seen', () => {
    expect(problemsOf(readIndicatorInput({ type: 'mutex', value: 'x' }))).toEqual({
      type: expect.stringContaining('ipv4, ipv6'),
    });
    expect(problemsOf(readIndicatorInput({ type: 'domain', value: 42 }))).toEqual({ value: 'value must be a string' });
    expect(
      problemsOf(
        readIndicatorInput({
          type: 'domain',
          value: 'a.example',
          first_seen: '2026-11-02T00:00:00Z',
          last_seen: '2026-11-01T00:00:00Z',
        }),
      ),
    ).toEqual({ last_seen: 'last_seen is before first_seen' });
    expect(readIndicatorInput({ type: 'domain', value: 'a.example', confidence: 0.5 })).toBeInstanceOf(RejectedItem);
  });

  it('rejects an item that is not an object', () => {
    expect(readIndicatorInput('198.51.100.7')).toEqual(
      new RejectedValue('198.51.100.7', 'each indicator must be an object with a type and a value'),
    );
  });
});

describe('CreateReportDto through the global validation pipe', () => {
  const pipe = createValidationPipe();
  const report = (indicators: unknown) => ({
    title: 'Phishing wave',
    classification: 'fraud',
    type: 'phishing',
    severity: 'high',
    tlp: 'green',
    indicators,
  });

  it('answers canonical rows', async () => {
    const dto = (await pipe.transform(report([{ type: 'domain', value: 'Example[.]COM' }]), {
      type: 'body',
      metatype: CreateReportDto,
    })) as CreateReportDto;
    expect(dto.indicators).toEqual([expect.objectContaining({ type: 'domain', value: 'example.com' })]);
  });

  it('lists each problem at its path', async () => {
    const error = await pipe
      .transform(
        report([{ type: 'domain', value: 'ok.example' }, 'x', { type: 'ipv4', value: '10.0.0.1/8', confidence: -1 }]),
        {
          type: 'body',
          metatype: CreateReportDto,
        },
      )
      .catch((rejection: unknown) => rejection);
    const details = (error as { details: { path: string; value: unknown; reason: string }[] }).details;
    expect(details.map((detail) => detail.path).sort()).toEqual([
      'indicators[1]',
      'indicators[2].confidence',
      'indicators[2].value',
    ]);
    expect(details.find((detail) => detail.path === 'indicators[2].value')).toMatchObject({
      value: '10.0.0.1/8',
      reason: expect.stringMatching(/host bits/),
    });
  });

  it('refuses indicators that are not a list', async () => {
    const error = await pipe
      .transform(report('198.51.100.7'), { type: 'body', metatype: CreateReportDto })
      .catch((rejection: unknown) => rejection);
    expect((error as { details: { path: string }[] }).details).toEqual([
      expect.objectContaining({ path: 'indicators', reason: 'indicators must be an array' }),
    ]);
  });
});
