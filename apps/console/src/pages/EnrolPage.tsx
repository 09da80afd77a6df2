import { Alert, Button, Code, List, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { dataOf, portal } from '../api/client';
import { ME_QUERY_KEY } from '../auth/session';

/** TOTP enrolment: the secret (for the authenticator), a first code to confirm, then the recovery codes once. */
export default function EnrolPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const start = useMutation({ mutationFn: async () => dataOf(await portal.POST('/api/v1/auth/totp')) });
  const confirm = useMutation({
    mutationFn: async () => dataOf(await portal.POST('/api/v1/auth/totp/confirm', { body: { code: code.trim() } })),
  });
  const finish = async () => {
    await queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
    void navigate('/');
  };
  return (
    <Stack maw={560}>
      <Title order={2}>{t('enrol.title')}</Title>
      <Text>{t('enrol.why')}</Text>
      {!start.data && (
        <Button onClick={() => start.mutate()} loading={start.isPending} w="fit-content">
          {t('enrol.start')}
        </Button>
      )}
      {start.error && <Alert color="red">{start.error.message}</Alert>}
      {start.data && !confirm.data && (
        <Stack>
          <Text>{t('enrol.addSecret')}</Text>
          <Code block data-testid="totp-secret" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
            {start.data.secret}
          </Code>
          <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
            {start.data.otpauth_uri}
          </Code>
          <TextInput label={t('enrol.code')} value={code} onChange={(event) => setCode(event.currentTarget.value)} />
          {confirm.error && <Alert color="red">{confirm.error.message}</Alert>}
          <Button onClick={() => confirm.mutate()} loading={confirm.isPending} w="fit-content">
            {t('enrol.confirm')}
          </Button>
        </Stack>
      )}
      {confirm.data && (
        <Stack>
          <Alert color="indigo" variant="outline" title={t('enrol.recoveryTitle')}>
            {t('enrol.recoveryHint')}
          </Alert>
          <List>
            {confirm.data.recovery_codes.map((recoveryCode) => (
              <List.Item key={recoveryCode}>
                <Code>{recoveryCode}</Code>
              </List.Item>
            ))}
          </List>
          <Button onClick={() => void finish()} w="fit-content">
            {t('enrol.done')}
          </Button>
        </Stack>
      )}
    </Stack>
  );
}
