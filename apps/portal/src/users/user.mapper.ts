import { UserEntity } from '@vigia/database';
import { AccountStatus, UserDto } from './dto/user.dto';

const statusOf = (user: UserEntity): AccountStatus => {
  if (user.disabledAt) return AccountStatus.Disabled;
  return user.passwordHash === null ? AccountStatus.Invited : AccountStatus.Active;
};

/** Never the password hash. */
export const toUserDto = (user: UserEntity): UserDto => ({
  id: user.id,
  organisation_id: user.organisationId,
  email: user.email,
  display_name: user.displayName,
  role: user.role,
  status: statusOf(user),
  created_at: user.createdAt.toISOString(),
  updated_at: user.updatedAt.toISOString(),
});
