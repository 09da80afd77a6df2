import {
  Alert,
  Badge,
  Button,
  Card,
  FileInput,
  Group,
  Progress,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  RSIT_CLASSIFICATIONS,
  RSIT_TAXONOMY,
  RsitClassification,
  TLP_LEVELS,
  readRawIndicator,
} from '@vigia/indicators';
import { useDeferredValue, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { AudiencePicker } from '../reports/AudiencePicker';
import { ApiError, INGEST_PREFIX, IngestSchemas, csrfToken, dataOf, ingest } from '../api/client';

type CreateReport = IngestSchemas['schemas']['CreateReportDto'];
type IndicatorInput = CreateReport['indicators'][number];
const SEVERITIES: CreateReport['severity'][] = ['low', 'medium', 'high', 'critical'];
/** Lines shown in the preview; every line is still read and submitted. */
const PREVIEW_LINES = 500;

interface ReadLine {
  line: number;
  raw: string;
  result: ReturnType<typeof readRawIndicator>;
}

/** Each pasted line read as ingest reads it (libs/indicators): refanged, canonical and typed, or rejected and why. */
export function readPastedLines(text: string): ReadLine[] {
  return text
    .split(/\r?\n/)
    .map((raw, index) => ({ line: index + 1, raw: raw.trim() }))
    .filter(({ raw }) => raw !== '' && !raw.startsWith('#'))
    .map(({ line, raw }) => ({ line, raw, result: readRawIndicator(raw) }));
}

type UploadFormat = 'csv' | 'stix' | 'misp';
const UPLOAD_TYPES: Record<UploadFormat, string> = {
  csv: 'text/csv',
  stix: 'application/stix+json',
  misp: 'application/json',
};

/** XMLHttpRequest, not fetch: only it reports upload progress. */
function upload(format: UploadFormat, file: File, query: URLSearchParams, onProgress: (percent: number) => void) {
  return new Promise<{ id: string }>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `${INGEST_PREFIX}/api/v1/reports/${format}?${query.toString()}`);
    request.setRequestHeader('Content-Type', UPLOAD_TYPES[format]);
    request.setRequestHeader('X-CSRF-Token', csrfToken());
    request.upload.onprogress = (event) => event.lengthComputable && onProgress((100 * event.loaded) / event.total);
    request.onload = () => {
      const body = JSON.parse(request.responseText || '{}') as {
        id?: string;
        reports?: { id: string }[];
        message?: unknown;
      };
      const id = body.id ?? body.reports?.[0]?.id;
      if (request.status < 300 && id) resolve({ id });
      else reject(new ApiError(request.status, String(body.message ?? request.statusText)));
    };
    request.onerror = () => reject(new ApiError(0, 'network error'));
    request.send(file);
  });
}

export default function SubmitReportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [pasted, setPasted] = useState('');
  const deferredPaste = useDeferredValue(pasted);
  const lines = useMemo(() => readPastedLines(deferredPaste), [deferredPaste]);
  const accepted = lines.filter((line) => line.result.ok).length;
  const [mode, setMode] = useState<'paste' | 'file'>('paste');
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<UploadFormat>('stix');
  const [progress, setProgress] = useState(0);
  const form = useForm({
    initialValues: {
      title: '',
      description: '',
      classification: 'malicious-code' as RsitClassification,
      type: '' as string,
      severity: 'medium' as CreateReport['severity'],
      tlp: 'amber' as CreateReport['tlp'],
      recipients: [] as string[],
    },
    validate: {
      title: (value) => (value.trim() ? null : t('submit.titleRequired')),
      recipients: (value, values) =>
        values.tlp === 'red' && value.length === 0 ? t('analyst.audienceRequired') : null,
    },
  });
  const types = Object.entries(RSIT_TAXONOMY[form.values.classification].types as Record<string, string>);

  const submit = useMutation({
    mutationFn: async (values: typeof form.values): Promise<string> => {
      if (mode === 'file') {
        if (!file) throw new ApiError(400, t('submit.fileRequired'));
        const query = new URLSearchParams({ title: values.title, tlp: values.tlp, severity: values.severity });
        query.set('classification', values.classification);
        if (values.type) query.set('type', values.type);
        values.recipients.forEach((recipient) => query.append('tlp_recipients', recipient));
        return (await upload(format, file, query, setProgress)).id;
      }
      const indicators: IndicatorInput[] = lines.flatMap(({ result }) =>
        result.ok ? [{ type: result.type as IndicatorInput['type'], value: result.value }] : [],
      );
      const answer = dataOf(
        await ingest.POST('/api/v1/reports', {
          body: {
            title: values.title,
            ...(values.description ? { description: values.description } : {}),
            classification: values.classification,
            ...(values.type ? { type: values.type } : {}),
            severity: values.severity,
            tlp: values.tlp,
            ...(values.recipients.length ? { tlp_recipients: values.recipients } : {}),
            indicators,
          },
        }),
      );
      return answer.id;
    },
    onSuccess: (id) => {
      void queryClient.invalidateQueries({ queryKey: ['my-reports'] });
      void navigate(`/reports/${id}`);
    },
  });

  return (
    <form onSubmit={form.onSubmit((values) => submit.mutate(values))}>
      <Stack>
        <Title order={2}>{t('submit.title')}</Title>
        <Card withBorder>
          <Stack>
            <TextInput label={t('report.title')} required {...form.getInputProps('title')} />
            <Textarea label={t('report.description')} autosize minRows={2} {...form.getInputProps('description')} />
            <SimpleGrid cols={{ base: 1, md: 4 }}>
              <Select
                label={t('report.classification')}
                allowDeselect={false}
                data={RSIT_CLASSIFICATIONS.map((value) => ({ value, label: RSIT_TAXONOMY[value].label }))}
                {...form.getInputProps('classification')}
                onChange={(value) => {
                  form.setFieldValue('classification', (value ?? 'other') as RsitClassification);
                  form.setFieldValue('type', '');
                }}
              />
              <Select
                label={t('report.type')}
                clearable
                data={types.map(([value, label]) => ({ value, label }))}
                value={form.values.type || null}
                onChange={(value) => form.setFieldValue('type', value ?? '')}
              />
              <Select
                label={t('report.severity')}
                allowDeselect={false}
                data={SEVERITIES.map((value) => ({ value, label: t(`severity.${value}`) }))}
                {...form.getInputProps('severity')}
              />
              <Select
                label={t('report.tlp')}
                allowDeselect={false}
                data={TLP_LEVELS.map((value) => ({ value, label: `TLP:${value.toUpperCase()}` }))}
                {...form.getInputProps('tlp')}
              />
            </SimpleGrid>
            <AudiencePicker
              value={form.values.recipients}
              onChange={(ids) => form.setFieldValue('recipients', ids)}
              required={form.values.tlp === 'red'}
              error={form.errors.recipients}
            />
          </Stack>
        </Card>
        <Tabs value={mode} onChange={(value) => setMode(value === 'file' ? 'file' : 'paste')}>
          <Tabs.List>
            <Tabs.Tab value="paste">{t('submit.paste')}</Tabs.Tab>
            <Tabs.Tab value="file">{t('submit.file')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="paste" pt="sm">
            <Stack>
              <Textarea
                label={t('submit.pasteLabel')}
                description={t('submit.pasteHint')}
                autosize
                minRows={6}
                maxRows={16}
                styles={{ input: { fontFamily: 'monospace' } }}
                value={pasted}
                onChange={(event) => setPasted(event.currentTarget.value)}
              />
              <Text size="sm" data-testid="paste-summary">
                {t('submit.readSummary', { accepted, rejected: lines.length - accepted })}
              </Text>
              {lines.length > 0 && (
                <Table striped data-testid="paste-preview">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('submit.line')}</Table.Th>
                      <Table.Th>{t('submit.asPasted')}</Table.Th>
                      <Table.Th>{t('submit.readAs')}</Table.Th>
                      <Table.Th>{t('submit.canonical')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {lines.slice(0, PREVIEW_LINES).map(({ line, raw, result }) => (
                      <Table.Tr key={line}>
                        <Table.Td>{line}</Table.Td>
                        <Table.Td style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>{raw}</Table.Td>
                        <Table.Td>
                          {result.ok ? (
                            <Badge variant="light">{result.type}</Badge>
                          ) : (
                            <Badge color="red" variant="light">
                              {t('submit.rejected')}
                            </Badge>
                          )}
                        </Table.Td>
                        <Table.Td style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
                          {result.ok ? result.value : result.reason}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="file" pt="sm">
            <Stack>
              <SegmentedControl
                aria-label={t('submit.fileFormat')}
                value={format}
                onChange={(value) => setFormat(value as UploadFormat)}
                data={[
                  { value: 'stix', label: 'STIX 2.1' },
                  { value: 'misp', label: 'MISP' },
                  { value: 'csv', label: 'CSV' },
                ]}
              />
              <FileInput
                label={t('submit.fileLabel')}
                value={file}
                onChange={setFile}
                clearable
                clearButtonProps={{ 'aria-label': t('common.clear') }}
              />
              {submit.isPending && mode === 'file' && <Progress value={progress} aria-label={t('submit.uploading')} />}
            </Stack>
          </Tabs.Panel>
        </Tabs>
        {submit.error && (
          <Alert color="red" role="alert">
            {submit.error.message}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={submit.isPending} disabled={mode === 'paste' && accepted === 0}>
            {t('submit.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
