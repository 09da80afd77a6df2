import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, ValidateNested } from 'class-validator';
import { IndicatorDto } from './indicator.dto';
import { ReportFieldsDto } from './report-fields.dto';

export class CreateReportDto extends ReportFieldsDto {
  @ApiProperty({ type: [IndicatorDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => IndicatorDto)
  indicators: IndicatorDto[];
}
