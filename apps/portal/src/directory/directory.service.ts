import { Injectable, Logger } from '@nestjs/common';
import { AuditAction, AuditLog, AuditTargetType, RequestOrigin } from '@vigia/audit';
import {
  OrganisationPrincipal,
  assertOrganisationAccess,
  mayAccessOrganisation,
  organisationNotFound,
} from '@vigia/auth';
import { ProblemDetail, validationException } from '@vigia/common';
import { DirectoryEntryInput, DirectoryOwners, DirectoryRepository, OrganisationStatus } from '@vigia/database';
import { IndicatorType } from '@vigia/indicators';
import { PgpKeyError, readKeyField } from '@vigia/pgp';
import { DirectoryEntryDto, DirectoryPageDto, LookupAnswerDto } from './dto/directory-answers.dto';
import { repeatedAddressReason, repeatedAddresses } from './contact-addresses';
import { PutDirectoryEntryDto } from './dto/directory-input.dto';
import { DEFAULT_PAGE_SIZE, DirectoryExportFormat, SearchDirectoryQueryDto } from './dto/directory-query.dto';
import {
  auditSnapshotOf,
  changedFields,
  toDirectoryCardDto,
  toDirectoryContactInput,
  toDirectoryEntryDto,
  toVcards,
} from './directory.mapper';
import { SubscriptionChanges } from '../subscriptions/subscription-changes';
import { readLookupValue } from './lookup-value';

/** An export, ready to send. */
export interface DirectoryExport {
  body: string;
  contentType: string;
  filename: string;
}

/**
 * The secured 24/7 directory. Every member reads every active organisation's entry; org-admins replace their own
 * organisation's entry and the coordinator any (another organisation's answers 404); each change is audited with its
 * before and after in the transaction that makes it.
 */
@Injectable()
export class DirectoryService {
  private readonly logger = new Logger(DirectoryService.name);

  constructor(
    private readonly directory: DirectoryRepository,
    private readonly audit: AuditLog,
    private readonly subscriptionChanges: SubscriptionChanges,
  ) {}

  async search(principal: OrganisationPrincipal, query: SearchDirectoryQueryDto): Promise<DirectoryPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const offset = query.offset ?? 0;
    const page = await this.directory.search(
      {
        countryCode: query.country,
        sector: query.sector,
        kind: query.kind,
        name: query.name,
        limit,
        offset,
      },
      principal.organisationId,
    );
    return { items: page.entries.map(toDirectoryEntryDto), total: page.total, limit, offset };
  }

  /** An active organisation's entry; one that is not active only for its own people and the coordinator. */
  async get(principal: OrganisationPrincipal, organisationId: string): Promise<DirectoryEntryDto> {
    const entry = await this.directory.findEntry(organisationId, principal.organisationId);
    const visible =
      entry &&
      (entry.organisation.status === OrganisationStatus.Active || mayAccessOrganisation(principal, organisationId));
    if (!visible) throw organisationNotFound(organisationId);
    return toDirectoryEntryDto(entry);
  }

  /** Replaces the organisation's entry (profile, contacts, constituency) and records the change with both sides. */
  async put(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    organisationId: string,
    dto: PutDirectoryEntryDto,
  ): Promise<DirectoryEntryDto> {
    assertOrganisationAccess(principal, organisationId);
    const input = await this.entryInputOf(dto);
    const written = await this.directory.write(organisationId, input, (before, after) => {
      const [beforeSnapshot, afterSnapshot] = [auditSnapshotOf(before), auditSnapshotOf(after)];
      return this.audit.event(
        {
          action: AuditAction.DirectoryEntryUpdated,
          organisationId,
          targetType: AuditTargetType.DirectoryEntry,
          targetId: organisationId,
          details: {
            changed: changedFields(beforeSnapshot, afterSnapshot),
            before: beforeSnapshot,
            after: afterSnapshot,
          },
        },
        principal,
        origin,
      );
    });
    if (!written) throw organisationNotFound(organisationId);
    // The fan-out matches constituency warnings against the directory: its index rebuilds at once.
    await this.subscriptionChanges.announce();
    this.logger.log(
      { organisationId, contacts: written.contacts.length, by: principal.userId ?? principal.apiKeyId },
      'directory entry replaced',
    );
    return toDirectoryEntryDto(written);
  }

  /** Who answers for an address, a domain or an AS number: the most specific holder(s) and their 24/7 contacts. */
  async lookup(principal: OrganisationPrincipal, raw: string): Promise<LookupAnswerDto> {
    const value = readLookupValue(raw);
    let owners: DirectoryOwners;
    switch (value.type) {
      case IndicatorType.Asn:
        owners = await this.directory.ownersOfAsn(value.asn, principal.organisationId);
        break;
      case IndicatorType.Domain:
        owners = await this.directory.ownersOfDomain(value.suffixes, principal.organisationId);
        break;
      default:
        owners = await this.directory.ownersOfAddress(value.value, principal.organisationId);
    }
    return {
      value: value.value,
      type: value.type,
      matched: owners.matched,
      organisations: owners.owners.map(toDirectoryCardDto),
    };
  }

  /** Every active organisation's entry, as one JSON document or as vCards (one per 24/7 contact); audited. */
  async export(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    format: DirectoryExportFormat,
  ): Promise<DirectoryExport> {
    const entries = await this.directory.listActive(principal.organisationId);
    const contacts = entries.reduce((sum, entry) => sum + entry.contacts.length, 0);
    let exported: DirectoryExport;
    if (format === DirectoryExportFormat.Vcard) {
      const keys = await this.directory.findPgpKeys(
        entries.flatMap((entry) => entry.contacts.map(({ id }) => id)),
        principal.organisationId,
      );
      exported = {
        body: entries.flatMap((entry) => toVcards(entry, keys)).join(''),
        contentType: 'text/vcard; charset=utf-8',
        filename: 'directory.vcf',
      };
    } else {
      const document = { exported_at: new Date().toISOString(), organisations: entries.map(toDirectoryEntryDto) };
      exported = {
        body: JSON.stringify(document),
        contentType: 'application/json; charset=utf-8',
        filename: 'directory.json',
      };
    }
    await this.audit.record(
      { action: AuditAction.DirectoryExported, details: { format, organisations: entries.length, contacts } },
      principal,
      origin,
    );
    return exported;
  }

  /** The entry to store, once every contact's key is parsed; all problems (keys, repeated addresses) at once. */
  private async entryInputOf(dto: PutDirectoryEntryDto): Promise<DirectoryEntryInput> {
    const contacts = dto.contacts ?? [];
    const problems: ProblemDetail[] = [];
    for (const repeated of repeatedAddresses(contacts)) {
      problems.push({
        path: `contacts[${repeated.index}].email`,
        value: contacts[repeated.index]!.email,
        reason: repeatedAddressReason(repeated),
      });
    }
    const keys = await Promise.all(contacts.map((contact) => readKeyField(contact.pgp_key)));
    keys.forEach((key, index) => {
      if (key instanceof PgpKeyError) problems.push({ path: `contacts[${index}].pgp_key`, reason: key.reason });
    });
    if (problems.length > 0) throw validationException(problems);
    return {
      profile: { website: dto.website ?? null, mandate: dto.mandate ?? null, description: dto.description ?? null },
      contacts: contacts.map((contact, index) => {
        const key = keys[index];
        return toDirectoryContactInput(contact, key instanceof PgpKeyError ? null : key);
      }),
      constituency: {
        cidrs: [...new Set(dto.constituency?.cidrs ?? [])],
        asns: [...new Set(dto.constituency?.asns ?? [])],
        domains: [...new Set(dto.constituency?.domains ?? [])],
      },
    };
  }
}
