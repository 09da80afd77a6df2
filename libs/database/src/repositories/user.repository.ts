import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { UserEntity, UserRole } from '../entities/user.entity';

/** A person's account to create. */
export interface NewUser {
  organisationId: string;
  /** Lower case. */
  email: string;
  displayName: string;
  passwordHash: string;
  role: UserRole;
}

/** `users`: people's accounts. */
@Injectable()
export class UserRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findByEmail(email: string): Promise<UserEntity | null> {
    return this.dataSource.manager.findOne(UserEntity, { where: { email } });
  }

  async create(user: NewUser): Promise<UserEntity> {
    return this.dataSource.manager.save(this.dataSource.manager.create(UserEntity, user));
  }
}
