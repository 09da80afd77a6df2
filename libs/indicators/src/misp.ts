import { IndicatorType } from './indicator-type';
import { isValidRsit, RsitPair } from './rsit';
import { Severity } from './severity';
import { parseTlp, TlpLevel, tlpRank } from './tlp';

/**
 * MISP event JSON (MISP core format, https://github.com/MISP/misp-rfc, misp-core-format) → Vigia report input.
 *
 * Only the shape is checked and values are copied as MISP has them (composite values split): the caller runs every
 * indicator through `canonicaliseIndicator` and reports failures using `MispIndicatorInput.path`.
 *
 * Mapping decisions:
 * - Title is `Event.info`; description is the content of the event's `EventReport`s and of its top-level `text` and
 *   `comment` attributes, in that order, separated by blank lines (MISP has no description field).
 * - Severity from `threat_level_id`: 1 High → high, 2 Medium → medium, 3 Low → low, 4 Undefined → no severity. MISP
 *   has no "critical", so it is never produced.
 * - TLP from the event's `tlp:*` tags; with several, the most restrictive wins. With none, TLP:AMBER: MISP's
 *   `distribution` is an access rule of the source instance, not a handling marking, so nothing else tells us the
 *   source allowed wider sharing, and over-sharing is the costlier mistake for a CSIRT network. A note says so.
 * - An attribute tagged with a TLP more restrictive than the report's is skipped (not imported under the looser
 *   marking); it must be shared in a report of its own.
 * - `rsit:<classification>="<type>"` tags set `report.rsit` (the first valid one); `tlp:` and valid `rsit:` tags are
 *   consumed, every other event tag is kept in `tags`.
 * - `firstSeen` is the earliest of the event `date` and the imported attributes' `first_seen`; `lastSeen` is the
 *   latest imported `last_seen` (or `first_seen`). All dates come out as ISO 8601 UTC strings.
 * - `to_ids: false` attributes are imported with `toIds: false` (context, not for automated detection); only an
 *   explicit true marks an indicator as actionable. Deleted attributes and attributes of deleted objects are skipped.
 * - Attributes inside `Object`s are mapped by their type like top-level ones (a `file` object's `sha256`, a
 *   `domain-ip` object's `domain` and `ip-dst`...); with no comment of their own they take the object's comment.
 * - `value` may be absent where `value1`/`value2` are given: they are used instead (composite types take both).
 * - An attribute whose `to_ids` is explicitly false is an observable (`observable: true`): context, stored as a STIX
 *   observable, never an indicator. An absent `to_ids` (hand-written events) keeps it an indicator.
 * - `misp:confidence-level="…"` (event or attribute tag) sets the confidence: completely 100, usually 75, fairly 50,
 *   rarely 25, unconfident 0.
 * - Galaxy clusters (`Event.Galaxy[].GalaxyCluster[]`, and `misp-galaxy:<galaxy>="<value>"` tags) are listed in
 *   `galaxies` for the STIX side to map (attack patterns, threat actors, intrusion sets, malware, tools).
 * - MISP objects are listed in `objects` with their attributes; in the objects that have a STIX counterpart (file,
 *   domain-ip, url, email) the attributes it has no property for are listed in `skipped`.
 * - Sightings, attribute tags other than TLP and confidence, and `link`, `comment` (inside objects), `ssdeep` and every
 *   other type not in `MISP_TYPE_MAPPINGS` are not imported; unsupported attributes are listed in `skipped`.
 */
export interface MispReportInput {
  title: string;
  description?: string;
  tlp: TlpLevel;
  severity?: Severity;
  rsit?: RsitPair;
  /** ISO 8601 UTC */
  firstSeen?: string;
  /** ISO 8601 UTC */
  lastSeen?: string;
  tags: string[];
  /** The MISP event uuid, to recognise a re-import of the same event. */
  externalId?: string;
  /** From the event's `misp:confidence-level` tag. */
  confidence?: number;
}

/** A galaxy cluster attached to the event (or named by a `misp-galaxy:` tag). */
export interface MispGalaxyCluster {
  /** The galaxy's type, e.g. `mitre-attack-pattern`, `threat-actor`, `malpedia`, `mitre-tool`. */
  galaxyType: string;
  /** The cluster's value, e.g. `Spearphishing Attachment - T1566.001`. */
  name: string;
  uuid?: string;
  description?: string;
  /** `meta.external_id` (ATT&CK ids such as T1566.001). */
  externalIds: string[];
  /** `meta.synonyms`. */
  synonyms: string[];
}

/** The STIX object type a MISP galaxy's clusters map to; undefined for galaxies with no STIX counterpart. */
export type GalaxyStixType = 'attack-pattern' | 'intrusion-set' | 'threat-actor' | 'tool' | 'malware';

const MALWARE_GALAXIES = new Set([
  'malpedia',
  'ransomware',
  'rat',
  'banker',
  'stealer',
  'botnet',
  'backdoor',
  'android',
  'exploit-kit',
]);

/** `mitre-attack-pattern` → attack-pattern, `threat-actor` → threat-actor, `mitre-tool` → tool, `malpedia` → malware... */
export function stixTypeOfGalaxy(galaxyType: string): GalaxyStixType | undefined {
  const type = galaxyType.toLowerCase();
  if (type.includes('attack-pattern')) return 'attack-pattern';
  if (type.includes('intrusion-set')) return 'intrusion-set';
  if (type.includes('threat-actor') || type === 'microsoft-activity-group') return 'threat-actor';
  if (type.includes('tool')) return 'tool';
  if (type.includes('malware') || MALWARE_GALAXIES.has(type)) return 'malware';
  return undefined;
}

/** One attribute of a MISP object, as sent. */
export interface MispObjectAttribute {
  relation: string;
  type: string;
  value: string;
  toIds: boolean;
}

/** A MISP object that is not deleted, with its attributes that are not deleted. */
export interface MispObjectInput {
  name: string;
  path: string;
  uuid?: string;
  comment?: string;
  attributes: MispObjectAttribute[];
}

export interface MispIndicatorInput {
  type: IndicatorType;
  /** As found in MISP, not canonicalised. */
  value: string;
  comment?: string;
  firstSeen?: string;
  lastSeen?: string;
  /** MISP `to_ids`: false means shared as context, not meant for automated detection. */
  toIds: boolean;
  /** `to_ids` explicitly false: an observable (context), not an indicator. */
  observable: boolean;
  confidence?: number;
  /** Where the value came from, e.g. `Event.Object[2].Attribute[0]`, for messages about it. */
  path: string;
}

export interface MispSkippedAttribute {
  path: string;
  misp_type: string;
  value?: string;
  reason: string;
}

/** Something the analyst should know about the import that is not an error (defaults applied, dates dropped...). */
export interface MispNote {
  path: string;
  note: string;
}

export interface MispMapping {
  report: MispReportInput;
  indicators: MispIndicatorInput[];
  galaxies: MispGalaxyCluster[];
  objects: MispObjectInput[];
  skipped: MispSkippedAttribute[];
  notes: MispNote[];
}

export interface MispMappingError {
  path: string;
  reason: string;
}

export type MispMapResult = MispMapping | { errors: MispMappingError[] };

/** Which part of a MISP value holds an indicator: the whole, or one side of a composite `left|right` value. */
type ValuePart = 'value' | 'left' | 'right';
/** `ip` means IPv4 or IPv6, decided by the value (MISP has one type for both). */
type Target = IndicatorType | 'ip';

/** The MISP attribute types imported, and which indicator(s) each one yields. */
export const MISP_TYPE_MAPPINGS: ReadonlyMap<string, readonly (readonly [ValuePart, Target])[]> = new Map<
  string,
  readonly (readonly [ValuePart, Target])[]
>([
  ['ip-src', [['value', 'ip']]],
  ['ip-dst', [['value', 'ip']]],
  ['ip-src|port', [['left', 'ip']]],
  ['ip-dst|port', [['left', 'ip']]],
  ['domain', [['value', IndicatorType.Domain]]],
  ['hostname', [['value', IndicatorType.Domain]]],
  ['hostname|port', [['left', IndicatorType.Domain]]],
  [
    'domain|ip',
    [
      ['left', IndicatorType.Domain],
      ['right', 'ip'],
    ],
  ],
  ['url', [['value', IndicatorType.Url]]],
  ['email', [['value', IndicatorType.Email]]],
  ['email-src', [['value', IndicatorType.Email]]],
  ['email-dst', [['value', IndicatorType.Email]]],
  ['md5', [['value', IndicatorType.Md5]]],
  ['sha1', [['value', IndicatorType.Sha1]]],
  ['sha256', [['value', IndicatorType.Sha256]]],
  ['sha512', [['value', IndicatorType.Sha512]]],
  ['filename|md5', [['right', IndicatorType.Md5]]],
  ['filename|sha1', [['right', IndicatorType.Sha1]]],
  ['filename|sha256', [['right', IndicatorType.Sha256]]],
  ['filename|sha512', [['right', IndicatorType.Sha512]]],
  // A malware-sample's value is `filename|md5` (the sample itself travels in `data`, which we do not import).
  ['malware-sample', [['right', IndicatorType.Md5]]],
  ['vulnerability', [['value', IndicatorType.Cve]]],
  ['AS', [['value', IndicatorType.Asn]]],
]);

const THREAT_LEVEL_SEVERITY: ReadonlyMap<string, Severity | undefined> = new Map([
  ['1', Severity.High],
  ['2', Severity.Medium],
  ['3', Severity.Low],
  ['4', undefined],
]);
const DEFAULT_TLP = TlpLevel.Amber;
const DESCRIPTION_TYPES = new Set(['text', 'comment']);
const RSIT_TAG = /^rsit:([a-z0-9-]+)="([a-z0-9-]+)"$/;
const CONFIDENCE_TAG = /^misp:confidence-level="([a-z-]+)"$/;
const GALAXY_TAG = /^misp-galaxy:([a-z0-9-]+)="(.+)"$/;
/** MISP taxonomy `misp:confidence-level` → STIX confidence (0-100). */
const CONFIDENCE_LEVELS: ReadonlyMap<string, number> = new Map([
  ['completely-confident', 100],
  ['usually-confident', 75],
  ['fairly-confident', 50],
  ['rarely-confident', 25],
  ['unconfident', 0],
]);
/**
 * The object relations the STIX side maps (file: `file` SCO; domain-ip: `domain-name` resolving to addresses; url;
 * email: `email-message`); the others of these objects are listed as skipped.
 */
export const MISP_OBJECT_RELATIONS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['file', new Set(['filename', 'md5', 'sha1', 'sha256', 'sha512', 'size-in-bytes', 'mimetype'])],
  ['domain-ip', new Set(['domain', 'hostname', 'ip', 'ip-dst', 'ip-src'])],
  ['url', new Set(['url'])],
  ['email', new Set(['from', 'to', 'cc', 'subject', 'message-id', 'reply-to'])],
]);
const TLP_TAG_PREFIX = /^tlp:/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Date, optionally with a time that then must carry its offset: a zone-less time would be read in the server's zone.
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/i;

type JsonObject = Record<string, unknown>;

/** Mutable state of one mapping run. */
interface Collector {
  reportTlp: TlpLevel;
  reportConfidence?: number;
  indicators: MispIndicatorInput[];
  skipped: MispSkippedAttribute[];
  notes: MispNote[];
  descriptionParts: string[];
}

/** How a MISP document holds its events (MISP's API, PyMISP and exports write all four). */
export type MispDocumentForm = 'event' | 'bare-event' | 'search-response' | 'event-list';

/** One event of a document, wrapped as `mapMispEvent` takes it, and where it sits in the document. */
export interface MispDocumentEvent {
  /** `''` for a single event, `response[2]` or `[2]` for one of several. */
  path: string;
  wrapped: { Event: JsonObject };
}

/** More events in one document are refused: each becomes a report, and a request's work stays bounded. */
export const MAX_MISP_EVENTS_PER_DOCUMENT = 1000;

/**
 * The events of a MISP document: a wrapped event `{"Event": {...}}` (MISP's export), a bare event (PyMISP's
 * `to_json()`, MISP's `/events/add` body), search results `{"response": [{"Event": {...}}, ...]}` (restSearch)
 * or an array of events (wrapped or bare). Each is returned wrapped, for `mapMispEvent`.
 */
export function splitMispDocument(
  json: unknown,
): { form: MispDocumentForm; events: MispDocumentEvent[] } | { errors: MispMappingError[] } {
  if (Array.isArray(json)) return listedEvents(json, '', 'event-list');
  if (!isObject(json)) return fail('', 'expected a JSON object holding a MISP event: {"Event": {...}}');
  if (Array.isArray(json.response)) return listedEvents(json.response, 'response', 'search-response');
  if (json.Event !== undefined) {
    return isObject(json.Event)
      ? { form: 'event', events: [{ path: '', wrapped: { Event: json.Event } }] }
      : fail('Event', 'must be a MISP event object');
  }
  if (looksLikeEvent(json)) return { form: 'bare-event', events: [{ path: '', wrapped: { Event: json } }] };
  return fail(
    'Event',
    'missing "Event" object; expected a MISP event {"Event": {...}}, a bare event, {"response": [...]} or an array of events',
  );
}

function listedEvents(
  items: readonly unknown[],
  path: string,
  form: MispDocumentForm,
): { form: MispDocumentForm; events: MispDocumentEvent[] } | { errors: MispMappingError[] } {
  if (items.length === 0) return fail(path, 'holds no MISP event');
  if (items.length > MAX_MISP_EVENTS_PER_DOCUMENT) {
    return fail(path, `holds ${items.length} events; send at most ${MAX_MISP_EVENTS_PER_DOCUMENT} per request`);
  }
  const events: MispDocumentEvent[] = [];
  const errors: MispMappingError[] = [];
  items.forEach((item, index) => {
    const itemPath = `${path}[${index}]`;
    if (isObject(item) && isObject(item.Event)) events.push({ path: itemPath, wrapped: { Event: item.Event } });
    else if (isObject(item) && looksLikeEvent(item)) events.push({ path: itemPath, wrapped: { Event: item } });
    else errors.push({ path: itemPath, reason: 'not a MISP event ({"Event": {...}} or an event with "info")' });
  });
  return errors.length > 0 ? { errors } : { form, events };
}

/** A bare event: MISP's own fields, of which `info` (the title) is the one every event has. */
function looksLikeEvent(json: JsonObject): boolean {
  return 'info' in json || Array.isArray(json.Attribute) || Array.isArray(json.Object);
}

export function mapMispEvent(json: unknown): MispMapResult {
  if (!isObject(json)) return fail('', 'expected a JSON object holding a MISP event: {"Event": {...}}');
  if (Array.isArray(json.response)) {
    return fail(
      'response',
      `this is a MISP search response with ${json.response.length} events; import them one by one`,
    );
  }
  const event = json.Event;
  if (!isObject(event)) return fail('Event', 'missing "Event" object; expected a MISP event export {"Event": {...}}');

  const errors = checkEventShape(event);
  if (errors.length > 0) return { errors };

  const notes: MispNote[] = [];
  const { tlp, rsit, tags, confidence, galaxyTags } = readEventTags(event.Tag, notes);
  const out: Collector = {
    reportTlp: tlp,
    reportConfidence: confidence,
    indicators: [],
    skipped: [],
    notes,
    descriptionParts: [],
  };
  const objects: MispObjectInput[] = [];

  for (const eventReport of asArray(event.EventReport)) {
    if (isObject(eventReport) && !isTrue(eventReport.deleted) && isNonBlankString(eventReport.content)) {
      out.descriptionParts.push(eventReport.content.trim());
    }
  }
  for (const [index, attribute] of asArray(event.Attribute).entries()) {
    const path = `Event.Attribute[${index}]`;
    if (isObject(attribute) && DESCRIPTION_TYPES.has(String(attribute.type)) && !isTrue(attribute.deleted)) {
      const text = attributeValue(attribute, 'value');
      if (text !== undefined && text.trim() !== '') out.descriptionParts.push(text.trim());
      continue;
    }
    mapAttribute(attribute, path, undefined, out);
  }
  for (const [objectIndex, mispObject] of asArray(event.Object).entries()) {
    const objectPath = `Event.Object[${objectIndex}]`;
    const object = mispObject as JsonObject; // shape checked in checkEventShape
    const name = typeof object.name === 'string' ? object.name : '';
    const relations = MISP_OBJECT_RELATIONS.get(name);
    const kept: MispObjectInput = {
      name,
      path: objectPath,
      attributes: [],
      ...optional('uuid', nonBlank(object.uuid)),
      ...optional('comment', nonBlank(object.comment)),
    };
    for (const [index, attribute] of asArray(object.Attribute).entries()) {
      const path = `${objectPath}.Attribute[${index}]`;
      if (isTrue(object.deleted)) {
        out.skipped.push({ ...describe(attribute, path), reason: 'the MISP object holding it is deleted' });
        continue;
      }
      const relation =
        isObject(attribute) && typeof attribute.object_relation === 'string' ? attribute.object_relation : '';
      const value = isObject(attribute) ? attributeValue(attribute, 'value') : undefined;
      if (isObject(attribute) && !isTrue(attribute.deleted) && value !== undefined && relations?.has(relation)) {
        kept.attributes.push({ relation, type: String(attribute.type ?? ''), value, toIds: isTrue(attribute.to_ids) });
        // A value that is an indicator type is an indicator (or observable) too; one only the object maps is not
        // skipped: the STIX object holds it.
        if (!MISP_TYPE_MAPPINGS.has(String(attribute.type))) continue;
      } else if (relations && isObject(attribute) && !isTrue(attribute.deleted)) {
        out.skipped.push({
          ...describe(attribute, path),
          reason: `a MISP ${name} object's "${relation}" has no STIX counterpart`,
        });
        continue;
      }
      mapAttribute(attribute, path, nonBlank(object.comment), out);
    }
    if (!isTrue(object.deleted) && kept.attributes.length > 0) objects.push(kept);
  }

  const severity = readSeverity(event.threat_level_id, notes);
  const eventDate = isNonBlankString(event.date) ? `${event.date}T00:00:00.000Z` : undefined;
  const report: MispReportInput = {
    title: (event.info as string).trim(), // checked in checkEventShape
    tlp,
    tags,
    ...optional('description', out.descriptionParts.length > 0 ? out.descriptionParts.join('\n\n') : undefined),
    ...optional('severity', severity),
    ...optional('rsit', rsit),
    ...optional('firstSeen', earliest([eventDate, ...out.indicators.map((indicator) => indicator.firstSeen)])),
    ...optional('lastSeen', latest(out.indicators.map((indicator) => indicator.lastSeen ?? indicator.firstSeen))),
    ...optional('externalId', nonBlank(event.uuid)),
    ...optional('confidence', confidence),
  };
  const galaxies = [...readGalaxies(event.Galaxy), ...galaxyTags];
  const unique = new Map(galaxies.map((cluster) => [`${cluster.galaxyType}|${cluster.name}`, cluster]));
  return {
    report,
    indicators: out.indicators,
    galaxies: [...unique.values()],
    objects,
    skipped: out.skipped,
    notes,
  };
}

/** Structural problems that make the event unusable as a whole; per-attribute problems go to `skipped` instead. */
function checkEventShape(event: JsonObject): MispMappingError[] {
  const errors: MispMappingError[] = [];
  if (!isNonBlankString(event.info)) {
    errors.push({ path: 'Event.info', reason: 'must be a non-empty string (it becomes the report title)' });
  }
  if (event.date !== undefined && event.date !== null && !(typeof event.date === 'string' && isIsoDate(event.date))) {
    errors.push({ path: 'Event.date', reason: `must be a date as YYYY-MM-DD, got ${JSON.stringify(event.date)}` });
  }
  for (const member of ['Attribute', 'Object', 'Tag', 'EventReport'] as const) {
    if (event[member] !== undefined && event[member] !== null && !Array.isArray(event[member])) {
      errors.push({ path: `Event.${member}`, reason: 'must be an array' });
    }
  }
  for (const [index, object] of asArray(event.Object).entries()) {
    const path = `Event.Object[${index}]`;
    if (!isObject(object)) errors.push({ path, reason: 'must be a MISP object ({"name": ..., "Attribute": [...]})' });
    else if (object.Attribute !== undefined && object.Attribute !== null && !Array.isArray(object.Attribute)) {
      errors.push({ path: `${path}.Attribute`, reason: 'must be an array' });
    }
  }
  return errors;
}

/** The clusters of `Event.Galaxy[]`, as MISP exports them. */
function readGalaxies(galaxyList: unknown): MispGalaxyCluster[] {
  const clusters: MispGalaxyCluster[] = [];
  for (const galaxy of asArray(galaxyList)) {
    if (!isObject(galaxy)) continue;
    for (const cluster of asArray(galaxy.GalaxyCluster)) {
      if (!isObject(cluster) || !isNonBlankString(cluster.value)) continue;
      const galaxyType = nonBlank(cluster.type) ?? nonBlank(galaxy.type) ?? '';
      const meta = isObject(cluster.meta) ? cluster.meta : {};
      clusters.push({
        galaxyType,
        name: cluster.value.trim(),
        externalIds: asArray(meta.external_id).flatMap((id) => (isNonBlankString(id) ? [id.trim()] : [])),
        synonyms: asArray(meta.synonyms).flatMap((synonym) => (isNonBlankString(synonym) ? [synonym.trim()] : [])),
        ...optional('uuid', nonBlank(cluster.uuid)),
        ...optional('description', nonBlank(cluster.description)),
      });
    }
  }
  return clusters;
}

/** `misp:confidence-level="usually-confident"` → 75; undefined for other tags and unknown levels. */
function confidenceOfTag(name: string): number | undefined {
  const match = CONFIDENCE_TAG.exec(name);
  return match ? CONFIDENCE_LEVELS.get(match[1] ?? '') : undefined;
}

function readEventTags(
  tagList: unknown,
  notes: MispNote[],
): { tlp: TlpLevel; rsit?: RsitPair; tags: string[]; confidence?: number; galaxyTags: MispGalaxyCluster[] } {
  const tlpLevels: TlpLevel[] = [];
  let rsit: RsitPair | undefined;
  let confidence: number | undefined;
  const galaxyTags: MispGalaxyCluster[] = [];
  const tags = new Set<string>();
  for (const name of tagNames(tagList)) {
    const tlp = tlpOfTag(name);
    if (tlp) {
      tlpLevels.push(tlp);
      continue;
    }
    const tagConfidence = confidenceOfTag(name);
    if (tagConfidence !== undefined) {
      confidence ??= tagConfidence;
      continue;
    }
    const galaxy = GALAXY_TAG.exec(name);
    if (galaxy) {
      galaxyTags.push({ galaxyType: galaxy[1] ?? '', name: galaxy[2] ?? '', externalIds: [], synonyms: [] });
      continue;
    }
    const rsitMatch = RSIT_TAG.exec(name);
    if (rsitMatch && isValidRsit(rsitMatch[1], rsitMatch[2])) {
      // isValidRsit checked the pair.
      if (rsit === undefined) rsit = { classification: rsitMatch[1], type: rsitMatch[2] } as RsitPair;
      else notes.push({ path: 'Event.Tag', note: `several RSIT tags; kept the first, ignored ${name}` });
      continue;
    }
    if (rsitMatch) notes.push({ path: 'Event.Tag', note: `${name} is not a current RSIT value; kept as a plain tag` });
    tags.add(name);
  }

  let tlp = mostRestrictive(tlpLevels);
  if (tlp === undefined) {
    tlp = DEFAULT_TLP;
    notes.push({
      path: 'Event.Tag',
      note: `the event has no tlp:* tag; the report defaults to TLP:${tlp.toUpperCase()}`,
    });
  } else if (new Set(tlpLevels).size > 1) {
    notes.push({
      path: 'Event.Tag',
      note: `several TLP tags; the most restrictive, TLP:${tlp.toUpperCase()}, applies`,
    });
  }
  return { tlp, rsit, tags: [...tags], galaxyTags, ...optional('confidence', confidence) };
}

function readSeverity(threatLevel: unknown, notes: MispNote[]): Severity | undefined {
  if (threatLevel === undefined || threatLevel === null) return undefined;
  const key = String(threatLevel);
  if (!THREAT_LEVEL_SEVERITY.has(key)) {
    notes.push({
      path: 'Event.threat_level_id',
      note: `unknown threat level ${JSON.stringify(threatLevel)}; no severity set`,
    });
  }
  return THREAT_LEVEL_SEVERITY.get(key);
}

function mapAttribute(attribute: unknown, path: string, objectComment: string | undefined, out: Collector): void {
  if (!isObject(attribute)) {
    out.skipped.push({ path, misp_type: '', reason: 'not a MISP attribute (expected an object)' });
    return;
  }
  const skip = (reason: string): void => void out.skipped.push({ ...describe(attribute, path), reason });
  const mispType = typeof attribute.type === 'string' ? attribute.type : '';
  if (mispType === '') return skip('the attribute has no type');
  if (isTrue(attribute.deleted)) return skip('the attribute is deleted (revoked) in MISP');
  const targets = MISP_TYPE_MAPPINGS.get(mispType);
  if (targets === undefined) return skip(`unsupported MISP type ${mispType}`);

  const attributeTlp = mostRestrictive(tagNames(attribute.Tag).flatMap((name) => tlpOfTag(name) ?? []));
  if (attributeTlp !== undefined && tlpRank(attributeTlp) > tlpRank(out.reportTlp)) {
    return skip(
      `the attribute is TLP:${attributeTlp.toUpperCase()}, more restrictive than the report's ` +
        `TLP:${out.reportTlp.toUpperCase()}; share it in a separate report`,
    );
  }

  // Resolve every part first so a composite value is imported whole or not at all.
  const values: [string, IndicatorType][] = [];
  for (const [part, target] of targets) {
    const value = attributeValue(attribute, part);
    if (value === undefined || value.trim() === '') {
      return skip(part === 'value' ? 'the attribute has no value' : `MISP type ${mispType} needs a value like "a|b"`);
    }
    values.push([value, target === 'ip' ? ipType(value) : target]);
  }

  const seen = {
    firstSeen: readTimestamp(attribute.first_seen, `${path}.first_seen`, out.notes),
    lastSeen: readTimestamp(attribute.last_seen, `${path}.last_seen`, out.notes),
  };
  const comment = nonBlank(attribute.comment) ?? objectComment;
  const confidence =
    tagNames(attribute.Tag)
      .map(confidenceOfTag)
      .find((level) => level !== undefined) ?? out.reportConfidence;
  for (const [value, type] of values) {
    out.indicators.push({
      type,
      value,
      toIds: isTrue(attribute.to_ids),
      observable: isFalse(attribute.to_ids),
      path,
      ...optional('confidence', confidence),
      ...optional('comment', comment),
      ...optional('firstSeen', seen.firstSeen),
      ...optional('lastSeen', seen.lastSeen),
    });
  }
}

/** The text of one part of an attribute's value, from `value` or else from `value1`/`value2`. */
function attributeValue(attribute: JsonObject, part: ValuePart): string | undefined {
  const whole = text(attribute.value);
  if (whole !== undefined) {
    if (part === 'value') return whole;
    // Split at the last '|': filenames (the left side of filename|hash) are the only side that may hold one.
    const bar = whole.lastIndexOf('|');
    if (bar === -1) return undefined;
    return part === 'left' ? whole.slice(0, bar) : whole.slice(bar + 1);
  }
  return text(part === 'right' ? attribute.value2 : attribute.value1);
}

/** MISP's ip-* types hold both families; an address with a colon can only be IPv6. */
function ipType(value: string): IndicatorType {
  return value.includes(':') ? IndicatorType.Ipv6 : IndicatorType.Ipv4;
}

function describe(attribute: unknown, path: string): Omit<MispSkippedAttribute, 'reason'> {
  if (!isObject(attribute)) return { path, misp_type: '' };
  const value = text(attribute.value) ?? joinDefined(text(attribute.value1), text(attribute.value2));
  return { path, misp_type: typeof attribute.type === 'string' ? attribute.type : '', ...optional('value', value) };
}

function joinDefined(first: string | undefined, second: string | undefined): string | undefined {
  if (first === undefined) return undefined;
  return second ? `${first}|${second}` : first;
}

function tlpOfTag(name: string): TlpLevel | undefined {
  return TLP_TAG_PREFIX.test(name) ? parseTlp(name) : undefined;
}

function mostRestrictive(levels: readonly TlpLevel[]): TlpLevel | undefined {
  let highest: TlpLevel | undefined;
  for (const level of levels) if (highest === undefined || tlpRank(level) > tlpRank(highest)) highest = level;
  return highest;
}

function tagNames(tagList: unknown): string[] {
  return asArray(tagList).flatMap((tag) => (isObject(tag) && isNonBlankString(tag.name) ? [tag.name.trim()] : []));
}

function readTimestamp(value: unknown, path: string, notes: MispNote[]): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const iso = typeof value === 'string' ? toIsoTimestamp(value) : undefined;
  if (iso === undefined) notes.push({ path, note: `${JSON.stringify(value)} is not an ISO 8601 date-time; ignored` });
  return iso;
}

function toIsoTimestamp(value: string): string | undefined {
  const match = ISO_TIMESTAMP.exec(value);
  if (!match || !isRealDay(match[1], match[2], match[3])) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  return match !== null && isRealDay(match[1], match[2], match[3]);
}

/** Rejects 2024-02-30 and the like, which Date.parse would roll over into March. */
function isRealDay(year: string, month: string, day: string): boolean {
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
}

// ISO 8601 UTC strings of one format compare correctly as strings.
function earliest(dates: readonly (string | undefined)[]): string | undefined {
  return dates.reduce<string | undefined>(
    (min, date) => (date !== undefined && (min === undefined || date < min) ? date : min),
    undefined,
  );
}

function latest(dates: readonly (string | undefined)[]): string | undefined {
  return dates.reduce<string | undefined>(
    (max, date) => (date !== undefined && (max === undefined || date > max) ? date : max),
    undefined,
  );
}

function fail(path: string, reason: string): { errors: MispMappingError[] } {
  return { errors: [{ path, reason }] };
}

/** `{ key: value }` when value is defined, `{}` otherwise: keeps absent optionals absent rather than `undefined`. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Only an explicit false (MISP writes booleans; '0' and 0 from older exports). */
function isFalse(value: unknown): boolean {
  return value === false || value === '0' || value === 0;
}

function isTrue(value: unknown): boolean {
  return value === true || value === '1' || value === 1;
}

function isNonBlankString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function nonBlank(value: unknown): string | undefined {
  return isNonBlankString(value) ? value.trim() : undefined;
}

/** Attribute values are JSON strings in MISP; numbers (hand-written AS numbers) are tolerated. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}
