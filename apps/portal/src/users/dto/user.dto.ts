import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsEnum, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { UNECHOED } from '@vigia/common';
import { UserRole } from '@vigia/database';

export const MIN_PASSWORD_LENGTH = 12;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const lowerCase = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

export class CreateUserDto {
  @ApiProperty({ example: 'ana@cert.example', description: 'Unique across the network; stored lower-case' })
  @Transform(lowerCase)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Ana Pérez', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  display_name: string;

  @ApiProperty({
    enum: UserRole,
    description: 'Coordinators only in the coordinating organisation, and only by a coordinator',
  })
  @IsEnum(UserRole)
  role: UserRole;
}

/** Left out, a field changes nothing; null is refused (as a role it failed the update, as `disabled` it enabled). */
const leftOutOrSet = ValidateIf((_dto: object, value: unknown) => value !== undefined);

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: UserRole })
  @leftOutOrSet
  @IsEnum(UserRole)
  role?: UserRole;

  @ApiPropertyOptional({ description: 'A disabled account is refused from its next request' })
  @leftOutOrSet
  @IsBoolean()
  disabled?: boolean;
}

export class AcceptInvitationDto {
  @ApiProperty({ description: 'The token of the invitation link' })
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  token: string;

  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH, maxLength: 1024 })
  @IsString(UNECHOED)
  @MinLength(MIN_PASSWORD_LENGTH, UNECHOED)
  @MaxLength(1024, UNECHOED)
  password: string;
}

export enum AccountStatus {
  /** Invited; no password yet. */
  Invited = 'invited',
  Active = 'active',
  Disabled = 'disabled',
}

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  organisation_id: string;

  @ApiProperty()
  email: string;

  @ApiProperty()
  display_name: string;

  @ApiProperty({ enum: UserRole })
  role: UserRole;

  @ApiProperty({ enum: AccountStatus })
  status: AccountStatus;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  updated_at: string;
}

export class InvitationDto {
  @ApiProperty({ description: 'Shown once: pass it on to the invited person' })
  token: string;

  @ApiProperty({ example: '/invitations/accept?token=…', description: 'Where the portal takes the token' })
  link_path: string;

  @ApiProperty({ format: 'date-time' })
  expires_at: string;
}

export class CreatedUserDto extends UserDto {
  @ApiProperty({ type: InvitationDto })
  invitation: InvitationDto;
}

export class UserListDto {
  @ApiProperty({ type: [UserDto] })
  items: UserDto[];
}
