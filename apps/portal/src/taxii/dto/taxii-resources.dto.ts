/** TAXII 2.1 resources as this server answers them (OASIS TAXII 2.1, section 4). */

export interface DiscoveryDto {
  title: string;
  description: string;
  default: string;
  api_roots: string[];
}

export interface ApiRootDto {
  title: string;
  description: string;
  versions: string[];
  max_content_length: number;
}

export interface CollectionDto {
  id: string;
  title: string;
  description: string;
  alias?: string;
  can_read: boolean;
  can_write: boolean;
  media_types: string[];
}

export interface CollectionsDto {
  collections?: CollectionDto[];
}

export interface StatusDetailDto {
  id: string;
  version: string;
  message?: string;
}

export interface StatusDto {
  id: string;
  status: 'pending' | 'complete';
  request_timestamp: string;
  total_count: number;
  success_count: number;
  successes: StatusDetailDto[];
  failure_count: number;
  failures: StatusDetailDto[];
  pending_count: number;
  pendings: StatusDetailDto[];
}

export interface TaxiiErrorDto {
  title: string;
  description?: string;
  error_id?: string;
  error_code?: string;
  http_status: string;
  details?: Record<string, unknown>;
}

/** A page as sent: the body already serialised (objects are passed on as stored) and its headers. */
export interface TaxiiPage {
  body: string;
  headers: Record<string, string>;
}
