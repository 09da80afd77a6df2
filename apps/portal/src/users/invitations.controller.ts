import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentOrigin, RequestOrigin } from '@vigia/audit';
import { Public } from '@vigia/auth';
import { AcceptInvitationDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('api/v1/invitations')
export class InvitationsController {
  constructor(private readonly users: UsersService) {}

  @Post('accept')
  @Public()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Accept an invitation: set the account’s password (at least 12 characters)' })
  @ApiNoContentResponse({ description: 'Password set; the invitation cannot be used again' })
  @ApiBadRequestResponse({ description: 'Bad input, or the invitation is unknown, used or expired' })
  accept(@CurrentOrigin() origin: RequestOrigin, @Body() dto: AcceptInvitationDto): Promise<void> {
    return this.users.acceptInvitation(origin, dto);
  }
}
