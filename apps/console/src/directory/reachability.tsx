import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PortalSchemas } from '../api/client';

export type DirectoryContact = PortalSchemas['schemas']['DirectoryContactDto'];

// Dark shades: white text on them keeps a 4.5:1 contrast (WCAG AA).
const COLOURS: Record<string, string> = {
  unchecked: 'gray.7',
  pending: 'blue.8',
  confirmed: 'green.9',
  unconfirmed: 'red.9',
};

/** Where a 24/7 contact stands in the latest reachability check; `unconfirmed` is the overdue flag. */
export function ReachabilityBadge({ contact }: { contact: DirectoryContact }) {
  const { t } = useTranslation();
  const status = contact.reachability?.status ?? 'unchecked';
  return <Badge color={COLOURS[status]}>{t(`directory.reachability.${status}`)}</Badge>;
}
