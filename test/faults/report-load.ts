import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { IndicatorType, TlpLevel } from '@vigia/indicators';
import {
  artifactObjects,
  buildBundle,
  buildIndicatorArtifacts,
  buildReport,
  identityForOrganisation,
  tlpMarkingFor,
} from '@vigia/stix';
import { StoredIndicator, publicIndicators } from '../../scripts/lib/stored-report.factory';
import { reportBody } from '../factories/report.factory';

export const FORMATS = ['json', 'stix', 'csv', 'misp'] as const;
export type ReportFormat = (typeof FORMATS)[number];

/** One report as a CSIRT tool sends it: the same bytes on every retry. */
export interface Submission {
  format: ReportFormat;
  path: string;
  contentType: string;
  body: string;
  /** The values it reports, each of which must come out as exactly one indicator of this report. */
  indicators: StoredIndicator[];
}

const MISP_TYPES: Record<string, string> = {
  ipv4: 'ip-dst',
  ipv6: 'ip-dst',
  domain: 'domain',
  url: 'url',
  sha256: 'sha256',
  md5: 'md5',
  email: 'email-src',
};

const mispFixture = (
  JSON.parse(readFileSync(path.join(__dirname, '../fixtures/misp-event.json'), 'utf8')) as {
    Event: Record<string, unknown>;
  }
).Event;

/**
 * The `index`th report of the load, in the `index % 4`th format, TLP:GREEN so every subscriber may receive it, with
 * values no other report of the run has (so each report is due exactly one warning per subscriber).
 */
export function submissionFor(index: number, indicatorsPerReport: number): Submission {
  const format = FORMATS[index % FORMATS.length]!;
  const indicators = publicIndicators(indicatorsPerReport, 500 + index);
  const title = `Fault-test report ${index} (${format})`;
  switch (format) {
    case 'json':
      return {
        format,
        path: '/api/v1/reports',
        contentType: 'application/json',
        body: JSON.stringify(reportBody({ title, tlp: 'green', indicators })),
        indicators,
      };
    case 'stix': {
      const partner = identityForOrganisation({ id: 'fault-partner', name: 'Fault-test partner CERT' });
      const green = tlpMarkingFor(TlpLevel.Green);
      const objects = artifactObjects(
        indicators.map(({ type, value }) =>
          buildIndicatorArtifacts(type as IndicatorType, value, { tlp: TlpLevel.Green, createdBy: partner.id }),
        ),
      );
      const report = buildReport({
        name: title,
        objectRefs: objects.map((object) => object.id),
        createdBy: partner.id,
        markingRefs: [green.id],
      });
      return {
        format,
        path: '/api/v1/reports/stix',
        contentType: 'application/stix+json;version=2.1',
        body: JSON.stringify(buildBundle([partner, green.markingDefinition, ...objects, report])),
        indicators,
      };
    }
    case 'csv': {
      const query = new URLSearchParams({
        title,
        classification: 'information-gathering',
        type: 'scanner',
        severity: 'medium',
        tlp: 'green',
      });
      return {
        format,
        path: `/api/v1/reports/csv?${query}`,
        contentType: 'text/csv',
        body: ['type,value', ...indicators.map(({ type, value }) => `${type},${value}`), ''].join('\n'),
        indicators,
      };
    }
    case 'misp':
      return {
        format,
        path: '/api/v1/reports/misp',
        contentType: 'application/json',
        body: JSON.stringify({
          Event: {
            ...mispFixture,
            uuid: randomUUID(),
            info: title,
            Tag: [{ name: 'tlp:green' }, { name: 'rsit:malicious-code="c2-server"' }],
            Attribute: indicators.map(({ type, value }) => ({
              uuid: randomUUID(),
              type: MISP_TYPES[type],
              category: 'Network activity',
              to_ids: true,
              value,
            })),
            Galaxy: [],
            Object: [],
            EventReport: [],
          },
        }),
        indicators,
      };
  }
}

/** What one submission came to. */
export interface SubmissionOutcome {
  submission: Submission;
  /** The report id answered with 202, if it ever was. */
  reportId?: string;
  /** How many times it was sent (1 when the first answer was 202). */
  attempts: number;
  /** The last answer that was not 202 (status and body), or the network error. */
  lastRefusal?: string;
}

/**
 * Sends one submission to the first ingest that answers, as a real client would: a new Idempotency-Key per report, the
 * same key and bytes on every retry, retrying network errors and 5xx answers (a dependency is down) until `deadline`.
 * Any 4xx is final: the platform refused a valid report.
 */
export async function submit(
  submission: Submission,
  ingestUrls: readonly string[],
  apiKey: string,
  deadline: number,
): Promise<SubmissionOutcome> {
  const idempotencyKey = randomUUID();
  const outcome: SubmissionOutcome = { submission, attempts: 0 };
  while (Date.now() < deadline) {
    const base = ingestUrls[outcome.attempts % ingestUrls.length]!;
    outcome.attempts += 1;
    try {
      const response = await fetch(`${base}${submission.path}`, {
        method: 'POST',
        headers: { 'content-type': submission.contentType, 'x-api-key': apiKey, 'idempotency-key': idempotencyKey },
        body: submission.body,
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      if (response.status === 202) {
        outcome.reportId = (JSON.parse(text) as { id: string }).id;
        return outcome;
      }
      outcome.lastRefusal = `${response.status} ${text.slice(0, 300)}`;
      if (response.status < 500) return outcome;
    } catch (error) {
      outcome.lastRefusal = String(error);
    }
    await delay(250);
  }
  return outcome;
}
