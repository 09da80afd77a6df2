import { Body, Controller, Get, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { CurrentOrigin, RequestOrigin } from '@vigia/audit';
import { Public } from '@vigia/auth';
import { ApplicationThrottlerGuard } from './application-throttler.guard';
import { ApplicantService } from './applicant.service';
import { ApplicantViewDto, ApplicationAcceptedDto, ApplicationFormDto } from './dto/application-answers.dto';
import {
  AnswerApplicationDto,
  ApplicationTokenDto,
  SubmitApplicationDto,
  WithdrawApplicationDto,
} from './dto/application-input.dto';

/** What teams applying to join do, without an account: apply, confirm their address, answer, withdraw. */
@ApiTags('applications')
@Controller('api/v1/applications')
@Public()
export class ApplicantController {
  constructor(private readonly applications: ApplicantService) {}

  @Get('form')
  @ApiOperation({
    summary: 'Open the application form: a form token to send back with the application',
    description: 'The application is refused if sent sooner than `min_fill_seconds` after this, or a day later.',
  })
  @ApiOkResponse({ type: ApplicationFormDto })
  form(): ApplicationFormDto {
    return this.applications.form();
  }

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @UseGuards(ApplicationThrottlerGuard)
  @ApiOperation({
    summary: 'Apply to join the network',
    description:
      'Every field is checked and every problem listed. The applicant gets a confirmation link by mail; review starts ' +
      'once it is followed. Limited per address (APPLICATION_RATE_LIMIT_PER_HOUR).',
  })
  @ApiAcceptedResponse({ type: ApplicationAcceptedDto })
  @ApiBadRequestResponse({ description: 'Problems with the application, each with its path and reason' })
  @ApiConflictResponse({ description: 'This form was already sent' })
  @ApiTooManyRequestsResponse({ description: 'Too many applications from this address; see Retry-After' })
  submit(@CurrentOrigin() origin: RequestOrigin, @Body() dto: SubmitApplicationDto): Promise<ApplicationAcceptedDto> {
    return this.applications.submit(origin, dto);
  }

  @Post('verify')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Confirm the applicant’s e-mail address with the token of the mailed link' })
  @ApiOkResponse({ type: ApplicantViewDto })
  @ApiBadRequestResponse({ description: 'The link is unknown, already used or expired' })
  verify(@CurrentOrigin() origin: RequestOrigin, @Body() dto: ApplicationTokenDto): Promise<ApplicantViewDto> {
    return this.applications.verify(origin, dto);
  }

  @Post('applicant/view')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'The application as its applicant’s link shows it: status and the open question' })
  @ApiOkResponse({ type: ApplicantViewDto })
  @ApiBadRequestResponse({ description: 'The link is unknown or expired' })
  view(@Body() dto: ApplicationTokenDto): Promise<ApplicantViewDto> {
    return this.applications.applicantView(dto);
  }

  @Post('applicant/answer')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Answer the coordinator’s information request: the application is back in review' })
  @ApiOkResponse({ type: ApplicantViewDto })
  @ApiConflictResponse({ description: 'No information was requested' })
  answer(@CurrentOrigin() origin: RequestOrigin, @Body() dto: AnswerApplicationDto): Promise<ApplicantViewDto> {
    return this.applications.answer(origin, dto);
  }

  @Post('applicant/withdraw')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Withdraw the application (the link stops working)' })
  @ApiOkResponse({ type: ApplicantViewDto })
  @ApiConflictResponse({ description: 'The application is already decided' })
  withdraw(@CurrentOrigin() origin: RequestOrigin, @Body() dto: WithdrawApplicationDto): Promise<ApplicantViewDto> {
    return this.applications.withdraw(origin, dto);
  }
}
