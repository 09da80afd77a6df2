import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { ALL_SCOPES, Scope } from '@vigia/auth';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

const IsInTheFuture = (): PropertyDecorator =>
  ValidateBy({
    name: 'isInTheFuture',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && Date.parse(value) > Date.now(),
      defaultMessage: () => 'expires_at must be in the future',
    },
  });

export class CreateApiKeyDto {
  @ApiProperty({ example: 'SIEM forwarder', maxLength: 100 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: ALL_SCOPES, isArray: true, example: [Scope.ReportsWrite] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ALL_SCOPES, { each: true })
  scopes: Scope[];

  @ApiPropertyOptional({ format: 'date-time', description: 'When the key stops working; none means never' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsInTheFuture()
  expires_at?: string;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ example: 'vigia_Ab12Cd', description: 'The first characters of the key, to tell keys apart' })
  prefix: string;

  @ApiProperty({ enum: ALL_SCOPES, isArray: true })
  scopes: string[];

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  last_used_at: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  expires_at: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  revoked_at: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key for the X-Api-Key header: shown this once, only its hash is kept' })
  secret: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] })
  items: ApiKeyDto[];
}
