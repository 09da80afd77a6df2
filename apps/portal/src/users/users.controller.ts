import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentOrigin, RequestOrigin } from '@vigia/audit';
import { Authenticated, CurrentOrganisation, OrganisationPrincipal } from '@vigia/auth';
import { UserRole } from '@vigia/database';
import { CreateUserDto, CreatedUserDto, UpdateUserDto, UserDto, UserListDto } from './dto/user.dto';
import { UsersService } from './users.service';

const uuid = new ParseUUIDPipe();

@ApiTags('users')
@Controller('api/v1/organisations/:id/users')
@Authenticated({ roles: [UserRole.Coordinator, UserRole.OrgAdmin] })
@ApiNotFoundResponse({ description: 'No such organisation, or not the caller’s' })
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({
    summary: 'Invite a person into the organisation',
    description:
      'The account has no password until its invitation is accepted. The invitation token is answered once ' +
      '(and logged as a link while there is no e-mail); it works once, for 7 days.',
  })
  @ApiCreatedResponse({ type: CreatedUserDto })
  create(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id', uuid) organisationId: string,
    @Body() dto: CreateUserDto,
  ): Promise<CreatedUserDto> {
    return this.users.create(principal, origin, organisationId, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The organisation’s people' })
  @ApiOkResponse({ type: UserListDto })
  async list(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Param('id', uuid) organisationId: string,
  ): Promise<UserListDto> {
    return { items: await this.users.list(principal, organisationId) };
  }

  @Patch(':userId')
  @ApiOperation({
    summary: 'Change a person’s role or disable them',
    description: 'Nobody disables themselves; an org-admin cannot remove the organisation’s last enabled org-admin.',
  })
  @ApiOkResponse({ type: UserDto })
  update(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id', uuid) organisationId: string,
    @Param('userId', uuid) userId: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserDto> {
    return this.users.update(principal, origin, organisationId, userId, dto);
  }
}
