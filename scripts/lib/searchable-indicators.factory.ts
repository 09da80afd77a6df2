import { AppConfig } from '@vigia/config';
import { IndicatorRepository } from '@vigia/database';
import { TlpLevel, decayTable } from '@vigia/indicators';
import { DataSource } from 'typeorm';
import { StixVersionSpec, insertStixVersions } from './stix-object.factory';

/** The kinds of value seeded, in turn: IPv4 addresses, domains, URLs and SHA-256 hashes. */
function valueOf(index: number): { type: string; value: string } {
  switch (index % 4) {
    case 0:
      return { type: 'ipv4', value: `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}` };
    case 1:
      return { type: 'domain', value: `host-${index}.bad.example` };
    case 2:
      return { type: 'url', value: `https://bad-${index}.example.net/payload` };
    default:
      return { type: 'sha256', value: index.toString(16).padStart(64, '0') };
  }
}

/**
 * `count` distinct indicators an organisation shared with the whole network (TLP:GREEN), written straight into the
 * STIX store in bulk and then into the analysts' search view (`indicator_search`) by `IndicatorRepository`'s own
 * refresh, as the worker builds it: the fast way to a large searchable store for browser tests and benchmarks (no
 * reports, so no normalisation).
 */
export async function seedSearchableIndicators(
  dataSource: DataSource,
  config: AppConfig,
  ownerId: string,
  count: number,
): Promise<void> {
  const specs: StixVersionSpec[] = Array.from({ length: count }, (_, index) => {
    const { type, value } = valueOf(index);
    return {
      ownerId,
      tlp: TlpLevel.Green,
      indicatorType: type,
      indicatorValue: value,
      confidence: 50 + (index % 50),
    };
  });
  await insertStixVersions(dataSource, specs);
  await new IndicatorRepository(dataSource).refreshMissing({
    decay: decayTable(config.indicators.lifetimeDays),
    falsePositiveThreshold: config.indicators.falsePositiveThreshold,
  });
}

/** The value `seedSearchableIndicators` gave indicator `index` (0: the newest). */
export const seededIndicatorValue = (index: number): string => valueOf(index).value;
