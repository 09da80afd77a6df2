import { Alert, Anchor, Badge, Button, FileButton, Group, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { dataOf, portal } from '../api/client';

/** The API checks up to 10,000 values at once. */
const MAX_VALUES = 10_000;

/** Bulk lookup: values from logs (pasted or from a file), which of them the network knows. */
export default function LookupPage() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const values = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, MAX_VALUES);
  const lookup = useMutation({
    mutationFn: async () => dataOf(await portal.POST('/api/v1/indicators/lookup', { body: { values } })),
  });
  const readFile = async (file: File | null) => file && setText(await file.text());
  return (
    <Stack>
      <Title order={2}>{t('lookup.title')}</Title>
      <Textarea
        label={t('lookup.label')}
        description={t('lookup.hint')}
        autosize
        minRows={6}
        maxRows={16}
        styles={{ input: { fontFamily: 'monospace' } }}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
      />
      <Group>
        <FileButton onChange={(file) => void readFile(file)} accept="text/plain,text/csv,.log,.txt">
          {(props) => (
            <Button variant="default" {...props}>
              {t('lookup.file')}
            </Button>
          )}
        </FileButton>
        <Button onClick={() => lookup.mutate()} loading={lookup.isPending} disabled={values.length === 0}>
          {t('lookup.submit', { count: values.length })}
        </Button>
      </Group>
      {lookup.error && <Alert color="red">{lookup.error.message}</Alert>}
      {lookup.data && (
        <>
          <Text>{t('lookup.summary', { known: lookup.data.known, invalid: lookup.data.invalid })}</Text>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('lookup.input')}</Table.Th>
                <Table.Th>{t('submit.canonical')}</Table.Th>
                <Table.Th>{t('lookup.known')}</Table.Th>
                <Table.Th>{t('indicator.score')}</Table.Th>
                <Table.Th>{t('indicator.orgs')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lookup.data.results.map((result, index) => (
                <Table.Tr key={`${index}-${result.input}`}>
                  <Table.Td ff="monospace">{result.input}</Table.Td>
                  <Table.Td ff="monospace">{result.canonical ?? result.error ?? ''}</Table.Td>
                  <Table.Td>
                    {result.known ? (
                      <Anchor component={Link} to={`/indicators/${result.indicators[0]?.id ?? ''}`}>
                        <Badge color="red">{t('lookup.yes')}</Badge>
                      </Anchor>
                    ) : (
                      <Badge color="gray" variant="light">
                        {t('lookup.no')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{result.score ?? ''}</Table.Td>
                  <Table.Td>{result.org_count}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}
