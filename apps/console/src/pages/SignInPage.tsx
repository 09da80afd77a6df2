import { Alert, Anchor, Button, Center, Group, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dataOf, portal } from '../api/client';
import { ME_QUERY_KEY } from '../auth/session';
import { LanguagePicker } from '../components/Layout';

export function SignInPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [useRecoveryCode, setUseRecoveryCode] = useState(false);
  const form = useForm({ initialValues: { email: '', password: '', otp: '', recoveryCode: '' } });
  const signIn = useMutation({
    mutationFn: async (values: typeof form.values) =>
      dataOf(
        await portal.POST('/api/v1/auth/login', {
          body: {
            email: values.email,
            password: values.password,
            cookie: true,
            ...(values.otp && !useRecoveryCode ? { otp: values.otp.replace(/\s/g, '') } : {}),
            ...(values.recoveryCode && useRecoveryCode ? { recovery_code: values.recoveryCode.trim() } : {}),
          },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY }),
  });
  return (
    <Center mih="100vh" component="main">
      <Paper withBorder shadow="sm" p="xl" w={400}>
        <form onSubmit={form.onSubmit((values) => signIn.mutate(values))}>
          <Stack>
            <Group justify="space-between">
              <Title order={1} size="h2">
                {t('signIn.title')}
              </Title>
              <LanguagePicker />
            </Group>
            {signIn.error && (
              <Alert color="red" role="alert" title={t('signIn.failed')}>
                {signIn.error.message}
              </Alert>
            )}
            <TextInput
              label={t('signIn.email')}
              type="email"
              autoComplete="username"
              required
              {...form.getInputProps('email')}
            />
            <PasswordInput
              label={t('signIn.password')}
              autoComplete="current-password"
              required
              {...form.getInputProps('password')}
            />
            {useRecoveryCode ? (
              <TextInput label={t('signIn.recoveryCode')} autoComplete="off" {...form.getInputProps('recoveryCode')} />
            ) : (
              <TextInput
                label={t('signIn.otp')}
                description={t('signIn.otpHint')}
                inputMode="numeric"
                autoComplete="one-time-code"
                {...form.getInputProps('otp')}
              />
            )}
            <Anchor component="button" type="button" size="sm" onClick={() => setUseRecoveryCode(!useRecoveryCode)}>
              {useRecoveryCode ? t('signIn.useOtp') : t('signIn.useRecoveryCode')}
            </Anchor>
            <Button type="submit" loading={signIn.isPending}>
              {t('signIn.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
