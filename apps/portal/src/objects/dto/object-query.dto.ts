import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

/** `all`, or one version's `modified` as an RFC 3339 timestamp in UTC. */
const VERSION = /^(all|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z)$/;

/** A STIX identifier: `<type>--<UUID>`. */
export const STIX_ID =
  /^[a-z0-9][a-z0-9-]{0,249}--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export class ObjectVersionQueryDto {
  @ApiPropertyOptional({
    example: '2016-04-06T20:03:48.000Z',
    description: 'Which version: none for the latest, `all` for every version (oldest first), or one `modified`',
  })
  @IsOptional()
  @Matches(VERSION, { message: 'version must be "all" or a UTC timestamp such as 2016-04-06T20:03:48.000Z' })
  version?: string;
}
