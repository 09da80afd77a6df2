import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PortalSchemas } from '../api/client';
import { DirectoryContact, ReachabilityBadge } from '../directory/reachability';
import { formatDateTime } from '../i18n';

type ContactDetails = PortalSchemas['schemas']['ContactDetailsDto'];

/** Columns a page may add after contact, e-mail and phone; they always come in this order. */
export interface ContactColumns {
  /** Office hours and time zone, and with `withLanguages` the languages spoken too. */
  hours?: 'withoutLanguages' | 'withLanguages';
  pgpKey?: boolean;
  /** Needs directory contacts (with an id): application contacts have no reachability. */
  reachability?: boolean;
  confirmed?: boolean;
}

const isDirectoryContact = (contact: ContactDetails | DirectoryContact): contact is DirectoryContact => 'id' in contact;

/** A table of 24/7 contacts: the directory, an application and the "who is responsible" answer show the same one. */
export function ContactsTable({
  contacts,
  columns = {},
}: {
  contacts: readonly ContactDetails[] | readonly DirectoryContact[];
  columns?: ContactColumns;
}) {
  const { t } = useTranslation();
  return (
    <Table>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('responsible.contact')}</Table.Th>
          <Table.Th>{t('responsible.email')}</Table.Th>
          <Table.Th>{t('responsible.phone')}</Table.Th>
          {columns.hours && <Table.Th>{t('responsible.hours')}</Table.Th>}
          {columns.pgpKey && <Table.Th>{t('directory.pgpKey')}</Table.Th>}
          {columns.reachability && <Table.Th>{t('directory.reachabilityTitle')}</Table.Th>}
          {columns.confirmed && <Table.Th>{t('responsible.confirmed')}</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {contacts.map((contact: ContactDetails | DirectoryContact) => {
          const listed = isDirectoryContact(contact) ? contact : undefined;
          return (
            <Table.Tr key={listed?.id ?? contact.email}>
              <Table.Td>
                {contact.name} ({contact.role})
              </Table.Td>
              <Table.Td>{contact.email}</Table.Td>
              <Table.Td>{contact.phone}</Table.Td>
              {columns.hours && (
                <Table.Td>
                  {contact.hours} · {contact.time_zone}
                  {columns.hours === 'withLanguages' && ` · ${contact.languages.join(', ')}`}
                </Table.Td>
              )}
              {columns.pgpKey && (
                <Table.Td>
                  {contact.pgp_key ? (
                    <Text size="xs" ff="monospace">
                      {contact.pgp_key.fingerprint}
                    </Text>
                  ) : (
                    '—'
                  )}
                </Table.Td>
              )}
              {columns.reachability && (
                <Table.Td>
                  {listed && <ReachabilityBadge contact={listed} />}
                  {listed?.reachability?.respond_by && (
                    <Text size="xs">
                      {t('directory.respondBy', { at: formatDateTime(listed.reachability.respond_by) })}
                    </Text>
                  )}
                </Table.Td>
              )}
              {columns.confirmed && <Table.Td>{listed && formatDateTime(listed.last_confirmed_at)}</Table.Td>}
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
