import { ImportedObjectRow } from '@vigia/database';
import {
  IndicatorType,
  MispGalaxyCluster,
  MispMapping,
  MispObjectInput,
  canonicaliseIndicator,
  mapMispEvent,
  splitMispDocument,
  stixTypeOfGalaxy,
} from '@vigia/indicators';
import {
  STIX_SPEC_VERSION,
  StixId,
  buildDomainName,
  buildEmailAddress,
  buildIpv4Address,
  buildIpv6Address,
  buildObservableFor,
  buildUrl,
  canonicalizeJson,
  scoIdFor,
  tlpMarkingFor,
} from '@vigia/stix';
import { v5 as uuidV5 } from 'uuid';
import { vigiaObjectRow } from './imported-objects.mapper';
import { NormaliseContext } from './stix-rows.mapper';

type StixJson = Record<string, unknown> & { type: string; id: string };

/** Namespace of the ids of objects built from MISP galaxy clusters (UUIDv5 over the cluster's uuid, or type=value). */
const MISP_GALAXY_NAMESPACE = 'c5f3d2a1-7e4b-4c8d-9a6f-2b1e0d3c4f58';
/** STIX 2.1 §2.9: the namespace of deterministic SCO ids. */
const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
const ATTACK_ID = /\b(T\d{4}(?:\.\d{3})?)$/;

const HASH_RELATIONS: Readonly<Record<string, string>> = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha512: 'SHA-512',
};

/** The one MISP event a report was stored from (ingest stores each event of a list on its own). */
export function mispMappingOf(document: unknown): MispMapping | undefined {
  const split = splitMispDocument(document);
  if ('errors' in split) return undefined;
  const [event] = split.events;
  const mapped = event ? mapMispEvent(event.wrapped) : undefined;
  return mapped && !('errors' in mapped) ? mapped : undefined;
}

/**
 * What a MISP event says beyond its indicators, as plain STIX 2.1 objects of the report (its creator, marking and
 * audience): galaxy clusters as attack patterns, intrusion sets, threat actors, malware and tools; `to_ids: false`
 * attributes as observables; MISP objects as their nearest STIX observable (file with its hashes, name and size;
 * domain-ip as a domain name resolving to its addresses; url; email as an email-message). Ids are fixed by content,
 * so a re-sent event stores nothing twice.
 */
export function mispStixRows(mapping: MispMapping, context: NormaliseContext): ImportedObjectRow[] {
  const marking = [tlpMarkingFor(context.scope.tlp).id];
  const objects = new Map<string, StixJson>();
  const add = (object: StixJson): void => void objects.set(object.id, object);
  for (const cluster of mapping.galaxies) {
    const built = galaxyObject(cluster, context, marking);
    if (built) add(built);
  }
  for (const observable of mapping.indicators.filter((indicator) => indicator.observable)) {
    if (observable.type === IndicatorType.Cve) continue;
    const canonical = canonicaliseIndicator(observable.type, observable.value);
    if (!canonical.ok) continue; // listed as skipped by ingest
    add(asJson(buildObservableFor(observable.type, canonical.value, { markingRefs: marking })));
  }
  for (const object of mapping.objects) for (const built of mispObjectStix(object, marking)) add(built);
  return [...objects.values()].map((object) => vigiaObjectRow(object, context));
}

function galaxyObject(
  cluster: MispGalaxyCluster,
  context: NormaliseContext,
  marking: StixId<'marking-definition'>[],
): StixJson | undefined {
  const type = stixTypeOfGalaxy(cluster.galaxyType);
  if (!type) return undefined;
  const id = `${type}--${uuidV5(cluster.uuid ?? `${cluster.galaxyType}=${cluster.name}`, MISP_GALAXY_NAMESPACE)}`;
  const object: StixJson = {
    type,
    spec_version: STIX_SPEC_VERSION,
    id,
    created_by_ref: context.identityId,
    created: context.now,
    modified: context.now,
    name: cluster.name,
    object_marking_refs: marking,
  };
  if (cluster.description) object.description = cluster.description;
  if (type === 'malware') object.is_family = true;
  if (cluster.synonyms.length > 0 && type !== 'attack-pattern') object.aliases = cluster.synonyms;
  const attackIds =
    cluster.externalIds.length > 0 ? cluster.externalIds : (ATTACK_ID.exec(cluster.name)?.slice(1) ?? []);
  if (type === 'attack-pattern' && attackIds.length > 0) {
    object.external_references = attackIds.map((externalId) => ({
      source_name: 'mitre-attack',
      external_id: externalId,
      url: `https://attack.mitre.org/techniques/${externalId.replace('.', '/')}/`,
    }));
  }
  return object;
}

/** A MISP object → its nearest STIX observables (first the main one); none when nothing usable is in it. */
function mispObjectStix(object: MispObjectInput, marking: StixId<'marking-definition'>[]): StixJson[] {
  const values = (relation: string): string[] =>
    object.attributes.filter((attribute) => attribute.relation === relation).map((attribute) => attribute.value);
  const options = { markingRefs: marking };
  switch (object.name) {
    case 'file': {
      const hashes: Record<string, string> = {};
      for (const attribute of object.attributes) {
        const algorithm = HASH_RELATIONS[attribute.relation];
        if (algorithm && /^[0-9a-f]+$/i.test(attribute.value)) hashes[algorithm] = attribute.value.toLowerCase();
      }
      const [name] = values('filename');
      const [size] = values('size-in-bytes');
      const [mimeType] = values('mimetype');
      if (Object.keys(hashes).length === 0 && !name) return [];
      const file: StixJson = {
        type: 'file',
        spec_version: STIX_SPEC_VERSION,
        id: scoIdFor('file', { ...(Object.keys(hashes).length > 0 ? { hashes } : {}), ...(name ? { name } : {}) }),
      };
      if (Object.keys(hashes).length > 0) file.hashes = hashes;
      if (name) file.name = name;
      if (size && /^\d+$/.test(size)) file.size = Number(size);
      if (mimeType) file.mime_type = mimeType;
      file.object_marking_refs = marking;
      return [file];
    }
    case 'domain-ip': {
      const addresses = ['ip', 'ip-dst', 'ip-src'].flatMap(values).flatMap((value) => {
        const v6 = value.includes(':');
        const canonical = canonicaliseIndicator(v6 ? IndicatorType.Ipv6 : IndicatorType.Ipv4, value);
        if (!canonical.ok || canonical.isCidr) return [];
        return [asJson(v6 ? buildIpv6Address(canonical.value, options) : buildIpv4Address(canonical.value, options))];
      });
      const domains = [...values('domain'), ...values('hostname')].flatMap((value) => {
        const canonical = canonicaliseIndicator(IndicatorType.Domain, value);
        return canonical.ok ? [asJson(buildDomainName(canonical.value, options))] : [];
      });
      if (addresses.length > 0) {
        for (const domain of domains) domain.resolves_to_refs = addresses.map((address) => address.id);
      }
      return [...domains, ...addresses];
    }
    case 'url':
      return values('url').flatMap((value) => {
        const canonical = canonicaliseIndicator(IndicatorType.Url, value);
        return canonical.ok ? [asJson(buildUrl(canonical.value, options))] : [];
      });
    case 'email':
      return emailMessage(object, values, options);
    default:
      return [];
  }
}

function emailMessage(
  object: MispObjectInput,
  values: (relation: string) => string[],
  options: { markingRefs: StixId<'marking-definition'>[] },
): StixJson[] {
  const addressesOf = (relation: string): StixJson[] =>
    values(relation).flatMap((value) => {
      const canonical = canonicaliseIndicator(IndicatorType.Email, value);
      return canonical.ok ? [asJson(buildEmailAddress(canonical.value, options))] : [];
    });
  const [from] = addressesOf('from');
  const to = addressesOf('to');
  const cc = addressesOf('cc');
  const [subject] = values('subject');
  const [messageId] = values('message-id');
  if (!from && to.length === 0 && !subject) return [];
  // STIX 2.1 §6.6: an email-message's id contributing properties are from_ref, subject and body.
  const contributing: Record<string, string> = {};
  if (from) contributing.from_ref = from.id;
  if (subject) contributing.subject = subject;
  const message: StixJson = {
    type: 'email-message',
    spec_version: STIX_SPEC_VERSION,
    id: `email-message--${uuidV5(canonicalizeJson(contributing), SCO_NAMESPACE)}`,
    is_multipart: false,
  };
  if (from) message.from_ref = from.id;
  if (to.length > 0) message.to_refs = to.map((address) => address.id);
  if (cc.length > 0) message.cc_refs = cc.map((address) => address.id);
  if (subject) message.subject = subject;
  if (messageId) message.message_id = messageId;
  message.object_marking_refs = options.markingRefs;
  return [message, ...(from ? [from] : []), ...to, ...cc];
}

const asJson = (object: object): StixJson => object as StixJson;
