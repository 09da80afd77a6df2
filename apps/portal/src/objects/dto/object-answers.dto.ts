import { ApiProperty } from '@nestjs/swagger';

/** STIX objects as stored, in a TAXII 2.1 envelope's shape. */
export class StixObjectsDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'The object as its producer sent it (or as Vigia built it): one version, or every version asked for',
  })
  objects: Record<string, unknown>[];
}
