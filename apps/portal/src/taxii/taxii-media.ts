import { ErrorCode, VigiaException } from '@vigia/common';

/** The one media type every TAXII 2.1 resource is answered in (and objects are posted in). */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
/** The media type of the STIX objects a collection holds (collections' `media_types`, manifests). */
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

interface MediaRange {
  type: string;
  parameters: Map<string, string>;
  quality: number;
}

function parseMediaRange(text: string): MediaRange {
  const [type = '', ...parameters] = text.split(';').map((part) => part.trim());
  const parsed = new Map<string, string>();
  for (const parameter of parameters) {
    const equals = parameter.indexOf('=');
    if (equals > 0) {
      parsed.set(
        parameter.slice(0, equals).trim().toLowerCase(),
        parameter
          .slice(equals + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
    }
  }
  const quality = Number(parsed.get('q') ?? '1');
  return { type: type.toLowerCase(), parameters: parsed, quality: Number.isFinite(quality) ? quality : 0 };
}

/** TAXII's media type, with no version (the newest, 2.1) or version 2.1. */
const isTaxii21 = (range: MediaRange): boolean =>
  range.type === 'application/taxii+json' && (range.parameters.get('version') ?? '2.1') === '2.1';

/**
 * Throws 406 unless `Accept` admits TAXII 2.1 (`application/taxii+json;version=2.1`, without a version, or a
 * wildcard). No `Accept` at all admits anything (RFC 9110).
 */
export function checkAccept(accept: string | undefined): void {
  if (accept === undefined || accept.trim() === '') return;
  const acceptable = accept
    .split(',')
    .map(parseMediaRange)
    .some((range) => range.quality > 0 && (isTaxii21(range) || range.type === '*/*' || range.type === 'application/*'));
  if (!acceptable) {
    throw new VigiaException(ErrorCode.NotAcceptable, `This server answers only in ${TAXII_MEDIA_TYPE}`);
  }
}

/** Throws 415 unless the body is TAXII 2.1 (`application/taxii+json;version=2.1`, or without a version). */
export function checkContentType(contentType: string | undefined): void {
  if (contentType === undefined || !isTaxii21(parseMediaRange(contentType))) {
    throw new VigiaException(
      ErrorCode.UnsupportedMediaType,
      `Objects are added as ${TAXII_MEDIA_TYPE} (an envelope), not ${contentType ?? 'a body without Content-Type'}`,
    );
  }
}
