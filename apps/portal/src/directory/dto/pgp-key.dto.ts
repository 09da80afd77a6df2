import { ApiProperty } from '@nestjs/swagger';

/** A registered OpenPGP key as answered: what identifies it and when it stops working, never the key itself. */
export class PgpKeySummaryDto {
  @ApiProperty({ example: '0D8B2E0C6F1A4B3C9E7D5A1F2B3C4D5E6F7A8B9C', description: 'Upper-case hex' })
  fingerprint: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Null: never expires' })
  expires_at: string | null;
}
