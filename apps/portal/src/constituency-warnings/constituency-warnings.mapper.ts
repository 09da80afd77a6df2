import { AuditDetailValue, ConstituencyWarningSettings } from '@vigia/database';
import { ConstituencyWarningsDto, UpdateConstituencyWarningsDto } from './dto/constituency-warnings.dto';

export const toConstituencyWarningsDto = (
  organisationId: string,
  settings: ConstituencyWarningSettings,
): ConstituencyWarningsDto => ({
  organisation_id: organisationId,
  enabled: settings.enabled,
  min_severity: settings.minSeverity,
  channels: { ...settings.channels },
  accepts_red: settings.acceptsRed,
  updated_at: settings.updatedAt?.toISOString() ?? null,
});

/** The stored settings with the changes asked for; what is not given stays as it is. */
export const changedSettings = (
  current: ConstituencyWarningSettings,
  changes: UpdateConstituencyWarningsDto,
): Omit<ConstituencyWarningSettings, 'updatedAt'> => ({
  enabled: changes.enabled ?? current.enabled,
  minSeverity: changes.min_severity === undefined ? current.minSeverity : changes.min_severity,
  channels: {
    stream: changes.channels?.stream ?? current.channels.stream,
    email: changes.channels?.email ?? current.channels.email,
    webhook: changes.channels?.webhook ?? current.channels.webhook,
  },
  acceptsRed: changes.accepts_red ?? current.acceptsRed,
});

/** One flat value per setting, as the audit log keeps them. */
const flatSettings = (settings: ConstituencyWarningSettings): Record<string, AuditDetailValue> => ({
  enabled: settings.enabled,
  min_severity: settings.minSeverity,
  stream: settings.channels.stream,
  email: settings.channels.email,
  webhook: settings.channels.webhook,
  accepts_red: settings.acceptsRed,
});

/** The audit details of a change: the settings changed, and each setting before and after (`before_x`, `after_x`). */
export function auditedChange(
  before: ConstituencyWarningSettings,
  after: ConstituencyWarningSettings,
): Record<string, AuditDetailValue> {
  const [was, is] = [flatSettings(before), flatSettings(after)];
  const details: Record<string, AuditDetailValue> = {
    changed: Object.keys(is).filter((key) => was[key] !== is[key]),
  };
  for (const key of Object.keys(is)) {
    details[`before_${key}`] = was[key];
    details[`after_${key}`] = is[key];
  }
  return details;
}
