import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A signed-in session's tokens; in cookie mode the tokens are in cookies, not here. */
export class SessionTokensDto {
  @ApiPropertyOptional({ description: 'JWT for `Authorization: Bearer`; absent in cookie mode' })
  access_token?: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type: 'Bearer';

  @ApiProperty({ description: 'Seconds the access token is valid for' })
  expires_in: number;

  @ApiPropertyOptional({ description: 'Single use: each refresh answers a new one; absent in cookie mode' })
  refresh_token?: string;

  @ApiProperty({ format: 'uuid' })
  session_id: string;
}

export class SessionDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  last_used_at: string;

  @ApiProperty({ format: 'date-time' })
  expires_at: string;

  @ApiProperty({ nullable: true, type: String })
  user_agent: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'The address the session was opened from' })
  ip_address: string | null;

  @ApiProperty({ description: 'The session this request was made in' })
  current: boolean;
}

export class SessionListDto {
  @ApiProperty({ type: [SessionDto] })
  items: SessionDto[];
}

export class TotpEnrolmentDto {
  @ApiProperty({ description: 'Base32 secret, for authenticators that cannot scan the URI' })
  secret: string;

  @ApiProperty({ example: 'otpauth://totp/Vigia:analyst%40cert.example?issuer=Vigia&secret=...' })
  otpauth_uri: string;
}

export class TotpConfirmedDto {
  @ApiProperty({ type: [String], description: 'One-time recovery codes, shown this once' })
  recovery_codes: string[];
}

/** Who is signed in, for the console: what to show and which pages to offer. */
export class CurrentPersonDto {
  @ApiProperty({ format: 'uuid' })
  user_id: string;

  @ApiProperty({ enum: ['coordinator', 'org-admin', 'analyst'] })
  role: 'coordinator' | 'org-admin' | 'analyst';

  @ApiProperty({ format: 'uuid' })
  organisation_id: string;

  @ApiProperty()
  organisation_name: string;

  @ApiProperty({ description: 'The role needs a second factor that is not enrolled yet: only enrolment works' })
  second_factor_missing: boolean;
}
