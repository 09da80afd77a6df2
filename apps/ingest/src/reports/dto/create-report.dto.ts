import { ApiProperty } from '@nestjs/swagger';
import { EachItemAccepted, ReadEach } from '@vigia/common';
import { IsArray } from 'class-validator';
import { IndicatorRow, ReportFieldsDto } from '@vigia/report-intake';
import { readIndicatorInput } from './indicator-input.reader';
import { IndicatorDto } from './indicator.dto';

export class CreateReportDto extends ReportFieldsDto {
  @ApiProperty({ type: [IndicatorDto] })
  @IsArray()
  @ReadEach(readIndicatorInput)
  @EachItemAccepted()
  indicators: IndicatorRow[];
}
