import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { UNECHOED } from '@vigia/common';

export class LoginDto {
  @ApiProperty({ example: 'analyst@cert.example' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(320)
  email: string;

  @ApiProperty({ format: 'password' })
  @IsString(UNECHOED)
  @IsNotEmpty(UNECHOED)
  @MaxLength(1024, UNECHOED)
  password: string;

  @ApiPropertyOptional({
    description:
      'Browsers: set the tokens as HttpOnly cookies (vigia_access, vigia_refresh) plus the readable vigia_csrf ' +
      'cookie, instead of answering them',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  cookie?: boolean;

  @ApiPropertyOptional({ description: 'The authenticator’s 6-digit code, when two-factor sign-in is on' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'otp must be 6 digits' })
  otp?: string;

  @ApiPropertyOptional({ description: 'A one-time recovery code instead of `otp`' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  recovery_code?: string;
}

export class RefreshDto {
  @ApiPropertyOptional({ description: 'Scripts: the refresh token last received. Browsers send the cookie instead.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  refresh_token?: string;
}

export class TotpCodeDto {
  @ApiProperty({ example: '123456' })
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code: string;
}
