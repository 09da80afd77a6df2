import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

export class StreamQueryDto {
  @ApiPropertyOptional({ description: 'For clients that cannot set Last-Event-ID', example: '1732350000000-0' })
  @IsOptional()
  @IsString()
  last_event_id?: string;
}
