import { ApiKeyEntity } from '@vigia/database';
import { ApiKeyDto } from './dto/api-key.dto';

const isoOrNull = (date: Date | null): string | null => date?.toISOString() ?? null;

/** Never the key's hash; its secret exists only in the creation answer. */
export const toApiKeyDto = (key: ApiKeyEntity): ApiKeyDto => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  scopes: key.scopes,
  created_at: key.createdAt.toISOString(),
  last_used_at: isoOrNull(key.lastUsedAt),
  expires_at: isoOrNull(key.expiresAt),
  revoked_at: isoOrNull(key.revokedAt),
});
