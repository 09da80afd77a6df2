import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'analyst@cert.example' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(320)
  email: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
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
}

export class RefreshDto {
  @ApiPropertyOptional({ description: 'Scripts: the refresh token last received. Browsers send the cookie instead.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  refresh_token?: string;
}
