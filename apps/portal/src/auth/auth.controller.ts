import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentOrigin, RequestOrigin } from '@vigia/audit';
import {
  Authenticated,
  CurrentOrganisation,
  OrganisationPrincipal,
  Public,
  REFRESH_TOKEN_COOKIE,
  checkCsrf,
} from '@vigia/auth';
import { ErrorCode, VigiaException } from '@vigia/common';
import type { Request, Response } from 'express';
import { AuthService, ClientInfo, personOf } from './auth.service';
import {
  CurrentPersonDto,
  SessionListDto,
  SessionTokensDto,
  TotpConfirmedDto,
  TotpEnrolmentDto,
} from './dto/auth-answers.dto';
import { LoginDto, RefreshDto, TotpCodeDto } from './dto/auth-input.dto';
import { clearSessionCookies, writeSessionCookies } from './session-cookies';
import { toCurrentPersonDto, toSessionTokensDto } from './session.mapper';
import { TotpService } from './totp.service';

const clientOf = (request: Request): ClientInfo => ({ userAgent: request.header('user-agent'), ipAddress: request.ip });

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly totp: TotpService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Sign in with e-mail and password',
    description:
      'Scripts get an access token (Authorization: Bearer) and a single-use refresh token. With `cookie: true` ' +
      '(browsers) both are set as HttpOnly cookies instead, with a readable vigia_csrf cookie that changes ' +
      '(POST, PATCH, DELETE...) must repeat in the X-CSRF-Token header.',
  })
  @ApiOkResponse({ type: SessionTokensDto })
  @ApiUnauthorizedResponse({ description: 'Wrong e-mail or password' })
  @ApiForbiddenResponse({ description: 'The account is disabled or its organisation is not active' })
  @ApiQuery({ name: 'session', required: false, enum: ['cookie'], description: 'Same as `cookie: true`' })
  async login(
    @Body() dto: LoginDto,
    @Query('session') session: string | undefined,
    @CurrentOrigin() origin: RequestOrigin,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionTokensDto> {
    const cookieMode = dto.cookie === true || session === 'cookie';
    const credentials = { email: dto.email, password: dto.password, otp: dto.otp, recoveryCode: dto.recovery_code };
    const issued = await this.auth.login(credentials, clientOf(request), origin);
    if (cookieMode) writeSessionCookies(response, issued);
    return toSessionTokensDto(issued, cookieMode);
  }

  @Post('refresh')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Exchange a refresh token for new tokens',
    description:
      'The refresh token comes from the body (scripts) or the vigia_refresh cookie (browsers, with X-CSRF-Token). ' +
      'It is single use: presenting it again revokes the whole session.',
  })
  @ApiOkResponse({ type: SessionTokensDto })
  @ApiUnauthorizedResponse({ description: 'Unknown or already used refresh token, or the session has ended' })
  async refresh(
    @Body() dto: RefreshDto,
    @CurrentOrigin() origin: RequestOrigin,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionTokensDto> {
    const cookie = (request.cookies as Record<string, string> | undefined)?.[REFRESH_TOKEN_COOKIE];
    const token = dto.refresh_token ?? cookie;
    if (!token) throw new VigiaException(ErrorCode.Unauthenticated, 'Missing refresh token (body or cookie)');
    const cookieMode = dto.refresh_token === undefined;
    if (cookieMode) checkCsrf(request);
    const issued = await this.auth.refresh(token, origin);
    if (cookieMode) writeSessionCookies(response, issued);
    return toSessionTokensDto(issued, cookieMode);
  }

  @Post('logout')
  @Authenticated({ people: true, beforeSecondFactor: true })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End this session', description: 'Its access and refresh tokens stop working at once.' })
  @ApiNoContentResponse()
  async logout(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.auth.logout(principal, origin);
    clearSessionCookies(response);
  }

  @Post('logout-all')
  @Authenticated({ people: true, beforeSecondFactor: true })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End every session of this account, this one included' })
  @ApiNoContentResponse()
  async logoutAll(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.auth.logoutAll(principal, origin);
    clearSessionCookies(response);
  }

  @Get('me')
  @Authenticated({ people: true, beforeSecondFactor: true })
  @ApiOperation({ summary: 'The signed-in person: role, organisation, and whether a second factor must be enrolled' })
  @ApiOkResponse({ type: CurrentPersonDto })
  me(@CurrentOrganisation() principal: OrganisationPrincipal): CurrentPersonDto {
    return toCurrentPersonDto(principal);
  }

  @Get('sessions')
  @Authenticated({ people: true, beforeSecondFactor: true })
  @ApiOperation({ summary: 'This account’s live sessions' })
  @ApiOkResponse({ type: SessionListDto })
  async sessions(@CurrentOrganisation() principal: OrganisationPrincipal): Promise<SessionListDto> {
    const { userId, sessionId } = personOf(principal);
    return { items: await this.auth.listSessions(userId, sessionId) };
  }

  @Delete('sessions/:id')
  @Authenticated({ people: true, beforeSecondFactor: true })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End one of this account’s sessions' })
  @ApiNoContentResponse()
  revokeSession(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    return this.auth.revokeSession(principal, origin, id);
  }

  @Post('totp')
  @Authenticated({ people: true, beforeSecondFactor: true })
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Start two-factor sign-in (TOTP)',
    description: 'Answers a new secret; it takes effect once confirmed with a code. Again before that: a new secret.',
  })
  @ApiOkResponse({ type: TotpEnrolmentDto })
  enrolTotp(@CurrentOrganisation() principal: OrganisationPrincipal): Promise<TotpEnrolmentDto> {
    return this.totp.enrol(personOf(principal).userId, principal.organisationName);
  }

  @Post('totp/confirm')
  @Authenticated({ people: true, beforeSecondFactor: true })
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Turn two-factor sign-in on with a code from the authenticator',
    description: 'Answers ten one-time recovery codes, shown this once. Sign-in then needs `otp` or `recovery_code`.',
  })
  @ApiOkResponse({ type: TotpConfirmedDto })
  confirmTotp(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Body() dto: TotpCodeDto,
  ): Promise<TotpConfirmedDto> {
    return this.totp.confirm(principal, origin, dto.code);
  }
}
