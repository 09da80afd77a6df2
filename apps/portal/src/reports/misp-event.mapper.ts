import { VisibleObjectVersion } from '@vigia/database';
import { IndicatorType } from '@vigia/indicators';
import { readStixPattern } from '@vigia/stix';
import { v5 as uuidV5 } from 'uuid';

/** Namespace of the uuids of MISP attributes Vigia exports (UUIDv5 over `<STIX id>|<value>`). */
const MISP_ATTRIBUTE_NAMESPACE = '8b1f6c2e-4d3a-4f5b-9e7c-1a2b3c4d5e6f';

type MispJson = Record<string, unknown>;

const MISP_TYPES: Record<IndicatorType, [type: string, category: string]> = {
  [IndicatorType.Ipv4]: ['ip-dst', 'Network activity'],
  [IndicatorType.Ipv6]: ['ip-dst', 'Network activity'],
  [IndicatorType.Domain]: ['domain', 'Network activity'],
  [IndicatorType.Url]: ['url', 'Network activity'],
  [IndicatorType.Email]: ['email-src', 'Payload delivery'],
  [IndicatorType.Md5]: ['md5', 'Payload delivery'],
  [IndicatorType.Sha1]: ['sha1', 'Payload delivery'],
  [IndicatorType.Sha256]: ['sha256', 'Payload delivery'],
  [IndicatorType.Sha512]: ['sha512', 'Payload delivery'],
  [IndicatorType.Cve]: ['vulnerability', 'External analysis'],
  [IndicatorType.Asn]: ['AS', 'Network activity'],
};

/** Pattern languages MISP has an attribute type for; a STIX pattern Vigia cannot split goes as `stix2-pattern`. */
const PATTERN_TYPES: Record<string, string> = {
  stix: 'stix2-pattern',
  sigma: 'sigma',
  yara: 'yara',
  snort: 'snort',
  suricata: 'snort',
};

const SCO_VALUE_TYPES: Record<string, IndicatorType> = {
  'ipv4-addr': IndicatorType.Ipv4,
  'ipv6-addr': IndicatorType.Ipv6,
  'domain-name': IndicatorType.Domain,
  url: IndicatorType.Url,
  'email-addr': IndicatorType.Email,
};

const GALAXIES: Record<string, string> = {
  'attack-pattern': 'mitre-attack-pattern',
  'threat-actor': 'threat-actor',
  'intrusion-set': 'mitre-intrusion-set',
  malware: 'malpedia',
  tool: 'mitre-tool',
};

const THREAT_LEVELS: Record<string, string> = { critical: '1', high: '1', medium: '2', low: '3' };

/**
 * A Vigia report and the objects it refers to, as a MISP event (MISP core format, `{"Event": {...}}`): indicators
 * as attributes for detection (`to_ids`), observables as context (`to_ids: false`), patterns MISP has a type for as
 * such, attack patterns, threat actors, intrusion sets, malware and tools as galaxy tags; the TLP and RSIT labels as
 * tags. The event's uuid is the incident report's id, so a re-pulled event updates the same MISP event.
 */
export function mispEventOf(
  incidentReportId: string,
  report: VisibleObjectVersion,
  objects: readonly VisibleObjectVersion[],
): { Event: MispJson } {
  const stixReport = report.object;
  const labels = Array.isArray(stixReport.labels) ? (stixReport.labels as string[]) : [];
  const tags: MispJson[] = [];
  if (report.tlp) tags.push({ name: `tlp:${report.tlp}` });
  const rsit = labels.find((label) => /^rsit:[^:]+:[^:]+$/.test(label));
  if (rsit) {
    const [, classification, type] = rsit.split(':');
    tags.push({ name: `rsit:${classification}="${type}"` });
  }
  const severity = labels.find((label) => label.startsWith('severity:'))?.slice('severity:'.length);
  const attributes: MispJson[] = [];
  const described = new Set<string>();
  for (const stored of objects) {
    const object = stored.object;
    const galaxy = GALAXIES[stored.type];
    if (galaxy && typeof object.name === 'string') {
      tags.push({ name: `misp-galaxy:${galaxy}="${object.name}"` });
      continue;
    }
    if (stored.type === 'indicator') attributes.push(...indicatorAttributes(stored, described));
    if (stored.type === 'vulnerability') {
      const cve = cveOf(object);
      if (cve) attributes.push(attribute(stored, IndicatorType.Cve, cve, true));
    }
  }
  // Observables no indicator describes: context.
  for (const stored of objects) {
    const type = SCO_VALUE_TYPES[stored.type];
    const value = stored.object.value;
    if (type && typeof value === 'string' && !described.has(`${type}|${value}`)) {
      attributes.push(attribute(stored, type, value, false));
    }
  }
  const published = String(stixReport.published ?? stixReport.created ?? '');
  const modified = Date.parse(String(stixReport.modified ?? published));
  return {
    Event: {
      uuid: incidentReportId,
      info: String(stixReport.name ?? incidentReportId),
      date: published.slice(0, 10),
      timestamp: String(Math.floor(modified / 1000)),
      publish_timestamp: String(Math.floor(modified / 1000)),
      published: true,
      analysis: '2',
      threat_level_id: THREAT_LEVELS[severity ?? ''] ?? '4',
      // The receiving instance's own organisation only: Vigia's sharing rule already chose who gets it.
      distribution: '0',
      Tag: tags,
      Attribute: attributes,
    },
  };
}

function indicatorAttributes(stored: VisibleObjectVersion, described: Set<string>): MispJson[] {
  const object = stored.object;
  const patternType = String(object.pattern_type ?? '');
  const pattern = String(object.pattern ?? '');
  const read = patternType === 'stix' ? readStixPattern(pattern) : undefined;
  if (read && !('reason' in read)) {
    return read.indicators.map(({ type, value }) => {
      described.add(`${type}|${value}`);
      return attribute(stored, type, value, true);
    });
  }
  const mispType = PATTERN_TYPES[patternType];
  if (!mispType) return [];
  return [
    {
      uuid: uuidV5(`${stored.stixId}|${pattern}`, MISP_ATTRIBUTE_NAMESPACE),
      type: mispType,
      category: 'Artifacts dropped',
      to_ids: true,
      value: pattern,
      comment: typeof object.description === 'string' ? object.description : (object.name ?? ''),
      timestamp: String(Math.floor(stored.modified.getTime() / 1000)),
    },
  ];
}

function attribute(stored: VisibleObjectVersion, type: IndicatorType, value: string, toIds: boolean): MispJson {
  const [mispType, category] = MISP_TYPES[type];
  const object = stored.object;
  const result: MispJson = {
    uuid: uuidV5(`${stored.stixId}|${value}`, MISP_ATTRIBUTE_NAMESPACE),
    type: mispType,
    category,
    to_ids: toIds,
    value: type === IndicatorType.Asn ? `AS${value}` : value,
    comment: typeof object.description === 'string' ? object.description : '',
    timestamp: String(Math.floor(stored.modified.getTime() / 1000)),
  };
  if (typeof object.valid_from === 'string') result.first_seen = object.valid_from;
  return result;
}

function cveOf(object: Record<string, unknown>): string | undefined {
  const references = Array.isArray(object.external_references) ? object.external_references : [];
  const cve = (references as { source_name?: string; external_id?: string }[]).find(
    (reference) => reference.source_name === 'cve',
  );
  return cve?.external_id ?? (typeof object.name === 'string' && /^CVE-/i.test(object.name) ? object.name : undefined);
}

/** A MISP feed's manifest entry of an event (what MISP's feed cache reads before fetching `<uuid>.json`). */
export function manifestEntryOf(event: { Event: MispJson }, organisationName: string): MispJson {
  const { info, date, analysis, threat_level_id, timestamp, Tag } = event.Event;
  return {
    info,
    date,
    analysis,
    threat_level_id,
    timestamp,
    Orgc: { name: organisationName },
    Tag,
  };
}
