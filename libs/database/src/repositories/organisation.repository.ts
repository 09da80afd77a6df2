import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OrganisationEntity, OrganisationKind, OrganisationStatus } from '../entities/organisation.entity';

/** `organisations`: the network's members. */
@Injectable()
export class OrganisationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Which of these ids name an organisation. */
  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = (await this.dataSource.query(`SELECT id FROM organisations WHERE id = ANY($1::uuid[])`, [ids])) as {
      id: string;
    }[];
    return new Set(rows.map((row) => row.id));
  }

  /** The network's coordinating organisation, created (active) the first time it is asked for. */
  async findOrCreateCoordinator(name: string, shortName: string): Promise<OrganisationEntity> {
    const existing = await this.dataSource.manager.findOne(OrganisationEntity, {
      where: { kind: OrganisationKind.Coordinator },
    });
    if (existing) return existing;
    return this.dataSource.manager.save(
      this.dataSource.manager.create(OrganisationEntity, {
        name,
        shortName,
        kind: OrganisationKind.Coordinator,
        status: OrganisationStatus.Active,
      }),
    );
  }
}
