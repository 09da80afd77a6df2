import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { IsEmail, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsSingleLine } from './text-safety';

type TransformArgs = { value: unknown };

const trimmed = ({ value }: TransformArgs): unknown => (typeof value === 'string' ? value.trim() : value);

/** Surrounding white space dropped (a string only; anything else is left for the validators to refuse). */
export const Trim = (): PropertyDecorator => Transform(trimmed);

/** Trimmed, and an empty string read as null ("cleared"). */
export const TrimToNull = (): PropertyDecorator =>
  Transform(({ value }: TransformArgs) => {
    if (typeof value !== 'string') return value;
    return value.trim() === '' ? null : value.trim();
  });

/** Trimmed and upper-cased (country codes). */
export const UpperCase = (): PropertyDecorator =>
  Transform(({ value }: TransformArgs) => (typeof value === 'string' ? value.trim().toUpperCase() : value));

/** Trimmed and lower-cased (e-mail addresses, short names). */
export const LowerCase = (): PropertyDecorator =>
  Transform(({ value }: TransformArgs) => (typeof value === 'string' ? value.trim().toLowerCase() : value));

/** A name or label: trimmed, one line, `min` (default 1) to `max` characters. */
export const SingleLineText = (max: number, min = 1): PropertyDecorator =>
  applyDecorators(Trim(), IsString(), MinLength(min), MaxLength(max), IsSingleLine());

/** Free text (a reason, a comment, a description): trimmed, line breaks allowed, `min` (default 1) to `max` characters. */
export const FreeText = (max: number, min = 1): PropertyDecorator =>
  applyDecorators(Trim(), IsString(), MinLength(min), MaxLength(max));

/** The largest page offset any list takes: deeper pages are a search to narrow, not a page to fetch. */
export const MAX_OFFSET = 1_000_000;

/**
 * An optional whole number from a query string (`limit`, `offset`), between `min` and `max`: a bound is needed, since
 * `offset=1e20` is an integer to JavaScript and out of range for PostgreSQL.
 */
export const QueryInteger = (min: number, max: number): PropertyDecorator =>
  applyDecorators(
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(min),
    Max(max),
  );

/** The longest address SMTP carries (RFC 5321's path limit less its angle brackets). */
export const MAX_MAIL_ADDRESS_LENGTH = 254;

/**
 * An address mail is sent to: trimmed, at most 254 characters, with an ASCII local part (a UTF-8 one needs the
 * SMTPUTF8 extension, which many servers lack, so the mail would fail in the worker; IDN domains are fine).
 */
export const MailAddress = (message: string): PropertyDecorator =>
  applyDecorators(Trim(), IsEmail({ allow_utf8_local_part: false }, { message }), MaxLength(MAX_MAIL_ADDRESS_LENGTH));
